package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import nl.sleutelbos.custody.Campaign.Progress;
import nl.sleutelbos.custody.Campaign.Selection;
import nl.sleutelbos.custody.Campaign.Status;
import nl.sleutelbos.store.CustodyStorage.DeviceRecord;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation campaigns, the same for every custody backend and store: meters that really unwrap
 * what they get, selections, a pause, a crash and custody failing mid-way. After each of those
 * no key is ACTIVE that a meter did not acknowledge, and a resumed campaign gives each device
 * exactly one new key per role.
 */
abstract class CampaignContract {
  static final Set<KeyRole> ROLES = EnumSet.of(KeyRole.AUTHENTICATION, KeyRole.GLOBAL_UNICAST_ENCRYPTION);
  @TempDir Path dir;
  protected KeyCustody custody;
  protected EntityStore store;
  protected KeyStore keys;
  protected KeyHandle kek;
  private final String kekLabel = KeyCustodyContract.label("storage");
  private final Map<String, SimulatedMeter> meters = new ConcurrentHashMap<>();
  private final List<String> devices = new ArrayList<>();
  protected final DeliveryChannel channel = (key, forDevice) -> meters.get(key.deviceId()).receive(key, forDevice);

  /** Opens custody; later calls open the same token or key file again. */
  protected abstract KeyCustody openCustody() throws Exception;

  /** Opens the store; later calls in the same test open the same storage again. */
  protected abstract EntityStore openStore();

  /** Makes custody fail the way its backend fails when the device goes away. */
  protected abstract void pullThePlug(KeyCustody custody);

  @BeforeEach
  final void setUp() throws Exception {
    custody = openCustody();
    store = openStore();
    keys = new KeyStore(store.custody(), Clock.systemUTC());
    kek = custody.generateStorageKek(kekLabel);
  }

  @AfterEach
  final void tearDown() {
    custody.close();
    store.close();
  }

  /** Meters as they leave the factory: master and authentication keys the vendor knows. */
  private void fleet(int size) {
    DeviceKeySets sets = new DeviceKeySets(custody, keys);
    List<DeviceRecord> records = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String id = String.format("M%03d", i);
      byte[] master = new byte[16];
      byte[] auth = new byte[16];
      java.util.Arrays.fill(master, (byte) i);
      java.util.Arrays.fill(auth, (byte) (i + 100));
      meters.put(id, new SimulatedMeter(master));
      sets.importFactoryKey(id, KeyRole.MASTER, custody.importDeviceKey(kek, InsecureKeyMaterial.of(master)));
      sets.importFactoryKey(id, KeyRole.AUTHENTICATION, custody.importDeviceKey(kek, InsecureKeyMaterial.of(auth)));
      records.add(new DeviceRecord(id, i % 2 == 0 ? "vendor-a" : "vendor-b", "B" + i / 4, i < 6 ? "Utrecht" : "Zwolle"));
      devices.add(id);
    }
    keys.describeDevices(records);
  }

  private Campaign campaign(String id, Selection selection, Set<KeyRole> roles, DeliveryChannel to) {
    return new Campaign(id, selection, roles, kek, new Rotation(custody, keys, to), 4, 2);
  }

  private List<DeviceKey> generated(String device, KeyRole role) {
    return keys.versions(device, role).stream().filter(k -> k.provenance() == Provenance.OPERATOR_GENERATED).toList();
  }

  /** What must hold at any moment: nothing ACTIVE without an acknowledgement, never two pending keys. */
  private void noKeyActiveWithoutAcknowledgementAndAtMostOneNewPerRole() {
    for (String device : devices) {
      for (KeyRole role : ROLES) {
        assertThat(generated(device, role)).as(device + " " + role).hasSizeLessThanOrEqualTo(1)
            .allSatisfy(k -> assertThat(k.state()).isEqualTo(KeyState.NEW));
      }
    }
  }

  private void exactlyOneNewKeyPerRole(List<String> which, Set<KeyRole> roles) {
    for (String device : which) {
      for (KeyRole role : roles) {
        assertThat(generated(device, role)).as(device + " " + role).singleElement()
            .satisfies(k -> assertThat(k.state()).isEqualTo(KeyState.NEW));
      }
    }
  }

  @Test
  void a_campaign_gives_every_device_one_new_key_per_role_and_the_acknowledgement_activates_it() {
    fleet(25);
    Progress done = campaign("all", Selection.all(), ROLES, channel).run();

    assertThat(done).isEqualTo(new Progress("all", Status.COMPLETED, "M024", 25, 25, 0, 50, ""));
    assertThat(campaign("all", Selection.all(), ROLES, channel).progress()).isEqualTo(done);
    exactlyOneNewKeyPerRole(devices, ROLES);

    Rotation rotation = new Rotation(custody, keys, channel);
    for (String device : List.of("M000", "M013", "M024")) {
      DeviceKey next = generated(device, KeyRole.AUTHENTICATION).getFirst();
      SimulatedMeter meter = meters.get(device);
      assertThat(meter.answersWith(custody, next)).isFalse();
      meter.activate(KeyRole.AUTHENTICATION);
      assertThat(meter.answersWith(custody, next)).as("the meter holds the key custody stored").isTrue();
      rotation.acknowledge(next);
      assertThat(keys.versions(device, KeyRole.AUTHENTICATION)).extracting(DeviceKey::state)
          .containsExactly(KeyState.EXPIRED, KeyState.ACTIVE);
    }
    assertThat(campaign("all", Selection.all(), ROLES, channel).run()).as("a completed campaign does nothing").isEqualTo(done);
  }

  @Test
  void campaigns_select_by_supplier_batch_region_and_provenance() {
    fleet(12);
    Set<KeyRole> auth = EnumSet.of(KeyRole.AUTHENTICATION);
    Progress vendorB = campaign("vendor-b", Selection.supplier("vendor-b"), auth, channel).run();
    assertThat(vendorB.devicesDone()).isEqualTo(6);
    List<String> odd = devices.stream().filter(d -> Integer.parseInt(d.substring(1)) % 2 == 1).toList();
    exactlyOneNewKeyPerRole(odd, auth);
    Rotation rotation = new Rotation(custody, keys, channel);
    for (String device : odd) {
      rotation.acknowledge(generated(device, KeyRole.AUTHENTICATION).getFirst());
    }

    // A takeover: only keys the vendor still knows are replaced, so only the even devices' authentication keys.
    Progress takeover = campaign("takeover", Selection.provenance(Provenance.FACTORY_IMPORTED), ROLES, channel).run();
    assertThat(takeover.status()).isEqualTo(Status.COMPLETED);
    assertThat(takeover.keysDelivered()).isEqualTo(6);
    for (String device : devices) {
      boolean even = Integer.parseInt(device.substring(1)) % 2 == 0;
      assertThat(generated(device, KeyRole.AUTHENTICATION)).as(device).singleElement()
          .satisfies(k -> assertThat(k.state()).isEqualTo(even ? KeyState.NEW : KeyState.ACTIVE));
      assertThat(generated(device, KeyRole.GLOBAL_UNICAST_ENCRYPTION)).isEmpty();
    }

    campaign("batch", Selection.batch("B1"), EnumSet.of(KeyRole.GLOBAL_UNICAST_ENCRYPTION), channel).run();
    campaign("region", Selection.region("Zwolle").withSupplier("vendor-a"), EnumSet.of(KeyRole.BROADCAST), channel).run();
    for (String device : devices) {
      int i = Integer.parseInt(device.substring(1));
      assertThat(generated(device, KeyRole.GLOBAL_UNICAST_ENCRYPTION)).as(device).hasSize(i / 4 == 1 ? 1 : 0);
      assertThat(generated(device, KeyRole.BROADCAST)).as(device).hasSize(i >= 6 && i % 2 == 0 ? 1 : 0);
    }
  }

  @Test
  void a_paused_campaign_resumes_where_it_stopped() {
    fleet(20);
    AtomicReference<Campaign> self = new AtomicReference<>();
    AtomicInteger deliveries = new AtomicInteger();
    Campaign campaign = campaign("pause", Selection.all(), ROLES, (key, forDevice) -> {
      channel.deliver(key, forDevice);
      if (deliveries.incrementAndGet() == 5) {
        self.get().pause();
      }
    });
    self.set(campaign);

    Progress paused = campaign.run();
    assertThat(paused.status()).isEqualTo(Status.PAUSED);
    assertThat(paused.reason()).isEqualTo("paused by request");
    // Chunks commit in the order their HSM work ends, so the chunk being delivered may not be the
    // first: the cursor stops before the first chunk the pause left undone, possibly at the start.
    assertThat(paused.devicesDone()).isLessThan(20);
    assertThat(campaign.progress()).isEqualTo(paused);
    noKeyActiveWithoutAcknowledgementAndAtMostOneNewPerRole();

    Progress done = campaign.run();
    assertThat(done.status()).isEqualTo(Status.COMPLETED);
    assertThat(done.devicesDone()).isEqualTo(20);
    exactlyOneNewKeyPerRole(devices, ROLES);
  }

  @Test
  void after_a_crash_mid_campaign_it_resumes_from_the_durable_cursor_without_a_second_key() throws Exception {
    fleet(30);
    AtomicInteger deliveries = new AtomicInteger();
    EntityStore crashing = store;
    DeliveryChannel crashesAfter13 = (key, forDevice) -> {
      channel.deliver(key, forDevice);
      if (deliveries.incrementAndGet() == 13) {
        crashing.close(); // the process dies here: from now on nothing more reaches the store
      }
    };
    try {
      Progress stopped = campaign("crash", Selection.all(), ROLES, crashesAfter13).run();
      assertThat(stopped.status()).isNotEqualTo(Status.COMPLETED);
    } catch (StoreException expected) {
      // the store is gone, so the campaign cannot even record that it stopped
    }

    // Restart: a new store, custody and campaign object, from what is durable.
    custody.close();
    custody = openCustody();
    kek = custody.kek(kekLabel).orElseThrow();
    store = openStore();
    keys = new KeyStore(store.custody(), Clock.systemUTC());
    Progress durable = Campaign.all(keys).getFirst();
    assertThat(durable.status()).isIn(Status.RUNNING, Status.FAILED);
    assertThat(durable.devicesDone()).isLessThan(30);
    noKeyActiveWithoutAcknowledgementAndAtMostOneNewPerRole();
    assertThat(Campaign.definition(keys, "crash")).hasValueSatisfying(d -> assertThat(d.roles()).isEqualTo(ROLES));

    Progress done = campaign("crash", Selection.all(), ROLES, channel).run();
    assertThat(done.status()).isEqualTo(Status.COMPLETED);
    assertThat(done.cursor()).isEqualTo("M029");
    exactlyOneNewKeyPerRole(devices, ROLES);

    // The meter switched before the crash but its acknowledgement was lost: trying the NEW key recovers it.
    SimulatedMeter meter = meters.get("M000");
    meter.activate(KeyRole.AUTHENTICATION);
    Rotation rotation = new Rotation(custody, keys, channel);
    assertThat(rotation.recover("M000", KeyRole.AUTHENTICATION, k -> meter.answersWith(custody, k)))
        .hasValueSatisfying(k -> assertThat(k.state()).isEqualTo(KeyState.ACTIVE));
    assertThat(rotation.recover("M001", KeyRole.AUTHENTICATION, k -> meters.get("M001").answersWith(custody, k))).isEmpty();
  }

  @Test
  void a_campaign_pauses_when_custody_goes_away_and_resumes_when_it_is_back() throws Exception {
    fleet(24); // six chunks: the fourth starts only after the plug is pulled
    AtomicInteger deliveries = new AtomicInteger();
    KeyCustody failing = custody;
    DeliveryChannel pullsThePlug = (key, forDevice) -> {
      channel.deliver(key, forDevice);
      if (deliveries.incrementAndGet() == 9) {
        pullThePlug(failing);
      }
    };
    Progress paused = campaign("hsm", Selection.all(), ROLES, pullsThePlug).run();

    assertThat(paused.status()).as("status, with reason %s", paused.reason()).isEqualTo(Status.PAUSED_HSM_UNAVAILABLE);
    assertThat(paused.reason()).startsWith("UNAVAILABLE");
    assertThat(paused.devicesDone()).isLessThan(24);
    noKeyActiveWithoutAcknowledgementAndAtMostOneNewPerRole();

    custody.close();
    custody = openCustody(); // custody is back
    kek = custody.kek(kekLabel).orElseThrow();
    Progress done = campaign("hsm", Selection.all(), ROLES, channel).run();
    assertThat(done.status()).isEqualTo(Status.COMPLETED);
    exactlyOneNewKeyPerRole(devices, ROLES);
  }
}
