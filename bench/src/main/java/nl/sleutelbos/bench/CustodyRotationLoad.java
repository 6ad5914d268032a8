package nl.sleutelbos.bench;

import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.custody.Campaign;
import nl.sleutelbos.custody.DeliveryChannel;
import nl.sleutelbos.custody.DeviceKeySets;
import nl.sleutelbos.custody.InsecureKeyMaterial;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.KeyStore;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.custody.pkcs11.Pkcs11Config;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;

/**
 * Rotation campaign throughput against what the HSM alone does for the same steps, in one run.
 *
 * <p>Workload: N devices, each with a factory master key (wrapped under a storage KEK, set up
 * before timing); the campaign rotates 2 keys per device (authentication, global unicast
 * encryption). Per key the HSM does: generate AES-128, wrap it under the storage KEK, unwrap the
 * device's master key, unwrap the new key, wrap the new key under the master key, destroy three
 * session objects. The campaign adds persisting the NEW key (SQLite document, durable), the
 * delivery hand-off (a counter here) and checkpoints every 1,000 devices; {@code workers} threads share the
 * session pool. The anchor makes the
 * same PKCS#11 calls in a loop on one session, no Sleutelbos code. One thread each.
 *
 * <p>Command (token initialised first, see docs/PERFORMANCE.md):
 * {@code java --add-modules jdk.crypto.cryptoki --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED
 * -cp bench/target/benchmarks.jar nl.sleutelbos.bench.CustodyRotationLoad <devices> <libsofthsm2.so> <token> <pin-file> <data-dir> [workers]}
 */
public final class CustodyRotationLoad {
  private CustodyRotationLoad() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    int workers = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    Path library = Path.of(args[1]);
    Pkcs11Config config = new Pkcs11Config(library, args[2], new Secret.FromFile(Path.of(args[3])), new Location("NL"), Optional.empty(), Integer.parseInt(args.length > 5 ? args[5] : "1") + 1);
    Path data = Path.of(args[4]);
    Files.createDirectories(data);
    try (Pkcs11Custody custody = Pkcs11Custody.open(config);
        EntityStore store = Stores.open(new StoreConfig.Sqlite(data.resolve("custody-bench-" + UUID.randomUUID() + ".db")))) {
      KeyStore keys = new KeyStore(store.documents(), Clock.systemUTC());
      String kekLabel = "bench-" + UUID.randomUUID();
      KeyHandle kek = custody.generateStorageKek(kekLabel);
      SecureRandom random = new SecureRandom();
      List<String> ids = new ArrayList<>();
      List<byte[]> masters = new ArrayList<>();
      DeviceKeySets sets = new DeviceKeySets(custody, keys);
      for (int i = 0; i < devices; i++) {
        byte[] master = new byte[16];
        random.nextBytes(master);
        WrappedKey wrapped = custody.importDeviceKey(kek, InsecureKeyMaterial.of(master));
        sets.importFactoryKey("M" + i, KeyRole.MASTER, wrapped);
        ids.add("M" + i);
        masters.add(wrapped.bytes());
      }
      System.out.printf("set up %,d devices%n", devices);

      double raw1 = raw(library, kekLabel, masters);
      AtomicLong delivered = new AtomicLong();
      DeliveryChannel channel = (key, forDevice) -> delivered.incrementAndGet();
      long t0 = System.nanoTime();
      Campaign.Progress p = new Campaign("bench", ids, EnumSet.of(KeyRole.AUTHENTICATION, KeyRole.GLOBAL_UNICAST_ENCRYPTION), kek,
          new Rotation(custody, keys, channel), store.documents(), 1000, workers).run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double campaign = delivered.get() / seconds;
      double raw2 = raw(library, kekLabel, masters);
      System.out.printf("workers: %d%n", workers);
      System.out.printf("campaign: %s, %,d keys in %.1f s = %,.0f keys/s%n", p.status(), delivered.get(), seconds, campaign);
      System.out.printf("raw PKCS#11 same steps: %,.0f keys/s before, %,.0f keys/s after%n", raw1, raw2);
      System.out.printf("campaign / mean raw = %.0f%%; a million devices (2,000,000 keys) at this rate: %.0f min%n",
          100 * campaign / ((raw1 + raw2) / 2), 2_000_000 / campaign / 60);
    }
  }

  /** The HSM steps of the campaign, two keys per device, straight through the PKCS#11 wrapper. */
  private static double raw(Path library, String kekLabel, List<byte[]> masters) throws Exception {
    PKCS11 p11 = PKCS11.getInstance(library.toString(), "C_GetFunctionList", null, false);
    long session = -1;
    long kek = -1;
    for (long s : p11.C_GetSlotList(true)) {
      long candidate = p11.C_OpenSession(s, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
      p11.C_FindObjectsInit(candidate, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_LABEL, kekLabel.toCharArray())});
      long[] found = p11.C_FindObjects(candidate, 1);
      p11.C_FindObjectsFinal(candidate);
      if (found.length == 1) {
        session = candidate;
        kek = found[0];
        break;
      }
      p11.C_CloseSession(candidate);
    }
    if (kek < 0) {
      throw new IllegalStateException("KEK " + kekLabel + " not found");
    }
    CK_MECHANISM gen = new CK_MECHANISM(CKM_AES_KEY_GEN);
    CK_MECHANISM kw = new CK_MECHANISM(CKM_AES_KEY_WRAP);
    CK_ATTRIBUTE[] generate = template(true);
    CK_ATTRIBUTE[] unwrap = template(false);
    long t0 = System.nanoTime();
    int keys = 0;
    for (byte[] master : masters) {
      for (int k = 0; k < 2; k++) {
        long key = p11.C_GenerateKey(session, gen, generate);
        byte[] stored = p11.C_WrapKey(session, kw, kek, key);
        p11.C_DestroyObject(session, key);
        long m = p11.C_UnwrapKey(session, kw, kek, master, unwrap);
        long n = p11.C_UnwrapKey(session, kw, kek, stored, unwrap);
        p11.C_WrapKey(session, kw, m, n);
        p11.C_DestroyObject(session, n);
        p11.C_DestroyObject(session, m);
        keys++;
      }
    }
    double rate = keys / ((System.nanoTime() - t0) / 1e9);
    p11.C_CloseSession(session);
    return rate;
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
