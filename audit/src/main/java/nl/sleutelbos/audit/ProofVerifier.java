package nl.sleutelbos.audit;

import java.security.MessageDigest;
import java.util.List;

/**
 * The verifier's side of RFC 9162: inclusion (§2.1.3.2) and consistency (§2.1.4.2). It needs no
 * tree, only the hashes a client already holds, so the offline verifier and any auditor run the
 * same code. Every hash must be exactly 32 bytes; anything else fails rather than being ignored.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /** Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code root}. */
  public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
    checkSize(root, "root");
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException("inclusion proof for index " + index + " gives another root for size " + size);
    }
  }

  /** §2.1.3.2 steps 1–4: the root that the leaf and its path imply. */
  public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws ProofException {
    if (index < 0 || index >= size) { // step 1
      throw new ProofException("index " + index + " is outside a tree of size " + size);
    }
    checkSize(leafHash, "leaf hash");
    long fn = index; // step 2
    long sn = size - 1;
    byte[] r = leafHash; // step 3
    for (byte[] p : proof) { // step 4
      checkSize(p, "proof element");
      if (sn == 0) { // 4a
        throw new ProofException("inclusion proof is longer than the path for size " + size);
      }
      if ((fn & 1) == 1 || fn == sn) { // 4b
        r = TreeHash.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = TreeHash.node(r, p);
      }
      fn >>= 1; // 4c
      sn >>= 1;
    }
    if (sn != 0) { // step 5, first half
      throw new ProofException("inclusion proof is shorter than the path for size " + size);
    }
    return r;
  }

  /** Checks that the tree of {@code size2} with {@code root2} extends the one of {@code size1}. */
  public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws ProofException {
    checkSize(root1, "first root");
    checkSize(root2, "second root");
    if (size1 < 0 || size2 < size1) {
      throw new ProofException("size " + size2 + " cannot extend size " + size1);
    }
    if (size1 == size2) { // the same tree: nothing to prove, the heads must simply agree
      if (!proof.isEmpty()) {
        throw new ProofException("consistency proof between equal sizes must be empty");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofException("two different roots for size " + size1);
      }
      return;
    }
    if (size1 == 0) { // the empty tree is a prefix of every tree
      if (!proof.isEmpty()) {
        throw new ProofException("consistency proof from the empty tree must be empty");
      }
      return;
    }
    if (proof.isEmpty()) { // §2.1.4.2 step 1
      throw new ProofException("empty consistency proof from " + size1 + " to " + size2);
    }
    for (byte[] c : proof) {
      checkSize(c, "proof element");
    }
    // Step 2: a first tree that is a complete subtree is not in the proof; its root is.
    boolean power = Long.bitCount(size1) == 1;
    int start = power ? -1 : 0;
    long fn = size1 - 1; // step 3
    long sn = size2 - 1;
    while ((fn & 1) == 1) { // step 4
      fn >>= 1;
      sn >>= 1;
    }
    byte[] first = power ? root1 : proof.get(0); // step 5
    byte[] fr = first;
    byte[] sr = first;
    for (int i = start + 1; i < proof.size(); i++) { // step 6
      byte[] c = proof.get(i);
      if (sn == 0) { // 6a
        throw new ProofException("consistency proof is longer than needed for " + size1 + " to " + size2);
      }
      if ((fn & 1) == 1 || fn == sn) { // 6b
        fr = TreeHash.node(c, fr);
        sr = TreeHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = TreeHash.node(sr, c);
      }
      fn >>= 1; // 6c
      sn >>= 1;
    }
    // Step 7.
    if (sn != 0) {
      throw new ProofException("consistency proof is shorter than needed for " + size1 + " to " + size2);
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofException("consistency proof does not reproduce the root of size " + size1);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofException("consistency proof does not reproduce the root of size " + size2);
    }
  }

  private static void checkSize(byte[] hash, String what) throws ProofException {
    if (hash == null || hash.length != TreeHash.SIZE) {
      throw new ProofException(what + " is not a " + TreeHash.SIZE + "-byte hash");
    }
  }
}
