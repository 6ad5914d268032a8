package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.GeoExtent;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the spatial index behind {@link Selector#area()}: the extents a put carries in
 * its {@link Derived} are kept with the entity, replaced by its next put, dropped with it, and a
 * scan with an area visits exactly the entities with an extent of that attribute meeting the box
 * (boundaries included), in id order. Exactness is stricter than the Selector's hint contract
 * allows, and both backends keep it; the NGSI-LD layer does not rely on it.
 */
public abstract class GeoIndexContract {
  private static final String TENANT = "alpha";
  private static final String LOCATION = "https://uri.etsi.org/ngsi-ld/location";
  private static final String SITE = "https://example.org/site";
  private static final String METER = "https://example.org/Meter";
  private static final String GATEWAY = "https://example.org/Gateway";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  protected EntityStore store;

  /** As {@link EntityStoreContract#openStore()}: empty storage first, the same storage after. */
  protected abstract EntityStore openStore();

  @BeforeEach
  final void openTheStore() {
    store = openStore();
  }

  @AfterEach
  final void closeTheStore() {
    store.close();
  }

  private static GeoExtent point(String attribute, double lon, double lat) {
    return new GeoExtent(attribute, lon, lat, lon, lat);
  }

  private static GeoExtent box(double west, double south, double east, double north) {
    return new GeoExtent(LOCATION, west, south, east, north);
  }

  private static EntityChange put(String id, String type, GeoExtent... extents) {
    StoredEntity e = new StoredEntity(id, List.of(type), T, T, "{}");
    return new EntityChange(id, current -> new Outcome.Put(e, Derived.NONE.withExtents(List.of(extents))));
  }

  private void apply(EntityChange... changes) {
    apply(TENANT, changes);
  }

  private void apply(String tenant, EntityChange... changes) {
    for (Outcome o : store.apply(tenant, List.of(changes))) {
      assertThat(o).isNotInstanceOf(Outcome.Rejected.class);
    }
  }

  private List<String> scan(String tenant, Selector selector) {
    List<String> ids = new ArrayList<>();
    store.scan(tenant, selector, e -> ids.add(e.id()));
    return ids;
  }

  private List<String> within(GeoExtent area) {
    return scan(TENANT, Selector.ALL.within(area));
  }

  @Test
  void aScanWithAnAreaVisitsTheEntitiesWhoseExtentMeetsItInIdOrder() {
    apply(put("urn:c", METER, point(LOCATION, 5.0, 52.0)),
        put("urn:a", METER, point(LOCATION, 5.5, 52.5)),
        put("urn:b", METER, point(LOCATION, 7.0, 52.0)),
        put("urn:d", METER, new GeoExtent(LOCATION, 4.0, 51.0, 6.0, 53.0)),
        put("urn:e", METER));
    assertThat(within(box(4.9, 51.9, 5.6, 52.6))).containsExactly("urn:a", "urn:c", "urn:d");
    assertThat(within(box(6.5, 51.5, 7.5, 52.5))).containsExactly("urn:b");
    assertThat(within(box(-10, -10, -5, -5))).isEmpty();
  }

  @Test
  void boundariesCount() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0)),
        put("urn:b", METER, new GeoExtent(LOCATION, 6.0, 53.0, 7.0, 54.0)));
    assertThat(within(box(4.0, 51.0, 5.0, 52.0))).containsExactly("urn:a");
    assertThat(within(box(5.0, 52.0, 6.0, 53.0))).containsExactly("urn:a", "urn:b");
  }

  @Test
  void anEntityWithSeveralExtentsInTheAreaIsVisitedOnce() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0), point(LOCATION, 5.1, 52.1), point(SITE, 5.0, 52.0)));
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).containsExactly("urn:a");
  }

  @Test
  void onlyExtentsOfTheAreasAttributeCount() {
    apply(put("urn:a", METER, point(SITE, 5.0, 52.0)), put("urn:b", METER, point(LOCATION, 5.0, 52.0)));
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).containsExactly("urn:b");
    assertThat(scan(TENANT, Selector.ALL.within(new GeoExtent(SITE, 4.0, 51.0, 6.0, 53.0))))
        .containsExactly("urn:a");
  }

  @Test
  void aPutReplacesTheEntitysExtentsAndARemoveDropsThem() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0)), put("urn:b", METER, point(LOCATION, 5.0, 52.0)));
    apply(put("urn:a", METER, point(LOCATION, 9.0, 48.0)));
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).containsExactly("urn:b");
    assertThat(within(box(8.0, 47.0, 10.0, 49.0))).containsExactly("urn:a");

    apply(put("urn:a", METER)); // a put without extents drops them
    assertThat(within(box(8.0, 47.0, 10.0, 49.0))).isEmpty();

    apply(new EntityChange("urn:b", current -> Outcome.remove()));
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).isEmpty();
    apply(put("urn:b", METER)); // recreated without geometry: its old extents did not come back
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).isEmpty();
  }

  @Test
  void theLastChangeOfOneCallDecidesTheExtents() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0)), put("urn:a", METER, point(LOCATION, 9.0, 48.0)),
        put("urn:b", METER, point(LOCATION, 5.0, 52.0)), new EntityChange("urn:b", c -> Outcome.remove()));
    assertThat(within(box(-180, -90, 180, 90))).containsExactly("urn:a");
    assertThat(within(box(8.0, 47.0, 10.0, 49.0))).containsExactly("urn:a");
  }

  @Test
  void aRejectedChangeWritesNoExtents() {
    List<Outcome> outcomes = store.apply(TENANT, List.of(
        new EntityChange("urn:a", current -> {
          throw new IllegalArgumentException("no");
        }),
        put("urn:b", METER, point(LOCATION, 5.0, 52.0))));
    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Rejected.class);
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).containsExactly("urn:b");
  }

  @Test
  void idsAndTypesStillNarrowAScanWithAnArea() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0)), put("urn:b", GATEWAY, point(LOCATION, 5.0, 52.0)),
        put("urn:c", METER, point(LOCATION, 5.0, 52.0)));
    GeoExtent area = box(4.0, 51.0, 6.0, 53.0);
    assertThat(scan(TENANT, Selector.ofTypes(Set.of(METER)).within(area))).containsExactly("urn:a", "urn:c");
    assertThat(scan(TENANT, new Selector(Set.of("urn:b", "urn:c"), Set.of()).within(area)))
        .containsExactly("urn:b", "urn:c");
  }

  @Test
  void tenantsDoNotSeeEachOthersExtents() {
    apply("alpha", put("urn:a", METER, point(LOCATION, 5.0, 52.0)));
    apply("beta", put("urn:z", METER, point(LOCATION, 5.0, 52.0)));
    assertThat(scan("alpha", Selector.ALL.within(box(4.0, 51.0, 6.0, 53.0)))).containsExactly("urn:a");
    assertThat(scan("beta", Selector.ALL.within(box(4.0, 51.0, 6.0, 53.0)))).containsExactly("urn:z");
  }

  @Test
  void theIndexSurvivesReopening() {
    apply(put("urn:a", METER, point(LOCATION, 5.0, 52.0)));
    store.close();
    store = openStore();
    assertThat(within(box(4.0, 51.0, 6.0, 53.0))).containsExactly("urn:a");
  }

  @Test
  void aVisitorThatStopsEndsTheScanAcrossSlices() {
    EntityChange[] changes = new EntityChange[700];
    for (int i = 0; i < changes.length; i++) {
      changes[i] = put(String.format("urn:%04d", i), METER, point(LOCATION, 5.0 + i * 1e-4, 52.0));
    }
    apply(changes);
    List<String> all = within(box(4.0, 51.0, 6.0, 53.0));
    assertThat(all).hasSize(700).isSorted();
    List<String> seen = new ArrayList<>();
    store.scan(TENANT, Selector.ALL.within(box(4.0, 51.0, 6.0, 53.0)), e -> {
      seen.add(e.id());
      return seen.size() < 300;
    });
    assertThat(seen).containsExactlyElementsOf(all.subList(0, 300));
  }
}
