package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Set;

/**
 * What one term of a compiled {@link LdContext} means.
 *
 * @param term the short name, for example {@code category}
 * @param iri the expanded IRI or keyword the term stands for, for example {@code
 *     https://smartdatamodels.org/category} or {@code @id}; null when the context maps the term to
 *     null (JSON-LD: the member is to be dropped)
 * @param typeMapping the expanded {@code @type} of the definition ({@code @id}, {@code @vocab},
 *     {@code @json} or an IRI such as {@code https://uri.etsi.org/ngsi-ld/DateTime}); null if none
 * @param containers the {@code @container} values, for example {@code @language}; empty if none
 * @param prefix whether the term may be used as the prefix of a compact IRI {@code term:suffix}
 * @param isProtected whether the definition was {@code @protected}
 * @param core whether the definition comes from the NGSI-LD core context
 */
public record TermDefinition(
    String term,
    String iri,
    String typeMapping,
    Set<String> containers,
    boolean prefix,
    boolean isProtected,
    boolean core) {

  public TermDefinition {
    requireNonNull(term, "term is null");
    containers = Set.copyOf(requireNonNull(containers, "containers is null"));
  }

  /** True if the context maps the term to null, so that members with this name are dropped. */
  public boolean isNull() {
    return iri == null;
  }

  TermDefinition asCore() {
    return new TermDefinition(term, iri, typeMapping, containers, prefix, true, true);
  }

  /**
   * JSON-LD's test before a protected term may be "redefined": the new definition must be the same
   * as the old one, protection aside (Create Term Definition, step 27.1).
   */
  boolean sameMeaningAs(TermDefinition other) {
    return Objects.equals(iri, other.iri)
        && Objects.equals(typeMapping, other.typeMapping)
        && containers.equals(other.containers)
        && prefix == other.prefix;
  }
}
