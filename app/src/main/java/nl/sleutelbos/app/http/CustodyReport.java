package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.sleutelbos.app.keys.KeyFleet;
import nl.sleutelbos.app.keys.OperatorKeys;
import nl.sleutelbos.custody.Backend;
import nl.sleutelbos.custody.Provenance;
import nl.sleutelbos.ngsild.Json;

/** The body of {@code GET /sleutelbos/v1/keys/report}. */
final class CustodyReport {
  private CustodyReport() {}

  /**
   * The custody report: where the keys are, what holds them, whether that is sovereign custody,
   * and the device keys counted by state, provenance and backend. A software backend is never
   * sovereign, whatever country it claims.
   */
  /**
   * @param signingInCustody whether the token issuer's and the audit log's signing keys are held by
   *     this backend (PKCS#11) rather than software signer stores under the data directory
   */
  static ObjectNode of(KeyFleet fleet, OperatorKeys operatorKeys, boolean signingInCustody) {
    Backend b = fleet.custody().backend();
    ObjectNode o = Json.object();
    ObjectNode backend = o.putObject("backend");
    backend.put("name", b.name());
    backend.put("kind", b.software() ? "software" : "hsm");
    backend.put("country", b.location().country());
    backend.put("inEu", b.location().inEu());
    backend.put("certification", b.certification().orElse(null));
    backend.put("model", b.model());
    backend.put("sovereign", b.sovereign());
    o.put("sovereign", b.sovereign());
    ArrayNode notes = o.putArray("findings");
    if (b.software()) {
      notes.add("keys are in a software key store (development default): not sovereign custody");
    } else if (b.certification().isEmpty()) {
      notes.add("the HSM has no certification configured: not counted as sovereign custody");
    }
    if (!b.location().inEu()) {
      notes.add("the keys are outside the EU (" + b.location().country() + ")");
    }
    ArrayNode operator = o.putArray("operatorKeys");
    for (OperatorKeys.Registered r : operatorKeys.list()) {
      operator.addObject().put("label", r.label()).put("kind", r.kind()).put("purpose", r.purpose()).put("state", r.state())
          .put("backend", b.name()).put("country", b.location().country()).put("sovereign", b.sovereign());
    }
    for (String[] s : new String[][] {{"token issuer", "<data>/keys"}, {"audit checkpoints", "<data>/audit-keys"}}) {
      operator.addObject().put("label", s[0] + " signing keys").put("kind", "signing").put("purpose", s[0]).put("state", "CURRENT")
          .put("backend", signingInCustody ? b.name() : "software signer store " + s[1])
          .put("country", b.location().country()).put("sovereign", signingInCustody && b.sovereign());
    }
    if (!signingInCustody) {
      notes.add("the token issuer's and the audit log's signing keys are in software signer stores, not in " + b.name());
    }
    KeyFleet.Counts c = fleet.counts();
    ObjectNode device = o.putObject("deviceKeys");
    device.put("devices", c.devices());
    device.put("keys", c.keys());
    ObjectNode byState = device.putObject("byState");
    c.byState().forEach((k, v) -> byState.put(k.name(), v));
    ObjectNode byProvenance = device.putObject("byProvenance");
    c.byProvenance().forEach((k, v) -> byProvenance.put(k.name(), v));
    ObjectNode byBackend = device.putObject("byBackend");
    c.byBackend().forEach((k, v) -> byBackend.putObject(k).put("keys", v).put("sovereign", k.equals(b.name()) && b.sovereign()));
    long vendorKnown = c.byProvenance().getOrDefault(Provenance.FACTORY_IMPORTED, 0L);
    if (vendorKnown > 0) {
      notes.add(vendorKnown + " device key(s) were loaded by a vendor (FACTORY_IMPORTED) and are known to it; rotate them");
    }
    return o;
  }
}
