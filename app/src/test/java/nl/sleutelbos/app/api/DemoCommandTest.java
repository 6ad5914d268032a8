package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.app.Main;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sleutelbos demo} in process, as a new user meets it: it starts, the fleet ingests, and
 * the curl commands it prints — run by bash and curl exactly as printed — answer 200 with the
 * meter's latest values, its day of readings and its quarter-hour aggregates.
 */
class DemoCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theDemoIngestsOverHttpAndItsPrintedCurlCommandsWork() throws Exception {
    demoAndItsCommands("http");
  }

  @Test
  void theDemoIngestsOverMqttWhenABrokerAnswers() throws Exception {
    new TestMosquitto().beforeAll(null);
    // A topic root of its own, so no other server subscribed on the broker takes its telegrams.
    demoAndItsCommands("mqtt", "--mqtt", "tcp://" + TestMosquitto.HOST + ":" + TestMosquitto.PORT + "/demo-test-"
        + java.util.UUID.randomUUID());
  }

  private void demoAndItsCommands(String transport, String... more) throws Exception {
    requireTools("bash", "curl");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] exit = {-1};
    List<String> args = new ArrayList<>(List.of("demo", "--port", "0", "--data", dir.toString(), "--meters", "20",
        "--interval", "2s", "--seconds", "25", "--transport", transport));
    args.addAll(List.of(more));
    Thread demo = Thread.ofPlatform().start(() -> exit[0] = new CommandLine(new Main())
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new)));
    try {
      String instructions = awaitInstructions(out, demo);
      assertThat(instructions).contains("over " + transport.toUpperCase(java.util.Locale.ROOT));
      if (transport.equals("mqtt")) {
        assertThat(instructions).contains(more[1]); // the broker and topic root the meters publish to
      }
      List<String> commands = commands(instructions);
      assertThat(commands).hasSize(6);
      // Run them as a user would, again until meter-0001's first telegrams are in (or 60 s have passed).
      List<String> answers = runAll(commands);
      for (Instant deadline = Instant.now().plusSeconds(60);
          !JSON.readTree(answers.get(0)).has("activePower") && Instant.now().isBefore(deadline); ) {
        Thread.sleep(1_000);
        answers = runAll(commands);
      }
      assertThat(answers).hasSize(3);

      JsonNode latest = JSON.readTree(answers.get(0));
      assertThat(latest.path("id").asText()).isEqualTo("urn:ngsi-ld:Device:meter-0001");
      assertThat(latest.path("connection").asText()).isEqualTo("871687000000000001");
      assertThat(latest.path("activePower").isNumber()).as(answers.get(0)).isTrue();
      assertThat(latest.has("energyConsumed")).as(answers.get(0)).isTrue();

      JsonNode day = JSON.readTree(answers.get(1));
      assertThat(values(day.path("activePower"), "values")).as(answers.get(1)).isPositive();
      assertThat(values(day.path("energyConsumed"), "values")).as(answers.get(1)).isPositive();

      JsonNode quarters = JSON.readTree(answers.get(2));
      assertThat(values(quarters.path("activePower"), "avg")).as(answers.get(2)).isPositive();
      assertThat(values(quarters.path("activePower"), "max")).as(answers.get(2)).isPositive();
    } finally {
      demo.join(Duration.ofSeconds(60)); // the demo runs its --seconds out, even after a failed assertion
    }
    assertThat(exit[0]).as(err.toString()).isZero();
    assertThat(err.toString()).doesNotContain("Exception");
  }

  private static void requireTools(String... tools) throws Exception {
    for (String tool : tools) {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      if (p.waitFor() != 0) {
        String message = tool + " is not installed: the demo's printed commands cannot be run";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          throw new AssertionError(message + " (required under CI=true)");
        }
        Assumptions.abort(message);
      }
    }
  }

  private static String awaitInstructions(StringWriter out, Thread demo) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline) && demo.isAlive()) {
      String text = out.toString();
      if (text.contains("aggrPeriodDuration")) {
        return text;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the demo printed no commands: " + out);
  }

  /** The printed shell lines: the token's three, then one per curl command. */
  private static List<String> commands(String instructions) {
    List<String> out = new ArrayList<>();
    for (String line : instructions.split("\n")) {
      String command = line.strip();
      if (line.startsWith("  ") && (command.startsWith("ID=") || command.startsWith("SECRET=")
          || command.startsWith("TOKEN=") || command.startsWith("curl "))) {
        out.add(command);
      }
    }
    return out;
  }

  /** Runs the lines in one bash; answers each curl's body, checking it came with status 200. */
  private static List<String> runAll(List<String> commands) throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder("set -e\n");
    int n = 0;
    for (String c : commands) {
      if (c.startsWith("curl ")) {
        script.append("echo '--- answer ").append(n++).append("'\n").append(c).append(" -w '\\n%{http_code}\\n'\n");
      } else {
        script.append(c).append('\n');
      }
    }
    Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(output).isZero();
    List<String> answers = new ArrayList<>();
    String[] parts = output.split("--- answer \\d+\n");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].stripTrailing();
      int last = part.lastIndexOf('\n');
      assertThat(part.substring(last + 1)).as(part).isEqualTo("200");
      answers.add(part.substring(0, last));
    }
    return answers;
  }

  /** How many [value, time…] entries an attribute's temporal representation holds under {@code key}, over its datasets. */
  private static int values(JsonNode attribute, String key) {
    int count = 0;
    for (JsonNode dataset : attribute.isArray() ? attribute : JSON.createArrayNode().add(attribute)) {
      count += dataset.path(key).size();
    }
    return count;
  }
}
