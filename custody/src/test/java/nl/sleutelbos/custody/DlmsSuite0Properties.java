package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import nl.sleutelbos.custody.software.SoftwareCustody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;

/**
 * The protected-APDU format of suite 0: what is protected opens to the same APDU, and no single
 * flipped bit anywhere — header, counter, ciphertext or tag — gets through. Software backend; the
 * format does not depend on it.
 */
class DlmsSuite0Properties {
  private static Path dir;
  private static KeyCustody custody;
  private static EntityStore store;
  private static DlmsSuite0 suite;
  private static DlmsSuite0.Party meter;
  private static int parties;

  @BeforeContainer
  static void open() throws Exception {
    dir = Files.createTempDirectory("dlms-properties");
    Files.writeString(dir.resolve("pass"), "pass");
    custody = SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    suite = new DlmsSuite0(custody, new InvocationCounters(store.documents(), 1000));
    KeyHandle kek = custody.generateStorageKek("storage");
    meter = new DlmsSuite0.Party("meter", new byte[8], custody.generateDeviceKey(kek), custody.generateDeviceKey(kek));
  }

  @AfterContainer
  static void close() {
    custody.close();
    store.close();
  }

  /** A receiving side with its own counter record, sharing the meter's keys and title. */
  private static DlmsSuite0.Party receiver() {
    return new DlmsSuite0.Party("receiver-" + parties++, meter.systemTitle(), meter.encryptionKey(), meter.authenticationKey());
  }

  @Property(tries = 200)
  void what_is_protected_opens_to_the_same_apdu(@ForAll @Size(max = 300) byte[] apdu, @ForAll boolean encrypt) {
    int sc = encrypt ? DlmsSuite0.AUTHENTICATED_ENCRYPTION : DlmsSuite0.AUTHENTICATION_ONLY;
    byte[] protectedApdu = suite.protect(meter, sc, apdu);
    assertThat(protectedApdu).hasSize(5 + apdu.length + 12);
    assertThat(suite.unprotect(receiver(), protectedApdu)).isEqualTo(apdu);
  }

  @Property(tries = 200)
  void no_flipped_bit_gets_through(@ForAll @Size(min = 1, max = 64) byte[] apdu, @ForAll boolean encrypt,
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 0, max = 7) int bit) {
    int sc = encrypt ? DlmsSuite0.AUTHENTICATED_ENCRYPTION : DlmsSuite0.AUTHENTICATION_ONLY;
    byte[] protectedApdu = suite.protect(meter, sc, apdu);
    protectedApdu[position % protectedApdu.length] ^= (byte) (1 << bit);
    assertThatThrownBy(() -> suite.unprotect(receiver(), protectedApdu)).isInstanceOf(CustodyException.class);
  }
}
