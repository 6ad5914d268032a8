package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.sleutelbos.auth.Action;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.Environment;
import nl.sleutelbos.auth.ResourceRequest;
import nl.sleutelbos.auth.SubjectAttributes;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.identity.AuthenticationException;
import nl.sleutelbos.identity.Authenticator;
import nl.sleutelbos.identity.Subject;

/**
 * Who may put readings in over MQTT, where there is no HTTP request for the bearer gate and the
 * PEP: the device's bearer token (sent as the MQTT 5 user property {@code authorization}) is
 * authenticated like any request's — the {@link Authenticator} remembers verified tokens until
 * they expire, so a message pays a map lookup, not an ES256 verification — and the policy is asked
 * whether the subject may {@code ingest}. Decisions are remembered per token for
 * {@link #DECISION_TTL}, so a policy change takes effect within that time.
 */
final class DeviceGate {
  static final Duration DECISION_TTL = Duration.ofSeconds(30);
  static final Action INGEST = Action.named("ingest");
  private static final int MAX_DECISIONS = 100_000;

  private final Authenticator authenticator;
  private final EnforcementPoint pep;
  private final Clock clock;
  private final ConcurrentHashMap<String, Decision> decisions = new ConcurrentHashMap<>();

  private record Decision(Optional<MeterScope> scope, String refusal, Instant until) {}

  DeviceGate(Authenticator authenticator, EnforcementPoint pep, Clock clock) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.pep = requireNonNull(pep, "pep is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Whose readings the header's holder may write, or why none. */
  sealed interface Admission {}

  record Admitted(MeterScope scope) implements Admission {}

  record Refused(String reason) implements Admission {}

  Admission admit(Optional<String> authorization) {
    Subject subject;
    try {
      subject = authenticator.authenticate(authorization);
    } catch (AuthenticationException e) {
      return new Refused("not authenticated: " + e.getMessage());
    }
    Instant now = clock.instant();
    String key = authorization.orElseThrow();
    Decision cached = decisions.get(key);
    if (cached == null || !now.isBefore(cached.until())) {
      cached = decide(subject, now);
      if (decisions.size() >= MAX_DECISIONS) {
        decisions.clear(); // bounded; the next messages simply decide again
      }
      decisions.put(key, cached);
    }
    Decision d = cached;
    return d.scope().<Admission>map(Admitted::new).orElseGet(() -> new Refused(d.refusal()));
  }

  private Decision decide(Subject subject, Instant now) {
    SubjectAttributes attributes = subject.organisation()
        .map(org -> SubjectAttributes.of(subject.id(), subject.roles(), org.toString(), subject.country()))
        .orElseGet(() -> new SubjectAttributes(subject.id(), subject.roles(), Optional.empty(), Optional.empty(),
            subject.country()));
    Verdict verdict = pep.check(attributes, ResourceRequest.controlPlane("ingest"), INGEST,
        new Environment(now, false, Optional.empty()));
    Instant until = now.plus(DECISION_TTL);
    if (verdict instanceof Verdict.Deny deny) {
      return new Decision(Optional.empty(), "not permitted to ingest: " + deny.reason(), until);
    }
    return new Decision(Optional.of(MeterScope.of(subject)), "", until);
  }
}
