package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.app.CustodyBackend;
import nl.sleutelbos.app.CustodySettings;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.app.StartupException;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.quorum.Quorum;
import nl.sleutelbos.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting with key custody: a wrong PIN, a missing token or a wrong passphrase stops the start
 * with a message that names the option to fix, and a campaign that was running when Sleutelbos
 * stopped continues when it starts again.
 */
class KeyCustodyStartupTest {
  @TempDir Path dir;

  private Settings settings(CustodyBackend backend) {
    return new Settings("127.0.0.1", 0, dir, new StoreConfig.Sqlite(dir.resolve("sleutelbos.db")), Settings.DEFAULT_MAX_BODY, null)
        .withCustody(new CustodySettings(backend, Quorum.Rule.DEFAULT));
  }

  @Test
  void aWrongPinNamesThePinSetting() {
    CustodyBackend.Pkcs11 backend = SoftHsm.backend(dir, SoftHsm.UNTOUCHED, "9999");
    assertThatThrownBy(() -> Sleutelbos.start(settings(backend)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("refused the PIN").hasMessageContaining("--pkcs11-pin-file");
    CustodyBackend.Pkcs11 fromEnv = new CustodyBackend.Pkcs11(backend.library(), backend.tokenLabel(), Optional.empty(),
        new Secret.FromEnvironment("SLEUTELBOS_TEST_NO_SUCH_PIN_VARIABLE"), new Location("NL"), Optional.empty(), 1);
    assertThatThrownBy(() -> Sleutelbos.start(settings(fromEnv)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("--pkcs11-pin-env (SLEUTELBOS_TEST_NO_SUCH_PIN_VARIABLE)");
  }

  @Test
  void aMissingTokenOrLibraryNamesTheTokenSetting() {
    CustodyBackend.Pkcs11 absent = SoftHsm.backend(dir, "no-such-token", SoftHsm.PIN);
    assertThatThrownBy(() -> Sleutelbos.start(settings(absent)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("no PKCS#11 token labelled no-such-token").hasMessageContaining("--pkcs11-token");
    CustodyBackend.Pkcs11 noLibrary = new CustodyBackend.Pkcs11(dir.resolve("libnothing.so"), Optional.of("x"), Optional.empty(),
        absent.pin(), new Location("NL"), Optional.empty(), 1);
    assertThatThrownBy(() -> Sleutelbos.start(settings(noLibrary)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("--pkcs11-library");
    CustodyBackend.Pkcs11 noSlot = new CustodyBackend.Pkcs11(absent.library(), Optional.empty(), Optional.of(987654321L),
        absent.pin(), new Location("NL"), Optional.empty(), 1);
    assertThatThrownBy(() -> Sleutelbos.start(settings(noSlot)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("--pkcs11-slot");
  }

  @Test
  void aWrongSoftwarePassphraseNamesThePassphraseSetting() throws Exception {
    Files.writeString(dir.resolve("right"), "correct horse\n");
    Files.writeString(dir.resolve("wrong"), "battery staple\n");
    CustodyBackend right = new CustodyBackend.Software(Optional.of(new Secret.FromFile(dir.resolve("right"))), new Location("NL"));
    Sleutelbos.start(settings(right)).close();
    CustodyBackend wrong = new CustodyBackend.Software(Optional.of(new Secret.FromFile(dir.resolve("wrong"))), new Location("NL"));
    assertThatThrownBy(() -> Sleutelbos.start(settings(wrong)).close())
        .isInstanceOf(StartupException.class).hasMessageContaining("--custody-passphrase-file");
  }

  @Test
  void aCampaignRunningAtShutdownContinuesAtTheNextStart() throws Exception {
    Settings settings = settings(CustodyBackend.DEFAULT);
    List<String> meters = new ArrayList<>();
    String campaign;
    try (Sleutelbos first = Sleutelbos.start(settings)) {
      Api api = api(first);
      VendorFile file = new VendorFile(VendorFile.random(16));
      for (int i = 0; i < 250; i++) {
        String m = KeysApiTest.meter();
        meters.add(m);
        file.add(m, "MASTER", "rfc3394").add(m, "GLOBAL_UNICAST_ENCRYPTION", "rfc3394");
      }
      assertThat(api.put(KeysApiTest.K + "/transport-keys/t1", "{\"key\":\"" + file.transportHex() + "\"}").status()).isEqualTo(201);
      assertThat(api.postAs("text/csv", KeysApiTest.K + "/imports?transportKey=t1", file.text()).status()).isEqualTo(201);
      Api.Response started = api.post(KeysApiTest.K + "/campaigns", "{\"roles\":[\"GLOBAL_UNICAST_ENCRYPTION\"],\"selection\":{\"provenance\":\"FACTORY_IMPORTED\"}}");
      assertThat(started.status()).as(started.toString()).isEqualTo(201);
      campaign = started.json().path("id").asText();
    } // closed at once: the campaign is stopped wherever it is
    try (Sleutelbos second = Sleutelbos.start(settings)) {
      Api api = api(second);
      JsonNode progress = null;
      for (int i = 0; i < 1200; i++) {
        progress = api.get(KeysApiTest.K + "/campaigns/" + campaign).json();
        if (progress.path("status").asText().equals("COMPLETED")) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(progress.path("status").asText()).as(progress.toString()).isEqualTo("COMPLETED");
      assertThat(progress.path("devicesDone").asInt()).isEqualTo(250);
      for (String m : meters) {
        JsonNode keys = api.get(KeysApiTest.K + "/devices/" + m).json().path("keys");
        // Exactly one NEW key per device: the chunk redone after the restart made no second one.
        assertThat(keys.findValuesAsText("state").stream().filter("NEW"::equals).count()).as(m).isEqualTo(1);
      }
    }
  }

  private Api api(Sleutelbos server) {
    String base = "http://127.0.0.1:" + server.port();
    Api.TOKENS.put(base, new BootstrapToken(base, dir));
    return new Api(base);
  }
}
