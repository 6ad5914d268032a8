package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import nl.sleutelbos.custody.software.SoftwareCustody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareCustodyTest extends KeyCustodyContract {
  @TempDir Path dir;

  @Override
  protected KeyCustody open() throws Exception {
    Files.writeString(dir.resolve("pass"), "correct horse\n");
    return SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
  }

  @Test
  void is_never_sovereign_even_in_the_netherlands() {
    assertThat(custody.backend().software()).isTrue();
    assertThat(custody.backend().sovereign()).isFalse();
    assertThat(custody.backend().location().country()).isEqualTo("NL");
  }

  @Test
  void keks_survive_a_reopen_and_a_wrong_passphrase_is_refused() throws Exception {
    KeyHandle kek = custody.generateStorageKek("storage-1");
    WrappedKey key = custody.generateDeviceKey(kek);
    byte[] sealed = custody.gcmEncrypt(key, new byte[12], new byte[0], new byte[] {7}, 12);
    custody.close();

    custody = open();
    assertThat(custody.gcmDecrypt(key, new byte[12], new byte[0], sealed, 12)).containsExactly(7);

    Files.writeString(dir.resolve("wrong"), "battery staple\n");
    assertThatThrownBy(() -> SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("wrong")), new Location("NL")))
        .isInstanceOfSatisfying(CustodyException.class, e -> assertThat(e.reason()).isEqualTo(CustodyException.Reason.WRONG_PIN));
  }
}
