package nl.sleutelbos.ngsild.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.AttributeInstance;

/**
 * Converts between an attribute instance in the internal form (see {@code nl.sleutelbos.ngsild})
 * and the {@link AttributeInstance} the store keeps.
 *
 * <p>The store's columns already hold the times, the datasetId and the instance id, so the stored
 * document leaves them out; a numeric value that the number column gives back exactly is left out
 * too. A quarter-hour reading is then stored as {@code {"type":"Property"}} plus its columns,
 * which keeps billions of instances affordable.
 */
public final class Instances {
  static final String TYPE = "type";
  static final String VALUE = "value";
  static final String OBJECT = "object";
  static final String LANGUAGE_MAP = "languageMap";
  static final String DATASET_ID = "datasetId";
  static final String OBSERVED_AT = "observedAt";
  static final String CREATED_AT = "createdAt";
  static final String MODIFIED_AT = "modifiedAt";
  static final String INSTANCE_ID = "instanceId";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();
  private static final double EXACT_INTEGERS = 9_007_199_254_740_992d; // 2^53

  private Instances() {}

  /**
   * A new instance id: 80 random bits, so that ids made by many writers never collide in one
   * entity's history, in 30 characters.
   */
  public static String newInstanceId() {
    byte[] bits = new byte[10];
    RANDOM.nextBytes(bits);
    StringBuilder id = new StringBuilder("urn:ngsi-ld:i:");
    long high = 0;
    for (int i = 0; i < 5; i++) {
      high = high << 8 | (bits[i] & 0xff);
    }
    long low = 0;
    for (int i = 5; i < 10; i++) {
      low = low << 8 | (bits[i] & 0xff);
    }
    for (long part : new long[] {high, low}) {
      for (int shift = 35; shift >= 0; shift -= 5) {
        id.append(DIGITS[(int) (part >>> shift) & 31]);
      }
    }
    return id.toString();
  }

  /**
   * The stored form of one internal-form instance.
   *
   * @param modifiedAt when this instance was written, if the instance does not say
   */
  public static AttributeInstance stored(String entityId, String attribute, ObjectNode instance, String instanceId,
      Instant modifiedAt) {
    ObjectNode doc = instance.deepCopy();
    Optional<String> datasetId = text(doc.remove(DATASET_ID));
    Optional<Instant> observedAt = text(doc.remove(OBSERVED_AT)).map(Instances::time);
    Instant modified = text(doc.remove(MODIFIED_AT)).map(Instances::time).orElse(modifiedAt);
    Instant created = text(doc.remove(CREATED_AT)).map(Instances::time).orElse(modified);
    doc.remove(INSTANCE_ID);
    Optional<Double> number = Optional.empty();
    JsonNode value = doc.get(VALUE);
    if (value != null && value.isNumber() && !"GeoProperty".equals(doc.path(TYPE).asText())) {
      double d = value.doubleValue();
      if (Double.isFinite(d)) {
        number = Optional.of(d);
        // Compared as text: Jackson's node equality ignores a decimal's scale (1.50 equals 1.5).
        if (Json.write(restore(d)).equals(Json.write(value))) {
          doc.remove(VALUE);
        }
      }
    }
    return new AttributeInstance(entityId, attribute, datasetId, instanceId, observedAt, created, modified, number,
        Json.write(doc));
  }

  /** The internal form of a stored instance, with its instance id and system times. */
  public static ObjectNode internal(AttributeInstance stored) {
    ObjectNode doc = Json.parseStored(stored.document());
    if (!doc.has(VALUE) && !doc.has(OBJECT) && !doc.has(LANGUAGE_MAP) && stored.number().isPresent()) {
      doc.set(VALUE, restore(stored.number().get()));
    }
    stored.datasetId().ifPresent(d -> doc.put(DATASET_ID, d));
    stored.observedAt().ifPresent(t -> doc.put(OBSERVED_AT, t.toString()));
    doc.put(CREATED_AT, stored.createdAt().toString());
    doc.put(MODIFIED_AT, stored.modifiedAt().toString());
    doc.put(INSTANCE_ID, stored.instanceId());
    return doc;
  }

  /** A number as JSON: an integer when it is one exactly, else a decimal. */
  private static JsonNode restore(double d) {
    if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS) {
      return Json.NODES.numberNode((long) d);
    }
    return Json.NODES.numberNode(BigDecimal.valueOf(d).stripTrailingZeros());
  }

  private static Optional<String> text(JsonNode node) {
    return node == null || !node.isTextual() ? Optional.empty() : Optional.of(node.asText());
  }

  static Instant time(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }
}
