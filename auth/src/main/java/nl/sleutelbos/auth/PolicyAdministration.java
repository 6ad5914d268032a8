package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Policy administration: upload a policy set, list and read the versions, roll back. An upload
 * is compiled by the engine before anything is stored, so a policy that fails to parse or
 * validate is rejected with the engine's message and the one in force stays. Every change puts
 * the new engine in force and drops cached policy information (consent), so the next request is
 * decided under the new policy.
 *
 * <p>Changes are serialised in this process; several Sleutelbos nodes on one PostgreSQL would
 * each need to reload on a change, which is not done yet.
 */
public final class PolicyAdministration implements AutoCloseable {
  private final PolicyStore store;
  private final PolicyDecisionPoint pdp;
  private final ConsentInformationPoint consents;
  private final Clock clock;

  private PolicyAdministration(PolicyStore store, PolicyDecisionPoint pdp, ConsentInformationPoint consents, Clock clock) {
    this.store = store;
    this.pdp = pdp;
    this.consents = consents;
    this.clock = clock;
  }

  /**
   * Loads the policy in force from the store; on first start stores the default policy set as
   * version 1 and puts it in force.
   */
  public static PolicyAdministration open(PolicyStore store, ConsentInformationPoint consents, Clock clock) {
    requireNonNull(store, "store is null");
    requireNonNull(consents, "consents is null");
    requireNonNull(clock, "clock is null");
    Optional<Integer> active = store.activeVersion();
    PolicyVersion version;
    if (active.isEmpty()) {
      version = store.append(PolicyDecisionPoint.defaultPolicy(), clock.instant());
      store.setActive(version.version());
    } else {
      version = store.version(active.get())
          .orElseThrow(() -> new IllegalStateException("the active policy version " + active.get() + " is missing"));
    }
    try {
      return new PolicyAdministration(store, PolicyDecisionPoint.start(version.policySet()), consents, clock);
    } catch (PolicyException e) {
      // It was accepted when it was stored; failing now means the engine or the store changed.
      throw new IllegalStateException("the policy in force (version " + version.version() + ") no longer loads: "
          + e.getMessage(), e);
    }
  }

  public PolicyDecisionPoint pdp() {
    return pdp;
  }

  /** The version in force. */
  public synchronized PolicyVersion active() {
    int n = store.activeVersion().orElseThrow();
    return store.version(n).orElseThrow();
  }

  public List<PolicyVersion> versions() {
    return store.versions();
  }

  public Optional<PolicyVersion> version(int n) {
    return store.version(n);
  }

  /** Compiles, stores and puts in force a new policy set. */
  public synchronized PolicyVersion upload(String policySet) throws PolicyException {
    PolicyDecisionPoint.CompiledPolicy compiled = PolicyDecisionPoint.compile(policySet);
    PolicyVersion version = store.append(policySet, clock.instant());
    store.setActive(version.version());
    pdp.activate(compiled);
    consents.invalidate();
    return version;
  }

  /**
   * Puts an earlier version back in force.
   *
   * @return the version, or empty if there is none with that number
   */
  public synchronized Optional<PolicyVersion> activate(int n) throws PolicyException {
    Optional<PolicyVersion> version = store.version(n);
    if (version.isEmpty()) {
      return version;
    }
    PolicyDecisionPoint.CompiledPolicy compiled = PolicyDecisionPoint.compile(version.get().policySet());
    store.setActive(n);
    pdp.activate(compiled);
    consents.invalidate();
    return version;
  }

  @Override
  public void close() {
    pdp.close();
  }
}
