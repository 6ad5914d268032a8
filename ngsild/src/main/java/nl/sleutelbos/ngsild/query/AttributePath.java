package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The attribute path of a Query Term (clause 4.9, production {@code Attribute}): {@code
 * name.dotted...[compound...]}, for example {@code temperature.observedAt}, {@code address[city]}
 * or {@code sensor.rawdata[airquality.particulate]}.
 *
 * <p>A dot segment names a sub-attribute of the element before it, or one of its NGSI-LD members
 * ({@link #MEMBERS}, such as {@code observedAt}). Compound segments are JSON member names inside
 * the target value. Names are not checked here: after {@link #mapAttributes} they are expanded
 * IRIs. The printed form reads back to an equal path whenever the names follow the grammar.
 *
 * @param name the attribute: a term, a compact IRI or an absolute IRI
 * @param dotted the sub-attribute or member names after the attribute, in order
 * @param compound the JSON member names inside the target value, in order
 */
public record AttributePath(String name, List<String> dotted, List<String> compound) {

  /**
   * Dot segments that are NGSI-LD members of an attribute instance rather than sub-attributes: a
   * query compares them as they are, and term expansion leaves them alone.
   */
  static final Set<String> MEMBERS =
      Set.of(
          "observedAt",
          "unitCode",
          "datasetId",
          "createdAt",
          "modifiedAt",
          "object",
          "value",
          "languageMap",
          "type");

  public AttributePath {
    requireNonNull(name, "name is null");
    dotted = List.copyOf(dotted);
    compound = List.copyOf(compound);
    if (name.isEmpty() || dotted.contains("") || compound.contains("")) {
      throw new IllegalArgumentException("empty segment in path: " + name + dotted + compound);
    }
  }

  /** A path of just an attribute name. */
  public static AttributePath of(String name) {
    return new AttributePath(name, List.of(), List.of());
  }

  /**
   * This path with the attribute name and every dot segment that is not an NGSI-LD member passed
   * through {@code expander}; compound segments are JSON keys and stay as they are.
   */
  public AttributePath mapAttributes(UnaryOperator<String> expander) {
    return new AttributePath(
        expander.apply(name),
        dotted.stream().map(s -> MEMBERS.contains(s) ? s : expander.apply(s)).toList(),
        compound);
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}
