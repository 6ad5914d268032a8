package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.CustodyStorage.CampaignRecord;
import nl.sleutelbos.store.CustodyStorage.DeviceFilter;
import nl.sleutelbos.store.CustodyStorage.DeviceRecord;
import nl.sleutelbos.store.CustodyStorage.KeyRecord;
import nl.sleutelbos.store.CustodyStorage.StateChange;
import nl.sleutelbos.store.EntityStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link CustodyStorage}, the same on every backend: a chunk of keys is stored
 * whole or not at all, state changes are compare-and-set, a chunk's keys come back in one read in
 * order, selections page by device id, and all of it survives a reopen.
 */
public abstract class CustodyStorageContract {
  protected EntityStore store;
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00.123456Z");

  /** Opens the store; later calls in the same test open the same storage again. */
  protected abstract EntityStore openStore();

  @BeforeEach
  final void open() {
    store = openStore();
  }

  @AfterEach
  final void close() {
    store.close();
  }

  private static KeyRecord key(String device, String role, int version, String state, String provenance) {
    return new KeyRecord(device, role, version, state, provenance, "pkcs11:test", "kek-1", "RFC3394",
        new byte[] {(byte) version, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, T0, T0);
  }

  private static DeviceFilter provenance(String provenance, String state) {
    return new DeviceFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(provenance), Optional.of(state));
  }

  @Test
  void aChunkOfKeysIsStoredInOneCallAndReadBackInOrderAfterAReopen() {
    List<KeyRecord> chunk = new ArrayList<>();
    for (int d = 0; d < 150; d++) { // more than one multi-row statement and more than one id page
      chunk.add(key(String.format("M%04d", d), "MASTER", 1, "ACTIVE", "FACTORY_IMPORTED"));
      chunk.add(key(String.format("M%04d", d), "AUTHENTICATION", 1, "ACTIVE", "FACTORY_IMPORTED"));
    }
    assertThat(store.custody().insertKeys(chunk)).isTrue();
    store.close();
    store = openStore();

    List<KeyRecord> read = store.custody().keys(List.of("M0149", "M0003", "M0100", "nobody"));
    assertThat(read).extracting(k -> k.deviceId() + "/" + k.role())
        .containsExactly("M0003/AUTHENTICATION", "M0003/MASTER", "M0100/AUTHENTICATION", "M0100/MASTER",
            "M0149/AUTHENTICATION", "M0149/MASTER");
    KeyRecord one = read.getFirst();
    assertThat(one.wrapped()).isEqualTo(chunk.get(7).wrapped());
    assertThat(one.created()).isEqualTo(T0);
    assertThat(one.kek()).isEqualTo("kek-1");
    assertThat(store.custody().keys(chunk.stream().map(KeyRecord::deviceId).toList())).hasSize(300);
  }

  @Test
  void aChunkWithOneTakenVersionStoresNothing() {
    assertThat(store.custody().insertKeys(List.of(key("E1", "MASTER", 1, "ACTIVE", "FACTORY_IMPORTED")))).isTrue();
    List<KeyRecord> chunk = new ArrayList<>();
    for (int d = 2; d < 100; d++) {
      chunk.add(key("E" + d, "MASTER", 1, "NEW", "OPERATOR_GENERATED"));
    }
    chunk.add(key("E1", "MASTER", 1, "NEW", "OPERATOR_GENERATED"));

    assertThat(store.custody().insertKeys(chunk)).isFalse();
    assertThat(store.custody().keys(List.of("E1", "E2", "E99")))
        .singleElement().satisfies(k -> assertThat(k.state()).isEqualTo("ACTIVE"));
  }

  @Test
  void stateChangesAreCompareAndSetAndAllOrNothing() {
    store.custody().insertKeys(List.of(key("E1", "AUTHENTICATION", 1, "ACTIVE", "FACTORY_IMPORTED"),
        key("E1", "AUTHENTICATION", 2, "NEW", "OPERATOR_GENERATED")));
    Instant t1 = T0.plusSeconds(60);
    List<StateChange> ack = List.of(new StateChange("E1", "AUTHENTICATION", 2, "NEW", "ACTIVE", t1),
        new StateChange("E1", "AUTHENTICATION", 1, "ACTIVE", "EXPIRED", t1));

    assertThat(store.custody().changeStates(List.of(ack.get(0), new StateChange("E1", "AUTHENTICATION", 1, "NEW", "EXPIRED", t1))))
        .as("the second change expects the wrong state").isFalse();
    assertThat(store.custody().keys(List.of("E1"))).extracting(KeyRecord::state).containsExactly("ACTIVE", "NEW");

    assertThat(store.custody().changeStates(ack)).isTrue();
    assertThat(store.custody().keys(List.of("E1"))).extracting(KeyRecord::state).containsExactly("EXPIRED", "ACTIVE");
    assertThat(store.custody().keys(List.of("E1")).get(1).changed()).isEqualTo(t1);
    assertThat(store.custody().changeStates(ack)).as("applied once only").isFalse();
    assertThat(store.custody().changeStates(List.of(new StateChange("E9", "MASTER", 1, "NEW", "ACTIVE", t1)))).isFalse();
  }

  @Test
  void selectionsPageByDeviceIdOverKeysAndDeviceRecords() {
    List<KeyRecord> keys = new ArrayList<>();
    List<DeviceRecord> devices = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      String id = String.format("M%02d", d);
      keys.add(key(id, "MASTER", 1, "ACTIVE", d % 3 == 0 ? "OPERATOR_GENERATED" : "FACTORY_IMPORTED"));
      keys.add(key(id, "AUTHENTICATION", 1, "ACTIVE", "OPERATOR_GENERATED"));
      if (d < 20) {
        devices.add(new DeviceRecord(id, d % 2 == 0 ? "vendor-a" : "vendor-b", "batch-" + (d / 10), d < 5 ? "Utrecht" : "Zwolle"));
      }
    }
    store.custody().insertKeys(keys);
    store.custody().putDevices(devices);
    store.custody().putDevices(List.of(new DeviceRecord("M19", "vendor-c", "batch-1", "Zwolle"))); // replaced
    store.custody().putDevices(List.of(new DeviceRecord("Z-no-keys", "vendor-a", "batch-0", "Utrecht")));

    CustodyStorage c = store.custody();
    assertThat(c.selectDevices(DeviceFilter.all(), "", 4)).containsExactly("M00", "M01", "M02", "M03");
    assertThat(c.selectDevices(DeviceFilter.all(), "M27", 10)).containsExactly("M28", "M29");
    assertThat(c.countDevices(DeviceFilter.all())).isEqualTo(30);

    assertThat(c.selectDevices(provenance("FACTORY_IMPORTED", "ACTIVE"), "M10", 4)).containsExactly("M11", "M13", "M14", "M16");
    assertThat(c.countDevices(provenance("FACTORY_IMPORTED", "ACTIVE"))).isEqualTo(20);

    DeviceFilter vendorA = new DeviceFilter(Optional.of("vendor-a"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(c.selectDevices(vendorA, "", 100)).as("a device without keys is not selected")
        .containsExactly("M00", "M02", "M04", "M06", "M08", "M10", "M12", "M14", "M16", "M18");
    DeviceFilter batch1Zwolle = new DeviceFilter(Optional.empty(), Optional.of("batch-1"), Optional.of("Zwolle"), Optional.empty(), Optional.empty());
    assertThat(c.selectDevices(batch1Zwolle, "M15", 100)).containsExactly("M16", "M17", "M18", "M19");
    DeviceFilter utrechtFactory = new DeviceFilter(Optional.empty(), Optional.empty(), Optional.of("Utrecht"),
        Optional.of("FACTORY_IMPORTED"), Optional.of("ACTIVE"));
    assertThat(c.selectDevices(utrechtFactory, "", 100)).containsExactly("M01", "M02", "M04");
    assertThat(c.countDevices(utrechtFactory)).isEqualTo(3);
    assertThat(c.device("M19")).contains(new DeviceRecord("M19", "vendor-c", "batch-1", "Zwolle"));
    assertThat(c.device("M29")).isEmpty();
  }

  @Test
  void campaignsAreReplacedAndSurviveAReopen() {
    CampaignRecord started = new CampaignRecord("c1", "{\"roles\":[\"AUTHENTICATION\"]}", "RUNNING", "", 0, 30, 0, 0, "", T0, T0);
    store.custody().putCampaign(started);
    CampaignRecord later = new CampaignRecord("c1", started.spec(), "PAUSED_HSM_UNAVAILABLE", "M10", 11, 30, 1, 22,
        "UNAVAILABLE: the HSM is not answering", T0, T0.plusSeconds(5));
    store.custody().putCampaign(later);
    store.custody().putCampaign(new CampaignRecord("c0", "{}", "COMPLETED", "M29", 30, 30, 0, 60, "", T0, T0));
    store.close();
    store = openStore();

    assertThat(store.custody().campaign("c1")).contains(later);
    assertThat(store.custody().campaigns()).extracting(CampaignRecord::id).containsExactly("c0", "c1");
    assertThat(store.custody().campaign("nope")).isEmpty();
  }
}
