package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One stored version of the policy set.
 *
 * @param version 1, 2, 3, ... in the order they were stored
 * @param policySet the XACML 3.0 PolicySet text, exactly as uploaded
 */
public record PolicyVersion(int version, Instant createdAt, String policySet) {
  public PolicyVersion {
    if (version < 1) {
      throw new IllegalArgumentException("version < 1: " + version);
    }
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(policySet, "policySet is null");
  }
}
