package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Proofs over random trees: every honest proof verifies, every single flipped bit is caught. */
class MerkleTreeProperties {

  /** A tree of a random size with a random leaf index and bit in it. */
  record Case(int size, int index, int other, int bit) {}

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.integers().between(1, 300).flatMap(size -> Combinators.combine(
            Arbitraries.integers().between(0, size - 1),
            Arbitraries.integers().between(0, size),
            Arbitraries.integers().between(0, 255))
        .as((index, other, bit) -> new Case(size, index, other, bit)));
  }

  private static MemoryTree tree(int size) {
    MemoryTree tree = new MemoryTree();
    for (int i = 0; i < size; i++) {
      tree.append(ByteBuffer.allocate(4).putInt(i * 7919).array());
    }
    return tree;
  }

  @Property
  void everyInclusionProofVerifies(@ForAll("cases") Case c) throws ProofException {
    MemoryTree tree = tree(c.size());
    long size = Math.max(c.other(), c.index() + 1);
    byte[] leaf = tree.node(0, c.index());
    ProofVerifier.verifyInclusion(c.index(), size, leaf, tree.inclusionProof(c.index(), size), tree.root(size));
  }

  @Property
  void anyFlippedBitFailsAnInclusionProof(@ForAll("cases") Case c) {
    MemoryTree tree = tree(c.size());
    List<byte[]> proof = tree.inclusionProof(c.index(), c.size());
    byte[] leaf = tree.node(0, c.index()).clone();
    byte[] root = tree.root().clone();
    // The bit lands in the leaf, the root or one proof element, chosen by the case.
    int target = c.other() % (proof.size() + 2);
    if (target == proof.size()) {
      leaf[c.bit() / 8] ^= (byte) (1 << (c.bit() % 8));
    } else if (target == proof.size() + 1) {
      root[c.bit() / 8] ^= (byte) (1 << (c.bit() % 8));
    } else {
      proof = flipBit(proof, target, c.bit());
    }
    List<byte[]> tampered = proof;
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(c.index(), c.size(), leaf, tampered, root))
        .isInstanceOf(ProofException.class);
  }

  @Property
  void everyConsistencyProofVerifies(@ForAll("cases") Case c) throws ProofException {
    MemoryTree tree = tree(c.size());
    int from = Math.min(c.other(), c.size());
    ProofVerifier.verifyConsistency(
        from, c.size(), tree.consistencyProof(from, c.size()), tree.root(from), tree.root());
  }

  @Property
  void anyFlippedBitFailsAConsistencyProof(@ForAll("cases") Case c) {
    MemoryTree tree = tree(c.size());
    int from = 1 + c.index(); // 1..size
    if (from == c.size()) {
      return; // equal sizes: covered by the root comparison below instead
    }
    List<byte[]> proof = tree.consistencyProof(from, c.size());
    byte[] oldRoot = tree.root(from).clone();
    byte[] newRoot = tree.root().clone();
    int target = c.other() % (proof.size() + 2);
    if (target == proof.size()) {
      oldRoot[c.bit() / 8] ^= (byte) (1 << (c.bit() % 8));
    } else if (target == proof.size() + 1) {
      newRoot[c.bit() / 8] ^= (byte) (1 << (c.bit() % 8));
    } else {
      proof = flipBit(proof, target, c.bit());
    }
    List<byte[]> tampered = proof;
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, c.size(), tampered, oldRoot, newRoot))
        .isInstanceOf(ProofException.class);
  }

  @Property
  void theFrontierRootIsTheRecursiveRootOfEveryPrefix(@ForAll @IntRange(min = 0, max = 300) int size) {
    MemoryTree tree = tree(size);
    Frontier rebuilt = Frontier.of(tree, size);
    assertThat(rebuilt.root()).isEqualTo(MerkleTree.root(tree, size));
    assertThat(tree.root()).isEqualTo(MerkleTree.root(tree, size));
  }

  private static List<byte[]> flipBit(List<byte[]> proof, int element, int bit) {
    List<byte[]> copy = new java.util.ArrayList<>(proof);
    byte[] changed = copy.get(element).clone();
    changed[bit / 8] ^= (byte) (1 << (bit % 8));
    copy.set(element, changed);
    return copy;
  }
}
