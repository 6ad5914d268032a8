package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An issued access token: the compact JWT and when it expires. {@link #toString} does not show
 * the token, so it cannot end up in a log by accident.
 */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {
  public AccessToken {
    requireNonNull(value, "value is null");
    requireNonNull(issuedAt, "issuedAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }

  /** Seconds from issue to expiry, for the token response's {@code expires_in}. */
  public long expiresIn() {
    return expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
  }

  @Override
  public String toString() {
    return "AccessToken[expiresAt=" + expiresAt + "]";
  }
}
