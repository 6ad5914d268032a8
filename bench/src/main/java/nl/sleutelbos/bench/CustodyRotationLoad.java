package nl.sleutelbos.bench;

import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.custody.Campaign;
import nl.sleutelbos.custody.DeliveryChannel;
import nl.sleutelbos.custody.DeviceKey;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.KeyState;
import nl.sleutelbos.custody.KeyStore;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Provenance;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.custody.pkcs11.Pkcs11Config;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;

/**
 * Rotation campaign throughput against what the HSM alone does for the same steps, in one run.
 *
 * <p>Workload: N devices, each with a factory master key (generated in the token, stored wrapped
 * under a storage KEK as ACTIVE FACTORY_IMPORTED, with a device record; set up before timing).
 * The campaign (selection: supplier "fleet", i.e. every device) rotates 2 keys per device
 * (authentication, global unicast encryption). Per device the HSM does, in one session: unwrap
 * the master key once; per key generate AES-128, wrap it under the storage KEK, wrap it under
 * the master key, destroy it; destroy the master key (KEKs are used through one session copy
 * per session). The campaign adds one read of a chunk's keys, one durable multi-row insert of its
 * NEW keys, one audit entry per chunk (the transparency log in the same SQLite file, durable), the
 * hand-off to the delivery channel (a counter here) and a durable cursor per chunk. An untimed
 * campaign over 5,000 other devices runs first, so the JIT has compiled the campaign's path.
 *
 * <p>The anchor makes exactly those PKCS#11 calls in a loop, no Sleutelbos code, on 1 thread and
 * on {@code workers} threads (one session each), before and after the campaign, over the first
 * 25,000 devices (its rate does not depend on N). The ratio is against the better anchor.
 *
 * <p>Command (token initialised first, see docs/PERFORMANCE.md):
 * {@code java --add-modules jdk.crypto.cryptoki --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED
 * -cp bench/target/benchmarks.jar nl.sleutelbos.bench.CustodyRotationLoad <devices> <libsofthsm2.so> <token> <pin-file> <data-dir> [workers=2] [chunk=1000]}
 */
public final class CustodyRotationLoad {
  private static final int ANCHOR_DEVICES = 25_000;
  /** Devices of an untimed campaign first, so the JIT has compiled the campaign's path. */
  private static final int WARM_UP = 5_000;

  private CustodyRotationLoad() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    Path library = Path.of(args[1]);
    String token = args[2];
    int workers = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    int chunk = args.length > 6 ? Integer.parseInt(args[6]) : 1000;
    Pkcs11Config config = new Pkcs11Config(library, token, new Secret.FromFile(Path.of(args[3])), new Location("NL"), Optional.empty(), workers);
    Path data = Path.of(args[4]);
    Files.createDirectories(data);
    Path db = data.resolve("custody-bench-" + UUID.randomUUID() + ".db");
    try (Pkcs11Custody custody = Pkcs11Custody.open(config);
        EntityStore store = Stores.open(new StoreConfig.Sqlite(db))) {
      KeyStore keys = new KeyStore(store.custody(), Clock.systemUTC());
      String kekLabel = "bench-" + UUID.randomUUID();
      KeyHandle kek = custody.generateStorageKek(kekLabel);
      setUp(custody, keys, kek, "W", WARM_UP, "warm-up");
      List<byte[]> masters = setUp(custody, keys, kek, "M", devices, "fleet");
      List<byte[]> anchorMasters = masters.subList(0, Math.min(masters.size(), ANCHOR_DEVICES));
      System.out.printf("set up %,d devices; workers %d, chunk %d%n", devices, workers, chunk);

      double raw1 = raw(library, token, kekLabel, anchorMasters, 1);
      double rawW1 = raw(library, token, kekLabel, anchorMasters, workers);
      System.out.printf("raw PKCS#11 before: %,.0f keys/s on 1 thread, %,.0f keys/s on %d threads%n", raw1, rawW1, workers);

      AtomicLong delivered = new AtomicLong();
      DeliveryChannel channel = (key, forDevice) -> delivered.incrementAndGet();
      try (StoredAuditLog audit = StoredAuditLog.open(store.audit())) {
        Rotation.Journal journal = made -> {
          try {
            audit.append(event(made));
          } catch (nl.sleutelbos.audit.AuditException e) {
            throw new IllegalStateException("the audit log refused the chunk; nothing of it is delivered", e);
          }
        };
        new Campaign("warm-up", Campaign.Selection.supplier("warm-up"), EnumSet.of(KeyRole.AUTHENTICATION, KeyRole.GLOBAL_UNICAST_ENCRYPTION),
            kek, new Rotation(custody, keys, channel, journal), chunk, workers).run();
        delivered.set(0);
        long t0 = System.nanoTime();
        long cpu0 = cpu();
        Campaign.Progress p = new Campaign("bench", Campaign.Selection.supplier("fleet"), EnumSet.of(KeyRole.AUTHENTICATION, KeyRole.GLOBAL_UNICAST_ENCRYPTION),
            kek, new Rotation(custody, keys, channel, journal), chunk, workers).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double campaign = delivered.get() / seconds;
        double cpuPerKey = (cpu() - cpu0) / 1e3 / delivered.get();
        System.out.printf("campaign: %s, %,d devices, %,d keys in %.1f s = %,.0f keys/s, %.0f µs CPU a key (audit entries: %,d)%n",
            p.status(), p.devicesDone(), delivered.get(), seconds, campaign, cpuPerKey, audit.size());

        double raw2 = raw(library, token, kekLabel, anchorMasters, 1);
        double rawW2 = raw(library, token, kekLabel, anchorMasters, workers);
        System.out.printf("raw PKCS#11 after: %,.0f keys/s on 1 thread, %,.0f keys/s on %d threads%n", raw2, rawW2, workers);
        double best = Math.max((raw1 + raw2) / 2, (rawW1 + rawW2) / 2);
        System.out.printf("campaign / best mean raw = %.0f%%; 1,000,000 devices (2,000,000 keys) at the campaign's rate: %.1f min%n",
            100 * campaign / best, 2_000_000 / campaign / 60);
      }
    } finally {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
    }
  }

  /** CPU time of this process (all threads, including SoftHSM's work in them), in nanoseconds. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Factory master keys, made in the token and stored in chunks; returns each wrapped master key. */
  private static List<byte[]> setUp(Pkcs11Custody custody, KeyStore keys, KeyHandle kek, String prefix, int devices, String supplier) {
    List<byte[]> masters = new ArrayList<>(devices);
    List<DeviceKey> batch = new ArrayList<>();
    List<CustodyStorage.DeviceRecord> records = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < devices; i++) {
      WrappedKey wrapped = custody.generateDeviceKey(kek);
      masters.add(wrapped.bytes());
      records.add(new CustodyStorage.DeviceRecord(String.format("%s%07d", prefix, i), supplier, "batch-1", "NL"));
      batch.add(new DeviceKey(String.format("%s%07d", prefix, i), KeyRole.MASTER, 1, KeyState.ACTIVE, Provenance.FACTORY_IMPORTED,
          custody.backend().name(), wrapped, now, now));
      if (batch.size() == 5_000 || i == devices - 1) {
        if (!keys.addAll(batch)) {
          throw new IllegalStateException("set-up keys taken");
        }
        keys.describeDevices(records);
        batch.clear();
        records.clear();
      }
    }
    return masters;
  }

  private static AuditEvent event(List<DeviceKey> made) {
    StringBuilder details = new StringBuilder();
    for (DeviceKey k : made) {
      details.append(k.deviceId()).append(' ').append(k.role()).append(' ').append(k.version()).append('\n');
    }
    return new AuditEvent(Instant.now(), new AuditEntry.Actor("campaign:bench", "operator"), "custody.keys.rotate",
        "campaign:bench", AuditEntry.Outcome.SUCCEEDED, made.size() + " keys from " + made.getFirst().deviceId(), "",
        AuditEntry.digestOf(details.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The campaign's PKCS#11 calls for these devices, two keys each, on {@code threads} sessions. */
  private static double raw(Path library, String token, String kekLabel, List<byte[]> masters, int threads) throws Exception {
    PKCS11 p11 = PKCS11.getInstance(library.toString(), "C_GetFunctionList", null, false);
    long slot = -1;
    for (long s : p11.C_GetSlotList(true)) {
      if (new String(p11.C_GetTokenInfo(s).label).strip().equals(token)) {
        slot = s;
      }
    }
    long theSlot = slot;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int from = masters.size() * t / threads;
        int to = masters.size() * (t + 1) / threads;
        done.add(pool.submit(() -> rawShare(p11, theSlot, kekLabel, masters.subList(from, to))));
      }
      long cpu0 = cpu();
      long keys = 0;
      for (Future<Integer> f : done) {
        keys += f.get();
      }
      double rate = keys / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("  raw, %d thread(s): %,.0f keys/s, %.0f µs CPU a key%n", threads, rate, (cpu() - cpu0) / 1e3 / keys);
      return rate;
    } finally {
      pool.shutdown();
    }
  }

  private static int rawShare(PKCS11 p11, long slot, String kekLabel, List<byte[]> masters) throws Exception {
    long session = p11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
    try {
      p11.C_FindObjectsInit(session, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_LABEL, kekLabel.toCharArray())});
      long[] found = p11.C_FindObjects(session, 1);
      p11.C_FindObjectsFinal(session);
      long kek = p11.C_CopyObject(session, found[0], new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_TOKEN, false)});
      CK_MECHANISM gen = new CK_MECHANISM(CKM_AES_KEY_GEN);
      CK_MECHANISM kw = new CK_MECHANISM(CKM_AES_KEY_WRAP);
      CK_ATTRIBUTE[] generate = template(true);
      CK_ATTRIBUTE[] unwrap = template(false);
      int keys = 0;
      for (byte[] master : masters) {
        long m = p11.C_UnwrapKey(session, kw, kek, master, unwrap);
        for (int k = 0; k < 2; k++) {
          long key = p11.C_GenerateKey(session, gen, generate);
          p11.C_WrapKey(session, kw, kek, key);
          p11.C_WrapKey(session, kw, m, key);
          p11.C_DestroyObject(session, key);
          keys++;
        }
        p11.C_DestroyObject(session, m);
      }
      return keys;
    } finally {
      p11.C_CloseSession(session);
    }
  }

  private static CK_ATTRIBUTE[] template(boolean withLength) {
    List<CK_ATTRIBUTE> t = new ArrayList<>(List.of(
        new CK_ATTRIBUTE(CKA_CLASS, CKO_SECRET_KEY), new CK_ATTRIBUTE(CKA_KEY_TYPE, CKK_AES), new CK_ATTRIBUTE(CKA_TOKEN, false),
        new CK_ATTRIBUTE(CKA_SENSITIVE, true), new CK_ATTRIBUTE(CKA_EXTRACTABLE, true), new CK_ATTRIBUTE(CKA_ENCRYPT, true),
        new CK_ATTRIBUTE(CKA_DECRYPT, true), new CK_ATTRIBUTE(CKA_WRAP, true), new CK_ATTRIBUTE(CKA_UNWRAP, true)));
    if (withLength) {
      t.add(new CK_ATTRIBUTE(CKA_VALUE_LEN, 16L));
    }
    return t.toArray(CK_ATTRIBUTE[]::new);
  }
}
