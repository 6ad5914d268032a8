package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;

/** What became of one telegram: what the ingest answers per telegram and counts. */
public sealed interface TelegramResult {

  /** Which meter, when known: the claimed id, or the one the telegram names. */
  Optional<String> meterId();

  ObjectNode toJson();

  /**
   * Writes {@link #toJson()} as it serialises, field for field, without building it: the ingest
   * answers one of these per telegram.
   */
  void writeJson(JsonGenerator out) throws IOException;

  /**
   * Kept: the meter's latest values and its history; or, when {@code late} (older than the
   * meter's newest reading: out of order, or delivered again after its batch committed), its
   * history only.
   */
  record Accepted(String meter, Instant time, List<String> flags, boolean late) implements TelegramResult {
    public Accepted {
      requireNonNull(meter, "meter is null");
      requireNonNull(time, "time is null");
      flags = List.copyOf(flags);
    }

    @Override
    public Optional<String> meterId() {
      return Optional.of(meter);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode out = Json.object();
      out.put("result", flags.isEmpty() ? "accepted" : "accepted-with-flags");
      out.put("meterId", meter);
      out.put("time", time.toString());
      if (!flags.isEmpty()) {
        flags.forEach(out.putArray("flags")::add);
      }
      if (late) {
        out.put("late", true);
      }
      return out;
    }

    @Override
    public void writeJson(JsonGenerator out) throws IOException {
      out.writeStartObject();
      out.writeStringField("result", flags.isEmpty() ? "accepted" : "accepted-with-flags");
      out.writeStringField("meterId", meter);
      out.writeStringField("time", TimeText.of(time));
      if (!flags.isEmpty()) {
        out.writeArrayFieldStart("flags");
        for (String f : flags) {
          out.writeString(f);
        }
        out.writeEndArray();
      }
      if (late) {
        out.writeBooleanField("late", true);
      }
      out.writeEndObject();
    }
  }

  /** The same reading (meter, time) was kept before: a re-delivery. Nothing changed. */
  record Repeated(String meter, Instant time) implements TelegramResult {
    public Repeated {
      requireNonNull(meter, "meter is null");
      requireNonNull(time, "time is null");
    }

    @Override
    public Optional<String> meterId() {
      return Optional.of(meter);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode out = Json.object();
      out.put("result", "repeated");
      out.put("meterId", meter);
      out.put("time", time.toString());
      return out;
    }

    @Override
    public void writeJson(JsonGenerator out) throws IOException {
      out.writeStartObject();
      out.writeStringField("result", "repeated");
      out.writeStringField("meterId", meter);
      out.writeStringField("time", TimeText.of(time));
      out.writeEndObject();
    }
  }

  /** Not kept, for a reason that is counted. */
  record Rejected(Optional<String> meterId, Reason reason, String detail) implements TelegramResult {
    public Rejected {
      requireNonNull(meterId, "meterId is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(detail, "detail is null");
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode out = Json.object();
      out.put("result", "rejected");
      meterId.ifPresent(m -> out.put("meterId", m));
      out.put("reason", reason.code());
      out.put("detail", detail);
      return out;
    }

    @Override
    public void writeJson(JsonGenerator out) throws IOException {
      out.writeStartObject();
      out.writeStringField("result", "rejected");
      if (meterId.isPresent()) {
        out.writeStringField("meterId", meterId.get());
      }
      out.writeStringField("reason", reason.code());
      out.writeStringField("detail", detail);
      out.writeEndObject();
    }
  }

  /** Why a telegram was rejected. */
  enum Reason {
    /** The CRC-16 over the telegram does not match its checksum. */
    CRC("crc"),
    /** The text is not a telegram the parser can read. */
    MALFORMED("malformed"),
    /** The telegram has no equipment identifier or no timestamp, so it cannot be kept. */
    INCOMPLETE("incomplete"),
    /** The sender may not write this meter's readings, or the ids it gave disagree. */
    FORBIDDEN("forbidden"),
    /** The store refused the write. */
    STORE("store");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
