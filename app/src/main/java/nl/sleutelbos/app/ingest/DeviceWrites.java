package nl.sleutelbos.app.ingest;

import java.util.function.Consumer;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.ngsild.entity.EntityWrite;
import nl.sleutelbos.store.Derived;

/**
 * Tells the ingest when someone other than the latest-values projector wrote a meter's
 * {@code Device} entity (the operator stating its {@code connectionCapacity}, say), so that what
 * validation remembers of the meter is read again. Derives nothing; runs inside the write's
 * transaction and only compares an id.
 */
public final class DeviceWrites implements EntityIndexer {
  private static final String PREFIX = MeterModel.meterEntityId("");
  private volatile Consumer<String> listener = meter -> {};

  /** Whom to tell, with the meter id. */
  void listen(Consumer<String> listener) {
    this.listener = listener;
  }

  @Override
  public Derived derive(String tenant, EntityWrite write, Derived derived) {
    if (derived.historyFinal() || !tenant.equals(Ingest.TENANT)) {
      return derived; // the projector's own writes keep the entity's capacity as it was
    }
    String id = write.after().or(write::before).map(e -> e.id()).orElse("");
    if (id.startsWith(PREFIX)) {
      listener.accept(id.substring(PREFIX.length()));
    }
    return derived;
  }
}
