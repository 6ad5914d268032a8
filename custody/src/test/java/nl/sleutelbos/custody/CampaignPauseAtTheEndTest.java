package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.custody.software.SoftwareCustody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pause that arrives after the last chunk was handed out but before it started leaves that
 * chunk undone: the campaign must say PAUSED, not COMPLETED, and finish it when resumed. (Found
 * by the app's restart test: a campaign stopped by a shutdown came back COMPLETED with 200 of 250
 * devices done.)
 */
class CampaignPauseAtTheEndTest {
  private static final int DEVICES = 10;

  @TempDir Path dir;

  @Test
  void aPauseWithAChunkLeftUndoneIsAPauseNotACompletion() throws Exception {
    Files.writeString(dir.resolve("pass"), "pass\n");
    try (KeyCustody custody = SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
        EntityStore store = Stores.open(new StoreConfig.Sqlite(dir.resolve("c.db")))) {
      KeyStore keys = new KeyStore(store.custody(), Clock.systemUTC());
      KeyHandle kek = custody.generateStorageKek("storage");
      DeviceKeySets sets = new DeviceKeySets(custody, keys);
      for (int d = 0; d < DEVICES; d++) {
        sets.importFactoryKey("D" + d, KeyRole.MASTER, custody.generateDeviceKey(kek));
      }
      CountDownLatch delivering = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      DeliveryChannel blocking = (key, forDevice) -> {
        delivering.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      Set<KeyRole> roles = EnumSet.of(KeyRole.BROADCAST);
      // Two HSM workers, one device per chunk, one commit thread; the first delivery holds its chunk
      // while the pause comes. The chunk being committed finishes; prepared chunks not yet committed
      // and chunks not yet prepared are left: the pause must leave some undone.
      Campaign campaign = new Campaign("c1", Campaign.Selection.all(), roles, kek, new Rotation(custody, keys, blocking), 1, 2);
      Thread runner = Thread.ofVirtual().start(campaign::run);
      assertThat(delivering.await(30, TimeUnit.SECONDS)).isTrue();
      campaign.pause();
      release.countDown();
      runner.join();

      Campaign.Progress paused = campaign.progress();
      assertThat(paused.status()).isEqualTo(Campaign.Status.PAUSED);
      // Commits follow the end of the HSM work, so the chunk being delivered need not be the first;
      // the cursor stops before the first chunk left undone, which may be the very first.
      assertThat(paused.devicesDone()).isLessThan(DEVICES);

      Campaign.Progress done = new Campaign("c1", Campaign.Selection.all(), roles, kek, new Rotation(custody, keys, (k, w) -> { }), 1, 2).run();
      assertThat(done.status()).isEqualTo(Campaign.Status.COMPLETED);
      assertThat(done.devicesDone()).isEqualTo(DEVICES);
      for (int d = 0; d < DEVICES; d++) {
        assertThat(keys.versions("D" + d, KeyRole.BROADCAST)).as("D" + d).hasSize(1);
      }
    }
  }
}
