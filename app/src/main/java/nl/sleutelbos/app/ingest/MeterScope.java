package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import nl.sleutelbos.identity.Organisation;
import nl.sleutelbos.identity.Subject;

/** Whose readings a sender may write: any meter's (head-end, operator), or only its own (a meter). */
public sealed interface MeterScope {
  /** The role of a device client writing its own readings. */
  String METER_ROLE = "meter";

  boolean permits(String meterId);

  /** The head-end or an operator administrator; the policy already decided it may ingest. */
  record Any() implements MeterScope {
    @Override
    public boolean permits(String meterId) {
      return true;
    }
  }

  /** A meter: its own readings only. */
  record Own(String meterId) implements MeterScope {
    public Own {
      requireNonNull(meterId, "meterId is null");
    }

    @Override
    public boolean permits(String other) {
      return meterId.equals(other);
    }
  }

  MeterScope ANY = new Any();

  /**
   * The scope of an authenticated subject: a subject with the meter role writes only the
   * readings of the meter its organisation names ({@code meter:<id>}); without such an
   * organisation, none at all.
   */
  static MeterScope of(Subject subject) {
    if (subject.hasRole(METER_ROLE)) {
      return new Own(subject.organisation().filter(o -> o instanceof Organisation.Meter)
          .map(o -> ((Organisation.Meter) o).meterId()).orElse(""));
    }
    return ANY;
  }
}
