package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One telegram as the model needs it: which meter, when, what it measured (as NGSI-LD attribute
 * values with their UN/CEFACT units) and the M-Bus devices it carried.
 *
 * @param slot the telegram's position in its batch, where its result goes
 * @param receivedAt when it reached us (the "now" of the checks on its timestamp)
 * @param source the parsed telegram, for the validator
 */
record Reading(int slot, String meterId, Instant time, Instant receivedAt, List<Measure> measures,
    List<SubMeter> subMeters, Object source) {
  Reading {
    requireNonNull(meterId, "meterId is null");
    requireNonNull(time, "time is null");
    requireNonNull(receivedAt, "receivedAt is null");
    // A row's measures are decoded only when read (the ingest never reads them); they cannot change.
    measures = measures instanceof ReadingCodec.Row ? measures : List.copyOf(measures);
    subMeters = List.copyOf(subMeters);
  }

  /**
   * One latest value of the meter entity.
   *
   * @param attribute the term (default vocabulary), e.g. {@code energyConsumed}
   * @param datasetId the instance's datasetId (a tariff, a phase), or empty for the default instance
   * @param code a short fixed code for this attribute and dataset, part of the instance ids
   * @param unitCode the UN/CEFACT common code, or empty for a count or a text
   * @param history whether every telegram adds an instance (an instantaneous measurement), or
   *     only a new value does (a register or a count, whose history is a step function)
   */
  record Measure(String attribute, Optional<String> datasetId, String code, JsonNode value, Optional<String> unitCode,
      boolean history) {
    Measure {
      requireNonNull(attribute, "attribute is null");
      requireNonNull(datasetId, "datasetId is null");
      requireNonNull(code, "code is null");
      requireNonNull(value, "value is null");
      requireNonNull(unitCode, "unitCode is null");
    }
  }

  /**
   * An M-Bus device (gas, water, heat, ...) read through the meter: its own entity.
   *
   * @param kind what it measures: {@code gas}, {@code water}, {@code heat}, {@code electricity}, or the device type number
   */
  record SubMeter(String kind, String equipmentId, Instant time, double value, Optional<String> unitCode) {
    SubMeter {
      requireNonNull(kind, "kind is null");
      requireNonNull(equipmentId, "equipmentId is null");
      requireNonNull(time, "time is null");
      requireNonNull(unitCode, "unitCode is null");
    }
  }
}
