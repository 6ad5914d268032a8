package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.Catalog;
import nl.sleutelbos.ngsild.entity.EntityService;

/** The type and attribute discovery routes (clause 6.25 to 6.28). */
public final class CatalogRoutes {
  private static final List<String> ANSWERS = List.of(LdRequest.JSON, LdRequest.LD_JSON);

  private final EntityService entities;
  private final Catalog catalog;
  private final ContextSource contexts;

  public CatalogRoutes(EntityService entities, ContextSource contexts) {
    this.entities = entities;
    this.catalog = new Catalog(entities.store());
    this.contexts = contexts;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/types", Set.of("details"), NgsiLdRoutes.FAMILY, this::types),
        new Route("GET", "/types/{type}", Set.of(), NgsiLdRoutes.FAMILY, this::type),
        new Route("GET", "/attributes", Set.of("details"), NgsiLdRoutes.FAMILY, this::attributes),
        new Route("GET", "/attributes/{attr}", Set.of(), NgsiLdRoutes.FAMILY, this::attribute));
  }

  private void types(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    entities.requireTenant(tenant);
    LdContext ctx = ld.context();
    if (ex.booleanParam("details")) {
      ArrayNode out = Json.array();
      for (Catalog.TypeInfo info : catalog.typeDetails(tenant, Set.of())) {
        ObjectNode t = out.addObject();
        t.put("id", info.type()).put("type", "EntityType").put("typeName", ctx.compactIri(info.type()));
        ArrayNode names = t.putArray("attributeNames");
        info.attributeKinds().keySet().forEach(a -> names.add(ctx.compactIri(a)));
      }
      ld.send(ex, 200, media, out);
      return;
    }
    ObjectNode list = Json.object();
    list.put("id", "urn:ngsi-ld:EntityTypeList:" + UUID.randomUUID());
    list.put("type", "EntityTypeList");
    ArrayNode names = list.putArray("typeList");
    catalog.types(tenant).forEach(t -> names.add(ctx.compactIri(t)));
    ld.send(ex, 200, media, list);
  }

  private void type(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    entities.requireTenant(tenant);
    LdContext ctx = ld.context();
    String type = ld.reader().expandType(ex.pathParam("type"));
    List<Catalog.TypeInfo> infos = catalog.typeDetails(tenant, Set.of(type));
    if (infos.isEmpty()) {
      throw NgsiLdException.notFound("no entities of type " + type);
    }
    Catalog.TypeInfo info = infos.get(0);
    ObjectNode out = Json.object();
    out.put("id", info.type()).put("type", "EntityTypeInfo").put("typeName", ctx.compactIri(info.type()));
    out.put("entityCount", info.entityCount());
    ArrayNode details = out.putArray("attributeDetails");
    for (Map.Entry<String, Set<String>> a : info.attributeKinds().entrySet()) {
      ObjectNode d = details.addObject();
      d.put("id", a.getKey()).put("type", "Attribute").put("attributeName", ctx.compactIri(a.getKey()));
      ArrayNode kinds = d.putArray("attributeTypes");
      a.getValue().forEach(kinds::add);
    }
    ld.send(ex, 200, media, out);
  }

  private void attributes(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    entities.requireTenant(tenant);
    LdContext ctx = ld.context();
    List<Catalog.AttributeInfo> infos = catalog.attributeDetails(tenant, null);
    if (ex.booleanParam("details")) {
      ArrayNode out = Json.array();
      infos.forEach(info -> out.add(attribute(info, ctx, false)));
      ld.send(ex, 200, media, out);
      return;
    }
    ObjectNode list = Json.object();
    list.put("id", "urn:ngsi-ld:AttributeList:" + UUID.nameUUIDFromBytes(tenant.getBytes(StandardCharsets.UTF_8)));
    list.put("type", "AttributeList");
    ArrayNode names = list.putArray("attributeList");
    infos.forEach(info -> names.add(ctx.compactIri(info.attribute())));
    ld.send(ex, 200, media, list);
  }

  private void attribute(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    entities.requireTenant(tenant);
    String attr = ld.reader().expandName(ex.pathParam("attr"));
    List<Catalog.AttributeInfo> infos = catalog.attributeDetails(tenant, attr);
    if (infos.isEmpty()) {
      throw NgsiLdException.notFound("no entity has attribute " + attr);
    }
    ld.send(ex, 200, media, attribute(infos.get(0), ld.context(), true));
  }

  private static ObjectNode attribute(Catalog.AttributeInfo info, LdContext ctx, boolean full) {
    ObjectNode out = Json.object();
    out.put("id", info.attribute()).put("type", "Attribute").put("attributeName", ctx.compactIri(info.attribute()));
    if (full) {
      out.put("attributeCount", info.count());
      ArrayNode kinds = out.putArray("attributeTypes");
      info.kinds().forEach(kinds::add);
    }
    ArrayNode types = out.putArray("typeNames");
    info.types().forEach(t -> types.add(ctx.compactIri(t)));
    return out;
  }
}
