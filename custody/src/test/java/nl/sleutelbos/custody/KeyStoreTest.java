package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import nl.sleutelbos.custody.software.SoftwareCustody;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key metadata through the real SQLite store; keys wrapped by the software backend. */
class KeyStoreTest {
  private static final HexFormat HEX = HexFormat.of();
  @TempDir Path dir;
  private EntityStore store;
  private KeyCustody custody;
  private KeyStore keys;
  private DeviceKeySets sets;
  private KeyHandle kek;

  @BeforeEach
  void open() throws Exception {
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    Files.writeString(dir.resolve("pass"), "pass");
    custody = SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
    keys = new KeyStore(store.custody(), Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
    sets = new DeviceKeySets(custody, keys);
    kek = custody.generateStorageKek("storage");
  }

  @AfterEach
  void close() {
    custody.close();
    store.close();
  }

  @Test
  void a_generated_key_set_is_new_operator_generated_and_survives_a_reopen() {
    List<DeviceKey> made = sets.generate("E0051", EnumSet.of(KeyRole.MASTER, KeyRole.AUTHENTICATION, KeyRole.GLOBAL_UNICAST_ENCRYPTION), kek);
    assertThat(made).extracting(DeviceKey::state).containsOnly(KeyState.NEW);
    assertThat(made).extracting(DeviceKey::provenance).containsOnly(Provenance.OPERATOR_GENERATED);
    store.close();

    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    keys = new KeyStore(store.custody(), Clock.systemUTC());
    assertThat(keys.keys("E0051")).containsExactlyInAnyOrderElementsOf(made);
  }

  @Test
  void states_move_forward_only() {
    DeviceKey key = sets.generate("E0052", EnumSet.of(KeyRole.BROADCAST), kek).getFirst();
    DeviceKey active = keys.transition(key, KeyState.ACTIVE);
    assertThat(active.state()).isEqualTo(KeyState.ACTIVE);
    assertThat(keys.transition(active, KeyState.EXPIRED).state()).isEqualTo(KeyState.EXPIRED);
    assertThatThrownBy(() -> keys.transition(key, KeyState.ACTIVE))
        .isInstanceOfSatisfying(CustodyException.class, e -> assertThat(e.reason()).isEqualTo(CustodyException.Reason.INVALID));
    assertThat(keys.transition(key, KeyState.WITHDRAWN).state()).isEqualTo(KeyState.WITHDRAWN);
  }

  @Test
  void versions_count_up_per_device_and_role() {
    sets.generate("E0053", EnumSet.of(KeyRole.MASTER), kek);
    DeviceKey second = sets.generate("E0053", EnumSet.of(KeyRole.MASTER), kek).getFirst();
    assertThat(second.version()).isEqualTo(2);
    assertThat(keys.latest("E0053", KeyRole.MASTER, KeyState.NEW)).contains(second);
  }

  @Test
  void factory_keys_are_active_and_marked_as_known_to_the_vendor() {
    WrappedKey wrapped = custody.importDeviceKey(kek, InsecureKeyMaterial.of(new byte[16]));
    DeviceKey key = sets.importFactoryKey("E0054", KeyRole.MASTER, wrapped);
    assertThat(key.state()).isEqualTo(KeyState.ACTIVE);
    assertThat(key.provenance()).isEqualTo(Provenance.FACTORY_IMPORTED);
    assertThat(key.backend()).isEqualTo(custody.backend().name());
  }

  @Test
  void a_factory_key_under_an_unknown_kek_is_refused() {
    WrappedKey orphan = new WrappedKey("no-such-kek", WrapMethod.RFC3394, new byte[24]);
    assertThatThrownBy(() -> sets.importFactoryKey("E0055", KeyRole.MASTER, orphan))
        .isInstanceOfSatisfying(CustodyException.class, e -> assertThat(e.reason()).isEqualTo(CustodyException.Reason.UNKNOWN_KEY));
  }

  @Test
  void stored_rows_never_carry_the_plaintext_key() {
    byte[] known = HEX.parseHex("8A7C1E0F55D3B9A2C4E6F80112233445");
    WrappedKey wrapped = custody.importDeviceKey(kek, InsecureKeyMaterial.of(known));
    sets.importFactoryKey("E0056", KeyRole.AUTHENTICATION, wrapped);

    List<CustodyStorage.KeyRecord> stored = store.custody().keys(List.of("E0056"));
    assertThat(stored).hasSize(1);
    CustodyStorage.KeyRecord row = stored.getFirst();
    assertThat(row.wrapped()).isEqualTo(wrapped.bytes());
    assertThat(HEX.formatHex(row.wrapped())).doesNotContain(HEX.formatHex(known));
    assertThat(row.toString().toLowerCase()).doesNotContain(HEX.formatHex(known))
        .doesNotContain(Base64.getEncoder().encodeToString(known).toLowerCase());
  }

  @Test
  void an_acknowledgement_activates_the_new_key_and_expires_the_old_in_one_step_and_only_forward() {
    DeviceKey factory = sets.importFactoryKey("E0057", KeyRole.AUTHENTICATION, custody.importDeviceKey(kek, InsecureKeyMaterial.of(new byte[16])));
    DeviceKey next = sets.generate("E0057", EnumSet.of(KeyRole.AUTHENTICATION), kek).getFirst();

    assertThat(keys.activate(next).state()).isEqualTo(KeyState.ACTIVE);
    assertThat(keys.versions("E0057", KeyRole.AUTHENTICATION)).extracting(DeviceKey::state).containsExactly(KeyState.EXPIRED, KeyState.ACTIVE);
    assertThat(keys.activate(next).state()).as("a repeated acknowledgement").isEqualTo(KeyState.ACTIVE);
    assertThatThrownBy(() -> keys.activate(factory))
        .isInstanceOfSatisfying(CustodyException.class, e -> assertThat(e.reason()).isEqualTo(CustodyException.Reason.INVALID));
    assertThat(keys.versions("E0057", KeyRole.AUTHENTICATION)).extracting(DeviceKey::state).containsExactly(KeyState.EXPIRED, KeyState.ACTIVE);
  }
}
