package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/**
 * Where and how notifications go (clause 5.2.15 Endpoint).
 *
 * @param uri an {@code http}, {@code https}, {@code mqtt} or {@code mqtts} URI
 * @param accept the media type of the notification: {@code application/json} or {@code application/ld+json}
 * @param notifierInfo settings for the notifier, such as {@code MQTT-QoS} (clause 7.4)
 * @param receiverInfo extra headers (HTTP) or metadata (MQTT) to send with each notification
 */
public record Endpoint(URI uri, String accept, Map<String, String> notifierInfo, Map<String, String> receiverInfo) {
  public static final String JSON = "application/json";
  public static final String LD_JSON = "application/ld+json";

  /** How a notification travels: the binding of clause 7 that the URI scheme names. */
  public enum Binding { HTTP, MQTT }

  public Endpoint {
    requireNonNull(uri, "uri is null");
    requireNonNull(accept, "accept is null");
    notifierInfo = Map.copyOf(notifierInfo);
    receiverInfo = Map.copyOf(receiverInfo);
  }

  /** The URI without user info, for logs: an MQTT URI may carry a password. */
  public String redacted() {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  public Binding binding() {
    return switch (uri.getScheme()) {
      case "http", "https" -> Binding.HTTP;
      case "mqtt", "mqtts" -> Binding.MQTT;
      default -> throw new IllegalStateException("endpoint scheme was not checked: " + uri);
    };
  }
}
