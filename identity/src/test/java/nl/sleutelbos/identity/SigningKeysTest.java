package nl.sleutelbos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.JWSObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation over time, which the API tests cannot wait for: a moving clock, a real store and key file. */
class SigningKeysTest {
  private static final Duration PUBLISH = Duration.ofMinutes(5).plusSeconds(30);

  @TempDir
  Path dir;
  private EntityStore store;
  private final MovingClock clock = new MovingClock(Instant.parse("2026-11-26T12:00:00Z"));

  @BeforeEach
  void open() {
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRetiredKeyIsPublishedUntilItsTokensExpireAndThenDestroyed() {
    SoftwareSignerStore signers = SoftwareSignerStore.open(dir.resolve("keys"));
    SigningKeys keys = SigningKeys.open(store.documents(), signers, PUBLISH, clock);
    String first = keys.current().keyId();
    String second = keys.rotate().keyId();
    assertThat(keys.published().getKeys()).extracting(k -> k.getKeyID()).containsExactly(second, first);
    assertThat(keys.verificationKey(first)).isPresent();

    clock.advance(PUBLISH.minusSeconds(1));
    assertThat(keys.verificationKey(first)).as("one second before the last token expires").isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.verificationKey(first)).isEmpty();
    assertThat(keys.published().getKeys()).extracting(k -> k.getKeyID()).containsExactly(second);

    String third = keys.rotate().keyId();
    assertThat(signers.open(first)).as("destroyed at the next rotation").isEmpty();
    assertThat(signers.open(second)).isPresent();
    assertThat(keys.published().getKeys()).extracting(k -> k.getKeyID()).containsExactly(third, second);
  }

  @Test
  void theKeySetSurvivesARestart() {
    SigningKeys keys = SigningKeys.open(store.documents(), SoftwareSignerStore.open(dir.resolve("keys")), PUBLISH, clock);
    String old = keys.current().keyId();
    String current = keys.rotate().keyId();
    SigningKeys reopened = SigningKeys.open(store.documents(), SoftwareSignerStore.open(dir.resolve("keys")), PUBLISH, clock);
    assertThat(reopened.current().keyId()).isEqualTo(current);
    assertThat(reopened.verificationKey(old)).isPresent();
  }

  @Test
  void theSoftwareSignerGivesJoseSignaturesThatVerify() throws Exception {
    Signer signer = SoftwareSignerStore.open(dir.resolve("keys")).generate();
    assertThat(signer.sovereign()).isFalse();
    assertThat(signer.publicKey().isPrivate()).isFalse();
    String input = b64("{\"alg\":\"ES256\"}") + "." + b64("{\"hello\":\"world\"}");
    byte[] signature = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
    assertThat(signature).hasSize(64);
    JWSObject jws = JWSObject.parse(input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    assertThat(jws.verify(new ECDSAVerifier((ECKey) signer.publicKey()))).isTrue();
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A clock the test moves by hand. */
  static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
