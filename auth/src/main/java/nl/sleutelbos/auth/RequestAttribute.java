package nl.sleutelbos.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The attributes Sleutelbos gives the XACML engine, by category and id, and how an
 * {@link AccessRequest} fills them. One list, so that the engine's request and the decision
 * cache's key are made from the same values.
 *
 * <p>A request's values are an {@code Object[]} indexed by {@link #ordinal()}: {@code null} when
 * the request has no such attribute, a {@code String}, a {@code List<String>} or {@code Set<String>}
 * (a bag), a {@code Boolean}, or for {@link #TIME} the epoch second as a {@code Long}.
 */
enum RequestAttribute {
  SUBJECT_ID(Category.SUBJECT, "urn:sleutelbos:subject:id"),
  ROLE(Category.SUBJECT, "urn:sleutelbos:subject:role"),
  ORG_KIND(Category.SUBJECT, "urn:sleutelbos:subject:organisation-kind"),
  ORG_NAME(Category.SUBJECT, "urn:sleutelbos:subject:organisation-name"),
  COUNTRY(Category.SUBJECT, "urn:sleutelbos:subject:country"),
  TENANT(Category.RESOURCE, "urn:sleutelbos:resource:tenant"),
  FAMILY(Category.RESOURCE, "urn:sleutelbos:resource:family"),
  ENTITY_TYPE(Category.RESOURCE, "urn:sleutelbos:resource:entity-type"),
  ENTITY_ID(Category.RESOURCE, "urn:sleutelbos:resource:entity-id"),
  ATTRIBUTE(Category.RESOURCE, "urn:sleutelbos:resource:attribute"),
  OWNER(Category.RESOURCE, "urn:sleutelbos:resource:owner-connection"),
  GRANULARITY(Category.RESOURCE, "urn:sleutelbos:resource:granularity"),
  PERSONAL(Category.RESOURCE, "urn:sleutelbos:resource:personal"),
  CONSENT_GRANTED(Category.RESOURCE, "urn:sleutelbos:consent:granted"),
  CONSENT_GRANULARITY(Category.RESOURCE, "urn:sleutelbos:consent:granularity"),
  ACTION_ID(Category.ACTION, "urn:oasis:names:tc:xacml:1.0:action:action-id"),
  TIME(Category.ENVIRONMENT, "urn:oasis:names:tc:xacml:1.0:environment:current-dateTime"),
  BREAK_GLASS(Category.ENVIRONMENT, "urn:sleutelbos:environment:break-glass"),
  PURPOSE(Category.ENVIRONMENT, "urn:sleutelbos:environment:purpose");

  /** The XACML 3.0 attribute categories Sleutelbos uses. */
  static final class Category {
    static final String SUBJECT = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject";
    static final String RESOURCE = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
    static final String ACTION = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";
    static final String ENVIRONMENT = "urn:oasis:names:tc:xacml:3.0:attribute-category:environment";

    private Category() {}
  }

  private static final RequestAttribute[] ALL = values();

  final String category;
  final String id;

  RequestAttribute(String category, String id) {
    this.category = category;
    this.id = id;
  }

  /** The attribute with this category and id, or null if Sleutelbos does not supply it. */
  static RequestAttribute find(String category, String id) {
    for (RequestAttribute a : ALL) {
      if (a.category.equals(category) && a.id.equals(id)) {
        return a;
      }
    }
    return null;
  }

  /** The request's values, one slot per attribute. */
  static Object[] valuesOf(AccessRequest request) {
    Object[] v = new Object[ALL.length];
    SubjectAttributes s = request.subject();
    v[SUBJECT_ID.ordinal()] = s.id();
    v[ROLE.ordinal()] = s.roles().isEmpty() ? null : s.roles();
    v[ORG_KIND.ordinal()] = s.organisationKind().orElse(null);
    v[ORG_NAME.ordinal()] = s.organisationName().orElse(null);
    v[COUNTRY.ordinal()] = s.country().orElse(null);

    ResourceRequest r = request.resource();
    v[TENANT.ordinal()] = r.tenant();
    v[FAMILY.ordinal()] = r.family();
    Set<String> types = new LinkedHashSet<>();
    for (String type : r.entityTypes()) {
      types.add(Terms.compact(type));
    }
    v[ENTITY_TYPE.ordinal()] = types.isEmpty() ? null : types;
    v[ENTITY_ID.ordinal()] = r.entityId().orElse(null);
    List<String> attributes = new ArrayList<>(r.attributes().size());
    for (String attribute : r.attributes()) {
      attributes.add(Terms.compact(attribute));
    }
    v[ATTRIBUTE.ordinal()] = attributes.isEmpty() ? null : attributes;
    v[OWNER.ordinal()] = r.owningConnection().orElse(null);
    v[GRANULARITY.ordinal()] = r.granularity().map(Object::toString).orElse(null);
    v[PERSONAL.ordinal()] = PersonalData.isPersonal(types);
    v[CONSENT_GRANTED.ordinal()] = request.consent().isPresent();
    v[CONSENT_GRANULARITY.ordinal()] = request.consent().map(c -> c.granularity().toString()).orElse(null);

    v[ACTION_ID.ordinal()] = request.action().name();

    Environment e = request.environment();
    v[TIME.ordinal()] = e.time().getEpochSecond();
    v[BREAK_GLASS.ordinal()] = e.breakGlass();
    v[PURPOSE.ordinal()] = e.purpose().orElse(null);
    return v;
  }
}
