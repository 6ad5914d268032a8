package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key rotation of one device against SoftHSM2, with meters that really unwrap what they get; campaigns are in {@link CampaignContract}. */
class RotationTest {
  @TempDir Path dir;
  private KeyCustody custody;
  private EntityStore store;
  private KeyStore keys;
  private KeyHandle kek;
  private final Map<String, SimulatedMeter> meters = new HashMap<>();
  private final List<DeviceKey> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
  private final DeliveryChannel channel = (key, forDevice) -> {
    meters.get(key.deviceId()).receive(key, forDevice);
    delivered.add(key);
  };

  private KeyCustody openCustody() throws Exception {
    Files.writeString(dir.resolve("pin"), TestToken.PIN);
    return Pkcs11Custody.open(TestToken.config(TestToken.LABEL, dir.resolve("pin"), Optional.empty()));
  }

  @BeforeEach
  void setUp() throws Exception {
    custody = openCustody();
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    keys = new KeyStore(store.custody(), Clock.systemUTC());
    kek = custody.generateStorageKek(KeyCustodyContract.label("storage"));
  }

  @AfterEach
  void tearDown() {
    custody.close();
    store.close();
  }

  /** A meter as it leaves the factory: a master and an authentication key the vendor knows. */
  private void factoryMeter(String deviceId, int seed) {
    byte[] master = new byte[16];
    byte[] auth = new byte[16];
    java.util.Arrays.fill(master, (byte) seed);
    java.util.Arrays.fill(auth, (byte) (seed + 100));
    meters.put(deviceId, new SimulatedMeter(master));
    DeviceKeySets sets = new DeviceKeySets(custody, keys);
    sets.importFactoryKey(deviceId, KeyRole.MASTER, custody.importDeviceKey(kek, InsecureKeyMaterial.of(master)));
    sets.importFactoryKey(deviceId, KeyRole.AUTHENTICATION, custody.importDeviceKey(kek, InsecureKeyMaterial.of(auth)));
  }

  @Test
  void the_device_unwraps_the_new_key_and_its_acknowledgement_activates_it() {
    factoryMeter("E1", 1);
    Rotation rotation = new Rotation(custody, keys, channel);

    DeviceKey next = rotation.rotate("E1", KeyRole.AUTHENTICATION, kek);
    assertThat(next.state()).isEqualTo(KeyState.NEW);
    assertThat(keys.latest("E1", KeyRole.AUTHENTICATION, KeyState.ACTIVE).orElseThrow().provenance()).isEqualTo(Provenance.FACTORY_IMPORTED);

    meters.get("E1").activate(KeyRole.AUTHENTICATION);
    assertThat(meters.get("E1").answersWith(custody, next)).isTrue();
    rotation.acknowledge(next);

    assertThat(keys.versions("E1", KeyRole.AUTHENTICATION)).extracting(DeviceKey::state).containsExactly(KeyState.EXPIRED, KeyState.ACTIVE);
    assertThat(keys.latest("E1", KeyRole.AUTHENTICATION, KeyState.ACTIVE).orElseThrow().provenance()).isEqualTo(Provenance.OPERATOR_GENERATED);
  }

  @Test
  void rotating_again_before_the_acknowledgement_resends_the_same_key() {
    factoryMeter("E2", 2);
    Rotation rotation = new Rotation(custody, keys, channel);
    DeviceKey first = rotation.rotate("E2", KeyRole.AUTHENTICATION, kek);
    DeviceKey again = rotation.rotate("E2", KeyRole.AUTHENTICATION, kek);
    assertThat(again).isEqualTo(first);
    assertThat(keys.versions("E2", KeyRole.AUTHENTICATION)).hasSize(2);
  }

  @Test
  void a_lost_acknowledgement_is_recovered_by_trying_the_new_key() {
    factoryMeter("E3", 3);
    Rotation rotation = new Rotation(custody, keys, channel);
    DeviceKey next = rotation.rotate("E3", KeyRole.AUTHENTICATION, kek);
    SimulatedMeter meter = meters.get("E3");

    assertThat(rotation.recover("E3", KeyRole.AUTHENTICATION, k -> meter.answersWith(custody, k))).isEmpty();
    assertThat(keys.get("E3", KeyRole.AUTHENTICATION, next.version()).orElseThrow().state()).isEqualTo(KeyState.NEW);

    meter.activate(KeyRole.AUTHENTICATION); // the device switched, its acknowledgement was lost
    assertThat(rotation.recover("E3", KeyRole.AUTHENTICATION, k -> meter.answersWith(custody, k)))
        .hasValueSatisfying(k -> assertThat(k.state()).isEqualTo(KeyState.ACTIVE));
  }
}
