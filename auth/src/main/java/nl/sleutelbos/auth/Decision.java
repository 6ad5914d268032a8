package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The PDP's answer, already reduced to deny-unless-permit: NotApplicable and Indeterminate are
 * {@link Effect#DENY} with the reason saying which.
 */
public record Decision(Effect effect, List<Obligation> obligations, String reason) {
  public enum Effect { PERMIT, DENY }

  public Decision {
    requireNonNull(effect, "effect is null");
    obligations = List.copyOf(obligations);
    requireNonNull(reason, "reason is null");
  }

  public static Decision deny(String reason) {
    return new Decision(Effect.DENY, List.of(), reason);
  }

  public boolean permitted() {
    return effect == Effect.PERMIT;
  }
}
