package nl.sleutelbos.app.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import nl.sleutelbos.custody.Backend;
import nl.sleutelbos.custody.DeviceKey;
import nl.sleutelbos.custody.KeyState;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.BatchItem;
import nl.sleutelbos.ngsild.entity.BatchResult;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntityService;

/**
 * The NGSI-LD read model of key custody: one {@code CustodyKey} entity per device key version and
 * one {@code KeyCampaign} per rotation campaign, in the default tenant, behind the same PEP as every
 * entity. Metadata only — role, state, provenance, where the key is held — never the key, wrapped
 * or not. Written after the custody change it shows (the key documents are the truth; a crash in
 * between leaves the entity one step behind until the key's next change).
 */
public final class KeyEntities {
  public static final String KEY_TYPE = "CustodyKey";
  public static final String CAMPAIGN_TYPE = "KeyCampaign";
  private final EntityService entities;
  private final EntityReader reader;

  public KeyEntities(EntityService entities, LdContext context) {
    this.entities = entities;
    this.reader = new EntityReader(context);
  }

  public static String id(DeviceKey key) {
    return "urn:ngsi-ld:" + KEY_TYPE + ":" + key.deviceId() + ":" + key.role() + ":" + key.version();
  }

  public static String campaignId(String campaign) {
    return "urn:ngsi-ld:" + CAMPAIGN_TYPE + ":" + campaign;
  }

  /** Writes the entities of these keys (attributes they no longer have, like {@code activated} of an expired key, stay), held in this backend. */
  public void show(List<DeviceKey> keys, Backend backend) {
    if (keys.isEmpty()) {
      return;
    }
    upsert(keys.stream().map(k -> (ObjectNode) reader.entity(key(k, backend))).toList());
  }

  public void showCampaign(String campaign, ObjectNode progress) {
    ObjectNode e = Json.object();
    e.put("id", campaignId(campaign));
    e.put("type", CAMPAIGN_TYPE);
    progress.fields().forEachRemaining(f -> {
      if (!f.getKey().equals("id")) {
        property(e, f.getKey()).set("value", f.getValue());
      }
    });
    upsert(List.of(reader.entity(e)));
  }

  private void upsert(List<ObjectNode> expanded) {
    BatchResult result = entities.batchUpsert("", expanded.stream().map(x -> (BatchItem) new BatchItem.Valid(x)).toList(), false);
    if (!result.errors().isEmpty()) {
      NgsiLdException first = result.errors().getFirst().error();
      throw new IllegalStateException("cannot write key metadata entity " + result.errors().getFirst().entityId() + ": " + first.getMessage());
    }
  }

  private static ObjectNode key(DeviceKey k, Backend backend) {
    ObjectNode e = Json.object();
    e.put("id", id(k));
    e.put("type", KEY_TYPE);
    property(e, "deviceId").put("value", k.deviceId());
    property(e, "role").put("value", k.role().name());
    property(e, "keyVersion").put("value", k.version());
    property(e, "state").put("value", k.state().name());
    property(e, "provenance").put("value", k.provenance().name());
    property(e, "backend").put("value", k.backend());
    if (k.backend().equals(backend.name())) {
      property(e, "backendCountry").put("value", backend.location().country());
      property(e, "backendModel").put("value", backend.model());
      backend.certification().ifPresent(c -> property(e, "backendCertification").put("value", c));
      property(e, "sovereign").put("value", backend.sovereign());
    }
    dateTime(e, "created", k.created().toString());
    // DeviceKey keeps the time of its last change; which change that was follows from the state.
    if (k.state() == KeyState.ACTIVE) {
      dateTime(e, "activated", k.changed().toString());
    } else if (k.state() == KeyState.EXPIRED) {
      dateTime(e, "expired", k.changed().toString());
    } else if (k.state() == KeyState.WITHDRAWN) {
      dateTime(e, "withdrawn", k.changed().toString());
    }
    return e;
  }

  private static ObjectNode property(ObjectNode e, String name) {
    ObjectNode p = e.putObject(name);
    p.put("type", "Property");
    return p;
  }

  private static void dateTime(ObjectNode e, String name, String instant) {
    ObjectNode v = property(e, name).putObject("value");
    v.put("@type", "DateTime");
    v.put("@value", instant);
  }
}
