package nl.sleutelbos.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sleutelbos clients ...} on a data directory, then the server started on that directory:
 * a client made at the console gets tokens, and one disabled there gets none.
 */
class ClientsCommandTest {
  private static final Pattern ID = Pattern.compile("client_id: +(\\S+)");
  private static final Pattern SECRET = Pattern.compile("client_secret: +(\\S+)");

  @TempDir
  Path dir;

  @Test
  void aClientMadeAtTheConsoleGetsTokensUntilItIsDisabled() throws Exception {
    Run created = run("clients", "create", "--data", dir.toString(), "--name", "Eneco portal",
        "--organisation", "supplier:eneco", "--country", "NL", "--role", "supplier");
    assertThat(created.exit()).as(created.err()).isZero();
    String id = group(ID, created.out());
    String secret = group(SECRET, created.out());

    Run listed = run("clients", "list", "--data", dir.toString());
    assertThat(listed.out()).contains(id).contains("supplier:eneco").contains("active").doesNotContain(secret);

    try (Sleutelbos server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir,
        new nl.sleutelbos.store.StoreConfig.Sqlite(dir.resolve("sleutelbos.db")), Settings.DEFAULT_MAX_BODY, null))) {
      assertThat(tokenStatus(server.port(), id, secret)).isEqualTo(200);
    }
    Run rotated = run("clients", "rotate-secret", "--data", dir.toString(), id);
    String fresh = group(SECRET, rotated.out());
    assertThat(run("clients", "disable", "--data", dir.toString(), id).exit()).isZero();
    try (Sleutelbos server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir,
        new nl.sleutelbos.store.StoreConfig.Sqlite(dir.resolve("sleutelbos.db")), Settings.DEFAULT_MAX_BODY, null))) {
      assertThat(tokenStatus(server.port(), id, fresh)).as("disabled").isEqualTo(401);
    }
    assertThat(run("clients", "list", "--data", dir.toString()).out()).contains("disabled");
  }

  @Test
  void badInputIsAMessageAndExitCodeOne() {
    Run bad = run("clients", "create", "--data", dir.toString(), "--name", "x", "--organisation", "government");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("government");
    Run unknown = run("clients", "disable", "--data", dir.toString(), "sb-nobody");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no client sb-nobody");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new Main()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  private static int tokenStatus(int port, String id, String secret) throws Exception {
    String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/sleutelbos/v1/oauth/token"))
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
