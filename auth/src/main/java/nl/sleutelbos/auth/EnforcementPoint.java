package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The policy enforcement point without HTTP: gathers the attributes the policy needs that the
 * request does not carry (consent, from the {@link ConsentInformationPoint}), asks the
 * {@link PolicyDecisionPoint}, and turns the decision into a {@link Verdict}. Deny unless permit.
 */
public final class EnforcementPoint {
  private final PolicyDecisionPoint pdp;
  private final ConsentInformationPoint consents;

  public EnforcementPoint(PolicyDecisionPoint pdp, ConsentInformationPoint consents) {
    this.pdp = requireNonNull(pdp, "pdp is null");
    this.consents = requireNonNull(consents, "consents is null");
  }

  public Verdict check(SubjectAttributes subject, ResourceRequest resource, Action action, Environment environment) {
    Decision decision = pdp.decide(new AccessRequest(subject, resource, action, environment,
        consentFor(subject, resource, environment)));
    return decision.permitted() ? new Verdict.Permit(decision.obligations()) : new Verdict.Deny(decision.reason());
  }

  /**
   * The consent that covers this request, if the data belongs to a connection other than the
   * subject's own and the request declares a purpose: consent is always for one purpose, so a
   * request without one is never covered.
   */
  private Optional<Consent> consentFor(SubjectAttributes subject, ResourceRequest resource, Environment environment) {
    Optional<String> grantee = subject.organisation();
    if (resource.owningConnection().isEmpty() || grantee.isEmpty() || environment.purpose().isEmpty()) {
      return Optional.empty();
    }
    return consents.find(resource.tenant(), resource.owningConnection().get(), grantee.get(),
        environment.purpose().get(), environment.time());
  }
}
