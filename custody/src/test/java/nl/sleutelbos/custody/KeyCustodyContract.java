package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.sleutelbos.identity.Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link KeyCustody} backend promises, run once per backend. Known keys enter
 * only through {@link InsecureKeyMaterial}, and every answer is checked against published vectors
 * or against the JDK's own implementation with the key the test knows.
 */
abstract class KeyCustodyContract {
  private static final HexFormat HEX = HexFormat.of();
  protected KeyCustody custody;

  /** Opens the backend under test, fresh enough that labels made by this class are free. */
  protected abstract KeyCustody open() throws Exception;

  @BeforeEach
  void openCustody() throws Exception {
    custody = open();
  }

  @AfterEach
  void closeCustody() {
    custody.close();
  }

  record Vector(String name, WrapMethod method, byte[] kek, byte[] key, byte[] wrapped) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Vector> vectors() throws IOException {
    try (InputStream in = KeyCustodyContract.class.getResourceAsStream("/rfc3394-rfc5649-vectors.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("\\|"))
          .map(f -> new Vector(f[0].strip(), WrapMethod.valueOf(f[1].strip()), HEX.parseHex(f[2].strip()),
              HEX.parseHex(f[3].strip()), HEX.parseHex(f[4].strip())))
          .toList().stream();
    }
  }

  static void assertReason(CustodyException.Reason reason, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(CustodyException.class,
        e -> assertThat(e.reason()).as(e + " caused by " + e.getCause()).isEqualTo(reason));
  }

  static String label(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void wrapping_a_known_key_under_a_known_kek_gives_the_published_answer(Vector v) {
    KeyHandle kek = custody.importKek(label("kat"), InsecureKeyMaterial.of(v.kek()));
    WrappedKey wrapped = custody.importDeviceKey(kek, InsecureKeyMaterial.of(v.key()));
    assertThat(wrapped.method()).isEqualTo(v.method());
    assertPublishedWrap(v, wrapped);
  }

  /** Backends with a known deviation from a published vector assert that deviation instead. */
  protected void assertPublishedWrap(Vector v, WrappedKey wrapped) {
    assertThat(HEX.formatHex(wrapped.bytes())).isEqualTo(HEX.formatHex(v.wrapped()));
  }

  @Test
  void wrapping_for_delivery_wraps_the_key_under_the_device_master_key_by_rfc_3394() {
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    // RFC 3394 §4.1: the master key plays the KEK, the new key the key data.
    WrappedKey master = custody.importDeviceKey(storage, InsecureKeyMaterial.of(HEX.parseHex("000102030405060708090A0B0C0D0E0F")));
    WrappedKey key = custody.importDeviceKey(storage, InsecureKeyMaterial.of(HEX.parseHex("00112233445566778899AABBCCDDEEFF")));

    WrappedKey delivered = custody.wrapForDelivery(key, master);

    assertThat(HEX.formatHex(delivered.bytes())).isEqualToIgnoringCase("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
  }

  @Test
  void generated_device_keys_are_aes_128_wrapped_and_distinct() {
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    WrappedKey a = custody.generateDeviceKey(storage);
    WrappedKey b = custody.generateDeviceKey(storage);
    assertThat(a.bytes()).hasSize(24);
    assertThat(a.method()).isEqualTo(WrapMethod.RFC3394);
    assertThat(a.kek()).isEqualTo(storage.label());
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void a_generated_key_can_be_delivered_under_a_generated_master_key() {
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    WrappedKey master = custody.generateDeviceKey(storage);
    WrappedKey key = custody.generateDeviceKey(storage);
    WrappedKey delivered = custody.wrapForDelivery(key, master);
    assertThat(delivered.bytes()).hasSize(24).isNotEqualTo(key.bytes());
  }

  @Test
  void a_key_change_redelivers_the_pending_key_and_delivers_fresh_keys_that_are_the_stored_ones() throws Exception {
    byte[] masterValue = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    byte[] pendingValue = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    WrappedKey master = custody.importDeviceKey(storage, InsecureKeyMaterial.of(masterValue));
    WrappedKey pending = custody.importDeviceKey(storage, InsecureKeyMaterial.of(pendingValue));

    KeyChange change = custody.changeKeys(storage, master, java.util.List.of(pending), 2);

    assertThat(change.fresh()).hasSize(2).allSatisfy(k -> assertThat(k.kek()).isEqualTo(storage.label()));
    assertThat(change.forDevice()).hasSize(3);
    // RFC 3394 §4.3: the pending key under the master key, byte for byte
    assertThat(HEX.formatHex(change.forDevice().get(0).bytes())).isEqualToIgnoringCase("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
    for (int i = 0; i < 2; i++) {
      // what the device unwraps with its master key is the key custody stored: it opens what custody seals
      Cipher kw = Cipher.getInstance("AES/KW/NoPadding");
      kw.init(Cipher.UNWRAP_MODE, new SecretKeySpec(masterValue, "AES"));
      byte[] value = ((javax.crypto.SecretKey) kw.unwrap(change.forDevice().get(i + 1).bytes(), "AES", Cipher.SECRET_KEY)).getEncoded();
      byte[] sealed = custody.gcmEncrypt(change.fresh().get(i), new byte[12], new byte[0], new byte[] {42}, 12);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(value, "AES"), new GCMParameterSpec(96, new byte[12]));
      assertThat(gcm.doFinal(sealed)).containsExactly(42);
    }
    assertThat(change.fresh().get(0)).isNotEqualTo(change.fresh().get(1));
  }

  @Test
  void gcm_with_a_custody_key_matches_the_jdk_with_the_same_key() throws Exception {
    byte[] value = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    WrappedKey key = custody.importDeviceKey(storage, InsecureKeyMaterial.of(value));
    byte[] iv = HEX.parseHex("4D4D4D0000BC614E01234567");
    byte[] aad = "additional".getBytes(StandardCharsets.US_ASCII);
    byte[] plaintext = "an xDLMS APDU, more or less".getBytes(StandardCharsets.US_ASCII);

    byte[] sealed = custody.gcmEncrypt(key, iv, aad, plaintext, 12);

    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(value, "AES"), new GCMParameterSpec(96, iv));
    jdk.updateAAD(aad);
    assertThat(jdk.doFinal(sealed)).isEqualTo(plaintext);
    assertThat(custody.gcmDecrypt(key, iv, aad, sealed, 12)).isEqualTo(plaintext);
  }

  @Test
  void gcm_refuses_a_tampered_message() {
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    WrappedKey key = custody.generateDeviceKey(storage);
    byte[] iv = new byte[12];
    byte[] sealed = custody.gcmEncrypt(key, iv, new byte[0], new byte[] {1, 2, 3}, 12);
    sealed[0] ^= 1;
    assertReason(CustodyException.Reason.INTEGRITY, () -> custody.gcmDecrypt(key, iv, new byte[0], sealed, 12));
  }

  @Test
  void a_key_wrapped_under_another_kek_does_not_unwrap() {
    KeyHandle one = custody.generateStorageKek(label("one"));
    KeyHandle two = custody.generateStorageKek(label("two"));
    WrappedKey key = custody.generateDeviceKey(one);
    WrappedKey forged = new WrappedKey(two.label(), key.method(), key.bytes());
    assertReason(CustodyException.Reason.INTEGRITY, () -> custody.gcmEncrypt(forged, new byte[12], new byte[0], new byte[1], 12));
  }

  @Test
  void a_kek_label_is_taken_once_and_found_again() {
    String label = label("storage");
    KeyHandle kek = custody.generateStorageKek(label);
    assertThat(custody.kek(label)).hasValueSatisfying(k -> assertThat(k.label()).isEqualTo(kek.label()));
    assertThat(custody.kek(label("absent"))).isEmpty();
    assertReason(CustodyException.Reason.DUPLICATE_LABEL, () -> custody.generateStorageKek(label));
  }

  @Test
  void an_unknown_kek_is_named_as_unknown() {
    WrappedKey orphan = new WrappedKey(label("absent"), WrapMethod.RFC3394, new byte[24]);
    assertReason(CustodyException.Reason.UNKNOWN_KEY, () -> custody.gcmEncrypt(orphan, new byte[12], new byte[0], new byte[1], 12));
  }

  @Test
  void a_kek_must_be_an_aes_key() {
    assertReason(CustodyException.Reason.INVALID, () -> custody.importKek(label("bad"), InsecureKeyMaterial.of(new byte[20])));
  }

  @Test
  void signing_keys_sign_es256_that_their_public_jwk_verifies() throws Exception {
    Signer signer = custody.signers().generate();
    byte[] data = "checkpoint 42".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = signer.sign(data);

    assertThat(signature).hasSize(64);
    assertThat(signer.publicKey().isPrivate()).isFalse();
    Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
    verify.initVerify(signer.publicKey().toECKey().toECPublicKey());
    verify.update(data);
    assertThat(verify.verify(signature)).isTrue();
    assertThat(signer.sovereign()).isEqualTo(custody.backend().sovereign());

    Signer reopened = custody.signers().open(signer.keyId()).orElseThrow();
    assertThat(reopened.publicKey()).isEqualTo(signer.publicKey());
    custody.signers().destroy(signer.keyId());
    assertThat(custody.signers().open(signer.keyId())).isEmpty();
  }

  /** A vendor's key wrapped under a transport key the test knows, by the JDK (RFC 3394 or 5649). */
  private static WrappedKey vendorWrap(String transportLabel, byte[] transport, byte[] key, WrapMethod method) throws Exception {
    Cipher jdk = Cipher.getInstance(method == WrapMethod.RFC3394 ? "AES/KW/NoPadding" : "AES/KWP/NoPadding");
    jdk.init(Cipher.WRAP_MODE, new SecretKeySpec(transport, "AES"));
    return new WrappedKey(transportLabel, method, jdk.wrap(new SecretKeySpec(key, "AES")));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(WrapMethod.class)
  void a_vendor_key_is_rewrapped_from_the_transport_key_to_the_storage_kek(WrapMethod method) throws Exception {
    byte[] transport = HEX.parseHex("5840DF6E29B02AF1AB493B705BF16EA1AE8338F4DCC176A8");
    byte[] key = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
    KeyHandle transportKek = custody.importKek(label("transport"), InsecureKeyMaterial.of(transport));
    KeyHandle storage = custody.importKek(label("storage"), InsecureKeyMaterial.of(HEX.parseHex("000102030405060708090A0B0C0D0E0F")));

    WrappedKey stored = custody.rewrap(vendorWrap(transportKek.label(), transport, key, method), storage);

    assertThat(stored.kek()).isEqualTo(storage.label());
    assertThat(stored.method()).isEqualTo(WrapMethod.RFC3394);
    // RFC 3394 §4.1 with the storage KEK: the same key, now under the operator's KEK.
    assertThat(HEX.formatHex(stored.bytes())).isEqualToIgnoringCase("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
  }

  @Test
  void a_vendor_key_under_another_transport_key_or_of_another_size_is_refused() throws Exception {
    byte[] transport = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
    KeyHandle transportKek = custody.importKek(label("transport"), InsecureKeyMaterial.of(transport));
    KeyHandle storage = custody.generateStorageKek(label("storage"));
    byte[] other = HEX.parseHex("0F0E0D0C0B0A09080706050403020100");
    assertReason(CustodyException.Reason.INTEGRITY, () -> custody.rewrap(
        vendorWrap(transportKek.label(), other, new byte[16], WrapMethod.RFC3394), storage));
    assertReason(CustodyException.Reason.INVALID, () -> custody.rewrap(
        vendorWrap(transportKek.label(), transport, new byte[32], WrapMethod.RFC3394), storage));
    assertReason(CustodyException.Reason.UNKNOWN_KEY, () -> custody.rewrap(
        vendorWrap(label("absent"), transport, new byte[16], WrapMethod.RFC3394), storage));
  }

  @Test
  void insecure_material_never_prints_its_bytes() {
    assertThat(InsecureKeyMaterial.of(HEX.parseHex("00112233445566778899AABBCCDDEEFF")).toString())
        .doesNotContain("0011").doesNotContain("ddeeff");
  }
}
