package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Everything the PDP decides on. {@code consent} is what the consent information point found for
 * this subject, connection and purpose; the enforcement point fills it in.
 */
public record AccessRequest(SubjectAttributes subject, ResourceRequest resource, Action action,
    Environment environment, Optional<Consent> consent) {
  public AccessRequest {
    requireNonNull(subject, "subject is null");
    requireNonNull(resource, "resource is null");
    requireNonNull(action, "action is null");
    requireNonNull(environment, "environment is null");
    requireNonNull(consent, "consent is null");
  }
}
