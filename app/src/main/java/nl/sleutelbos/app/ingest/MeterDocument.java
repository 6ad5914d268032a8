package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.ngsild.Json;

/**
 * A meter entity's stored document with one reading's values as its latest, rewritten in one
 * streaming pass: the members and instances the reading does not change are copied as the stored
 * text, the instances it does change are written anew (each keeping its {@code createdAt}), and
 * {@code dateLastValueReported} is set. The result is the document {@link MeterModel#applyMeter}
 * makes — the same members in the same order — without building the document's tree: parsing and
 * writing the ~5 KB tree of a three-phase meter took most of what the latest-values projector
 * spent per meter (measured side by side: 0.64 of the tree path's time). One difference in text,
 * none in value: a kept number stays as it was written ({@code 0.0}), where the tree path writes
 * the number it parsed ({@code 0}).
 *
 * <p>It reads the shapes the model writes. Anything else (an attribute that is not an array of
 * objects, a {@code datasetId} or {@code createdAt} that is not a string, a time it cannot read)
 * gives {@link Rewrite.Unexpected}, and the caller takes the tree path, which is the definition and
 * says what is wrong.
 */
final class MeterDocument {
  /** Plain: the client limits and duplicate detection of {@link Json#MAPPER} are for input we did not write. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // The attribute names are ~60-character IRIs, read once each: hashing them into the symbol
      // table cost more than making the strings.
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .build();
  private static final String LAST = MeterModel.LAST;
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString PROPERTY = new SerializedString("Property");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString UNIT_CODE = new SerializedString("unitCode");
  private static final SerializedString OBSERVED_AT = new SerializedString("observedAt");
  private static final SerializedString DATASET_ID = new SerializedString("datasetId");
  private static final SerializedString CREATED_AT = new SerializedString("createdAt");
  private static final SerializedString MODIFIED_AT = new SerializedString("modifiedAt");
  private static final SerializedString DATA_QUALITY = new SerializedString(MeterModel.DATA_QUALITY);
  private static final SerializedString LAST_NAME = new SerializedString(LAST);
  /** The attributes' IRIs and the units' and datasets' texts of {@link ReadingCodec#DEFS}, quoted once. */
  private static final Map<String, String> IRIS = new HashMap<>();
  private static final Map<String, SerializedString> TEXTS = new HashMap<>();

  static {
    for (ReadingCodec.Def d : ReadingCodec.DEFS) {
      IRIS.put(d.attribute(), MeterModel.V + d.attribute());
      d.unitCode().ifPresent(u -> TEXTS.put(u, new SerializedString(u)));
      d.datasetId().ifPresent(u -> TEXTS.put(u, new SerializedString(u)));
    }
  }

  private MeterDocument() {}

  /** What a rewrite came to. */
  sealed interface Rewrite {
    /** The document with the reading's values as its latest. */
    record Written(String document) implements Rewrite {}

    /** The document already shows a reading at least as new: nothing changes. */
    record NotNewer() implements Rewrite {}

    /** A shape this pass does not read; the tree path decides. */
    record Unexpected() implements Rewrite {}
  }

  private static final Rewrite NOT_NEWER = new Rewrite.NotNewer();
  private static final Rewrite UNEXPECTED = new Rewrite.Unexpected();

  /**
   * @param document the meter entity's stored document
   * @param time the reading's time (its instances' {@code observedAt})
   * @param measures the reading's values, as {@link ReadingCodec#decode} gives them
   * @param flags the reading's quality flags (empty: none)
   * @param now the change time ({@code createdAt} of new instances, {@code modifiedAt} of changed ones)
   */
  static Rewrite rewrite(String document, Instant time, List<Reading.Measure> measures, List<String> flags,
      Instant now) {
    Map<String, List<Reading.Measure>> byIri = new LinkedHashMap<>();
    for (Reading.Measure m : measures) {
      String iri = IRIS.get(m.attribute());
      byIri.computeIfAbsent(iri != null ? iri : MeterModel.V + m.attribute(), k -> new ArrayList<>(3)).add(m);
    }
    String written = now.toString();
    Instance instance = new Instance(new SerializedString(time.toString()), new SerializedString(written), flags);
    char[] text = document.toCharArray();
    SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
    try (JsonParser p = FACTORY.createParser(text); JsonGenerator g = FACTORY.createGenerator(out)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return UNEXPECTED;
      }
      g.writeStartObject();
      boolean lastSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        List<Reading.Measure> changed = byIri.remove(name);
        if (changed != null) {
          if (value != JsonToken.START_ARRAY || !replaceInstances(p, g, text, name, changed, instance)) {
            return UNEXPECTED;
          }
        } else if (name.equals(LAST)) {
          Rewrite seen = lastReported(p, g, time, instance);
          if (seen != null) {
            return seen;
          }
          lastSeen = true;
        } else {
          g.writeFieldName(name);
          copy(p, g, text, value);
        }
      }
      // Attributes the document did not have yet go last, in the reading's order, then the time:
      // where the tree path's withArray and set append them.
      for (Map.Entry<String, List<Reading.Measure>> e : byIri.entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (Reading.Measure m : e.getValue()) {
          instance.write(g, m, null);
        }
        g.writeEndArray();
      }
      if (!lastSeen) {
        instance.writeLast(g, null);
      }
      g.writeEndObject();
    } catch (IOException e) {
      // Text we stored ourselves that does not parse: the tree path says so with its own message.
      return UNEXPECTED;
    }
    try {
      return new Rewrite.Written(out.getAndClear());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the rewritten document of a meter", e); // in memory: never
    }
  }

  /**
   * One attribute's instances: each that a measure replaces (the first with its datasetId) is
   * written anew with its createdAt, the others are copied; measures of a datasetId not yet there
   * are appended. False if an instance is not an object or its datasetId or createdAt not a string.
   */
  private static boolean replaceInstances(JsonParser p, JsonGenerator g, char[] text, String name,
      List<Reading.Measure> measures, Instance instance) throws IOException {
    g.writeArrayFieldStart(name);
    boolean[] done = new boolean[measures.size()];
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        return false;
      }
      int start = (int) p.currentTokenLocation().getCharOffset();
      String datasetId = null;
      String createdAt = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("datasetId") || field.equals("createdAt")) {
          if (v != JsonToken.VALUE_STRING) {
            return false;
          }
          if (field.equals("datasetId")) {
            datasetId = p.getText();
          } else {
            createdAt = p.getText();
          }
        } else {
          p.skipChildren();
        }
      }
      int end = (int) p.currentLocation().getCharOffset();
      int k = unreplaced(measures, done, datasetId);
      if (k >= 0) {
        done[k] = true;
        instance.write(g, measures.get(k), createdAt);
      } else {
        g.writeRawValue(text, start, end - start);
      }
    }
    for (int k = 0; k < done.length; k++) {
      if (!done[k]) {
        instance.write(g, measures.get(k), null);
      }
    }
    g.writeEndArray();
    return true;
  }

  /** The measure not yet written whose datasetId (or none) is the instance's, or -1. */
  private static int unreplaced(List<Reading.Measure> measures, boolean[] done, String datasetId) {
    for (int k = 0; k < measures.size(); k++) {
      if (!done[k] && (datasetId == null ? measures.get(k).datasetId().isEmpty()
          : measures.get(k).datasetId().filter(datasetId::equals).isPresent())) {
        return k;
      }
    }
    return -1;
  }

  /**
   * {@code dateLastValueReported}: its first instance's value is the newest reading shown. Writes
   * the new one and returns null, or returns what the rewrite came to instead.
   */
  private static Rewrite lastReported(JsonParser p, JsonGenerator g, Instant time, Instance instance)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_OBJECT) {
      return UNEXPECTED;
    }
    String shown = null;
    String createdAt = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("value") && v == JsonToken.VALUE_STRING) {
        shown = p.getText();
      } else if (field.equals("createdAt")) {
        if (v != JsonToken.VALUE_STRING) {
          return UNEXPECTED;
        }
        createdAt = p.getText();
      } else {
        p.skipChildren();
      }
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren(); // further instances: the tree path drops them too
    }
    if (shown != null) {
      try {
        if (!time.isAfter(Instant.parse(shown))) {
          return NOT_NEWER;
        }
      } catch (DateTimeParseException e) {
        return UNEXPECTED;
      }
    }
    instance.writeLast(g, createdAt);
    return null;
  }

  /** Copies one member's value: objects and arrays as the stored text, a scalar as its token. */
  private static void copy(JsonParser p, JsonGenerator g, char[] text, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      int start = (int) p.currentTokenLocation().getCharOffset();
      p.skipChildren();
      int end = (int) p.currentLocation().getCharOffset();
      g.writeRawValue(text, start, end - start);
    } else {
      g.copyCurrentEventExact(p);
    }
  }

  /** How this rewrite writes an instance: the reading's time and flags, the change time. */
  private record Instance(SerializedString observed, SerializedString written, List<String> flags) {
    /**
     * As {@code MeterModel.instance}: type, value, unitCode, observedAt, datasetId, times, dataQuality.
     *
     * @param createdAt the replaced instance's, or null for a new one (created now)
     */
    void write(JsonGenerator g, Reading.Measure m, String createdAt) throws IOException {
      g.writeStartObject();
      g.writeFieldName(TYPE);
      g.writeString(PROPERTY);
      g.writeFieldName(VALUE);
      JsonNode v = m.value();
      if (v.isValueNode()) {
        v.serialize(g, null);
      } else {
        Json.MAPPER.writeTree(g, v);
      }
      if (m.unitCode().isPresent()) {
        g.writeFieldName(UNIT_CODE);
        text(g, m.unitCode().get());
      }
      g.writeFieldName(OBSERVED_AT);
      g.writeString(observed);
      if (m.datasetId().isPresent()) {
        g.writeFieldName(DATASET_ID);
        text(g, m.datasetId().get());
      }
      times(g, createdAt);
      if (!flags.isEmpty()) {
        g.writeFieldName(DATA_QUALITY);
        g.writeStartObject();
        g.writeFieldName(TYPE);
        g.writeString(PROPERTY);
        g.writeFieldName(VALUE);
        g.writeStartArray();
        for (String f : flags) {
          g.writeString(f);
        }
        g.writeEndArray();
        times(g, null);
        g.writeEndObject();
      }
      g.writeEndObject();
    }

    /** {@code createdAt} (the replaced instance's, or null: now) and {@code modifiedAt} (now). */
    private void times(JsonGenerator g, String createdAt) throws IOException {
      g.writeFieldName(CREATED_AT);
      if (createdAt == null) {
        g.writeString(written);
      } else {
        g.writeString(createdAt);
      }
      g.writeFieldName(MODIFIED_AT);
      g.writeString(written);
    }

    private static void text(JsonGenerator g, String text) throws IOException {
      SerializedString quoted = TEXTS.get(text);
      if (quoted != null) {
        g.writeString(quoted);
      } else {
        g.writeString(text);
      }
    }

    /** {@code dateLastValueReported}: one instance, the reading's time. */
    void writeLast(JsonGenerator g, String createdAt) throws IOException {
      g.writeFieldName(LAST_NAME);
      g.writeStartArray();
      g.writeStartObject();
      g.writeFieldName(TYPE);
      g.writeString(PROPERTY);
      g.writeFieldName(VALUE);
      g.writeString(observed);
      times(g, createdAt);
      g.writeEndObject();
      g.writeEndArray();
    }
  }
}
