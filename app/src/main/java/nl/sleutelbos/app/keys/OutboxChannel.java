package nl.sleutelbos.app.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import nl.sleutelbos.custody.DeliveryChannel;
import nl.sleutelbos.custody.DeviceKey;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * Until a head-end integration carries keys to meters, a delivered key waits in an outbox
 * ({@code custody.outbox/<device>}, one document per key version), wrapped under the device's
 * master key — the only form a key ever leaves custody in. A redelivery overwrites the same
 * document.
 */
public final class OutboxChannel implements DeliveryChannel {
  static final String COLLECTION = "custody.outbox/";
  private final DocumentStore documents;

  public OutboxChannel(DocumentStore documents) {
    this.documents = documents;
  }

  @Override
  public void deliver(DeviceKey key, WrappedKey forDevice) {
    ObjectNode o = Json.object();
    o.put("role", key.role().name()).put("version", key.version()).put("wrapMethod", forDevice.method().name())
        .put("wrappedUnderMaster", Base64.getEncoder().encodeToString(forDevice.bytes()));
    documents.put(COLLECTION + key.deviceId(), key.role() + "/" + key.version(), Json.write(o));
  }
}
