package nl.sleutelbos.ngsild.geo;

import java.util.Locale;
import java.util.OptionalDouble;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The geo-relationship of a geo-query (ETSI GS CIM 009 v1.8, clause 4.10): {@code near} with a
 * distance in metres, or one of the topological relations of OGC Simple Features.
 */
public sealed interface Georel permits Georel.Near, Georel.Topological {

  /** The text form, as in the {@code georel} parameter. */
  String text();

  /**
   * {@code near;maxDistance==d} and/or {@code near;minDistance==d}: the geo-property lies at most
   * (at least) {@code d} metres from the reference point, measured on the sphere. The grammar of
   * clause 4.10 names one distance; both together (a ring) are accepted as well.
   */
  record Near(OptionalDouble maxDistance, OptionalDouble minDistance) implements Georel {
    public Near {
      if (maxDistance.isEmpty() && minDistance.isEmpty()) {
        throw new IllegalArgumentException("near needs maxDistance or minDistance");
      }
    }

    @Override
    public String text() {
      StringBuilder s = new StringBuilder("near");
      maxDistance.ifPresent(d -> s.append(";maxDistance==").append(number(d)));
      minDistance.ifPresent(d -> s.append(";minDistance==").append(number(d)));
      return s.toString();
    }

    /** Whether a distance in metres satisfies both bounds. */
    public boolean admits(double metres) {
      return (maxDistance.isEmpty() || metres <= maxDistance.getAsDouble())
          && (minDistance.isEmpty() || metres >= minDistance.getAsDouble());
    }

    private static String number(double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
  }

  /** The relations that compare two geometries' point sets, with the geo-property on the left. */
  enum Topological implements Georel {
    WITHIN,
    CONTAINS,
    INTERSECTS,
    EQUALS,
    DISJOINT,
    OVERLAPS;

    @Override
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Parses the {@code georel} text; throws {@code BadRequestData} naming the defect. */
  static Georel parse(String text) {
    String[] parts = text.strip().split(";", -1);
    String head = parts[0].strip();
    if (head.equals("near")) {
      Double max = null;
      Double min = null;
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i].strip();
        int eq = part.indexOf("==");
        if (eq < 0) {
          throw bad("'" + part + "' in georel '" + text + "' is not maxDistance==<metres> or minDistance==<metres>");
        }
        String name = part.substring(0, eq).strip();
        double d = distance(part.substring(eq + 2).strip(), text);
        switch (name) {
          case "maxDistance" -> {
            if (max != null) {
              throw bad("maxDistance is given twice in georel '" + text + "'");
            }
            max = d;
          }
          case "minDistance" -> {
            if (min != null) {
              throw bad("minDistance is given twice in georel '" + text + "'");
            }
            min = d;
          }
          default -> throw bad("unknown modifier '" + name + "' in georel '" + text
              + "'; near takes maxDistance or minDistance");
        }
      }
      if (max == null && min == null) {
        throw bad("georel near needs ;maxDistance==<metres> or ;minDistance==<metres>, got '" + text + "'");
      }
      if (max != null && min != null && min > max) {
        throw bad("minDistance " + min + " exceeds maxDistance " + max + " in georel '" + text + "'");
      }
      return new Near(max == null ? OptionalDouble.empty() : OptionalDouble.of(max),
          min == null ? OptionalDouble.empty() : OptionalDouble.of(min));
    }
    for (Topological t : Topological.values()) {
      if (t.text().equals(head)) {
        if (parts.length > 1) {
          throw bad("georel " + head + " takes no modifiers, got '" + text + "'");
        }
        return t;
      }
    }
    throw bad("unknown georel '" + text
        + "'; expected near;maxDistance==<m>, near;minDistance==<m>, within, contains, intersects,"
        + " equals, disjoint or overlaps");
  }

  private static double distance(String text, String georel) {
    double d;
    try {
      d = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw bad("distance '" + text + "' in georel '" + georel + "' is not a number of metres");
    }
    // parseDouble also takes "NaN", "Infinity" and hex floats; only finite, non-negative metres make sense.
    if (!Double.isFinite(d) || d < 0 || !text.matches("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw bad("distance '" + text + "' in georel '" + georel + "' must be a non-negative number of metres");
    }
    return d;
  }

  private static NgsiLdException bad(String detail) {
    return NgsiLdException.badRequest(detail);
  }
}
