package nl.sleutelbos.app.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The MQTT broker of the tests: Mosquitto on {@value #HOST}:{@value #PORT} (.ci/run starts it).
 * If it cannot be reached the test class is skipped, unless the environment variable {@code CI}
 * is {@code true}: then it fails, because under CI the broker is required.
 */
final class TestMosquitto implements BeforeAllCallback {
  static final String HOST = "127.0.0.1";
  static final int PORT = 1883;

  @Override
  public void beforeAll(ExtensionContext context) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 2000);
    } catch (IOException e) {
      String message = "Mosquitto is not reachable at " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("Mosquitto is required under CI=true: " + message, e);
      }
      Assumptions.abort(message);
    }
  }

  static String uri(String topic) {
    return "mqtt://" + HOST + ":" + PORT + "/" + topic;
  }
}
