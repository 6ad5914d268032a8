package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * The state of the world at the time of the request.
 *
 * @param purpose the purpose the client declared in the {@code Sleutelbos-Purpose} header
 */
public record Environment(Instant time, boolean breakGlass, Optional<String> purpose) {
  /** The request header that declares the purpose of a request. */
  public static final String PURPOSE_HEADER = "Sleutelbos-Purpose";

  public Environment {
    requireNonNull(time, "time is null");
    requireNonNull(purpose, "purpose is null");
  }
}
