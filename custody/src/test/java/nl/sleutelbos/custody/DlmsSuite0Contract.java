package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HexFormat;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DLMS suite 0 against published vectors, through each backend: DLMS UA 1000-2 (Green Book)
 * Table 40 — EK 000102…0F, AK D0D1…DF, system title 4D4D4D0000BC614E, IC 01234567, the
 * get-request C0010000080000010000FF0200 (attribute 2 of the clock).
 */
abstract class DlmsSuite0Contract {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();
  private static final byte[] APDU = HEX.parseHex("C0010000080000010000FF0200");
  @TempDir Path dir;
  private KeyCustody custody;
  private EntityStore store;
  private InvocationCounters counters;
  private DlmsSuite0 suite;
  private DlmsSuite0.Party meter;

  protected abstract KeyCustody open(Path dir) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    custody = open(dir);
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    counters = new InvocationCounters(store.documents(), 100);
    suite = new DlmsSuite0(custody, counters);
    KeyHandle kek = custody.generateStorageKek(KeyCustodyContract.label("storage"));
    WrappedKey ek = custody.importDeviceKey(kek, InsecureKeyMaterial.of(HEX.parseHex("000102030405060708090A0B0C0D0E0F")));
    WrappedKey ak = custody.importDeviceKey(kek, InsecureKeyMaterial.of(HEX.parseHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")));
    meter = new DlmsSuite0.Party("meter/ek/1", HEX.parseHex("4D4D4D0000BC614E"), ek, ak);
  }

  @AfterEach
  void tearDown() {
    custody.close();
    store.close();
  }

  @Test
  void authenticated_encryption_gives_the_green_book_answer() {
    counters.raiseTo(meter.counterId(), 0x01234567L);
    byte[] protectedApdu = suite.protect(meter, DlmsSuite0.AUTHENTICATED_ENCRYPTION, APDU);
    assertThat(HEX.formatHex(protectedApdu)).isEqualTo("3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B");
  }

  @Test
  void authentication_only_gives_the_green_book_answer() {
    counters.raiseTo(meter.counterId(), 0x01234567L);
    byte[] protectedApdu = suite.protect(meter, DlmsSuite0.AUTHENTICATION_ONLY, APDU);
    assertThat(HEX.formatHex(protectedApdu)).isEqualTo("1001234567C0010000080000010000FF020006725D910F9221D263877516");
  }

  @Test
  void the_green_book_message_opens_once_and_a_replay_is_refused() {
    byte[] published = HEX.parseHex("3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B");
    assertThat(suite.unprotect(meter, published)).isEqualTo(APDU);
    KeyCustodyContract.assertReason(CustodyException.Reason.INVALID, () -> suite.unprotect(meter, published));
  }

  @Test
  void a_tampered_message_is_refused_and_does_not_use_up_its_counter() {
    byte[] published = HEX.parseHex("1001234567C0010000080000010000FF020006725D910F9221D263877516");
    byte[] tampered = published.clone();
    tampered[10] ^= 1;
    KeyCustodyContract.assertReason(CustodyException.Reason.INTEGRITY, () -> suite.unprotect(meter, tampered));
    assertThat(suite.unprotect(meter, published)).isEqualTo(APDU);
  }

  @Test
  void counters_never_repeat_across_a_restart() {
    byte[] first = suite.protect(meter, DlmsSuite0.AUTHENTICATED_ENCRYPTION, APDU);
    store.close();
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    counters = new InvocationCounters(store.documents(), 100);
    suite = new DlmsSuite0(custody, counters);
    byte[] second = suite.protect(meter, DlmsSuite0.AUTHENTICATED_ENCRYPTION, APDU);
    long icFirst = java.nio.ByteBuffer.wrap(first, 1, 4).getInt() & 0xFFFFFFFFL;
    long icSecond = java.nio.ByteBuffer.wrap(second, 1, 4).getInt() & 0xFFFFFFFFL;
    assertThat(icSecond).isGreaterThan(icFirst);
    counters.raiseTo(meter.counterId(), 5);
    byte[] third = suite.protect(meter, DlmsSuite0.AUTHENTICATED_ENCRYPTION, APDU);
    assertThat(java.nio.ByteBuffer.wrap(third, 1, 4).getInt() & 0xFFFFFFFFL).isGreaterThan(icSecond);
  }

  @Test
  void encryption_without_authentication_is_refused() {
    KeyCustodyContract.assertReason(CustodyException.Reason.INVALID, () -> suite.protect(meter, 0x20, APDU));
  }
}
