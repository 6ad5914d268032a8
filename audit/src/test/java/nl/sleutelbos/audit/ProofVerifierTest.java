package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transparency-dev known-answer vectors: our tree produces the published roots and proofs,
 * the verifier accepts them, and every tampered variant (the same corruptions that library's
 * tests apply) is refused.
 */
class ProofVerifierTest {
  private static final KnownAnswerVectors VECTORS = KnownAnswerVectors.load();
  private static final byte[] SOME_HASH =
      HexFormat.of().parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");
  private static final byte[] EMPTY_ROOT =
      HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  private static MemoryTree tree() {
    MemoryTree tree = new MemoryTree();
    VECTORS.leaves().forEach(tree::append);
    return tree;
  }

  static Stream<KnownAnswerVectors.Proof> inclusions() {
    return VECTORS.inclusions().stream();
  }

  static Stream<KnownAnswerVectors.Proof> consistencies() {
    return VECTORS.consistencies().stream();
  }

  @Test
  void theEmptyTreeHasTheHashOfNothingAsRoot() {
    assertThat(MerkleTree.root(tree(), 0)).isEqualTo(EMPTY_ROOT);
  }

  @Test
  void rootsOfEveryPrefixAreThePublishedOnes() {
    MemoryTree tree = tree();
    VECTORS.roots().forEach((size, root) -> assertThat(tree.root(size)).as("root of %d", size).isEqualTo(root));
    assertThat(tree.root()).isEqualTo(VECTORS.roots().get(8L));
  }

  @ParameterizedTest
  @MethodSource("inclusions")
  void inclusionProofIsThePublishedOneAndVerifies(KnownAnswerVectors.Proof vector) throws ProofException {
    long index = vector.a();
    long size = vector.b();
    byte[] root = VECTORS.roots().get(size);
    byte[] leafHash = TreeHash.leaf(VECTORS.leaves().get((int) index));

    assertThat(tree().inclusionProof(index, size)).containsExactlyElementsOf(vector.hashes());
    assertThat(ProofVerifier.rootFromInclusionProof(index, size, leafHash, vector.hashes())).isEqualTo(root);
    ProofVerifier.verifyInclusion(index, size, leafHash, vector.hashes(), root);
  }

  @ParameterizedTest
  @MethodSource("inclusions")
  void everyTamperedInclusionProofIsRefused(KnownAnswerVectors.Proof vector) {
    long index = vector.a();
    long size = vector.b();
    byte[] root = VECTORS.roots().get(size);
    byte[] leaf = TreeHash.leaf(VECTORS.leaves().get((int) index));
    List<byte[]> proof = vector.hashes();

    Map<String, Runnable> probes = new LinkedHashMap<>();
    probes.put("index - 1", refuses(index - 1, size, leaf, proof, root));
    probes.put("index + 1", refuses(index + 1, size, leaf, proof, root));
    probes.put("index ^ 2", refuses(index ^ 2, size, leaf, proof, root));
    probes.put("size * 2", refuses(index, size * 2, leaf, proof, root));
    probes.put("size / 2", refuses(index, size / 2, leaf, proof, root));
    probes.put("wrong leaf", refuses(index, size, "WrongLeaf".getBytes(StandardCharsets.UTF_8), proof, root));
    probes.put("empty root", refuses(index, size, leaf, proof, EMPTY_ROOT));
    probes.put("random root", refuses(index, size, leaf, proof, SOME_HASH));
    probes.put("trailing garbage", refuses(index, size, leaf, append(proof, new byte[0]), root));
    probes.put("trailing root", refuses(index, size, leaf, append(proof, root), root));
    probes.put("preceding garbage", refuses(index, size, leaf, prepend(proof, new byte[0]), root));
    probes.put("preceding root", refuses(index, size, leaf, prepend(proof, root), root));
    for (int i = 0; i < proof.size(); i++) {
      probes.put("flipped bit 3 of proof[" + i + "]", refuses(index, size, leaf, flip(proof, i, 8), root));
    }
    if (!proof.isEmpty()) {
      probes.put("removed component", refuses(index, size, leaf, proof.subList(0, proof.size() - 1), root));
    }
    if (proof.size() > 1) {
      List<byte[]> inserted = new ArrayList<>();
      inserted.add(proof.get(0));
      inserted.add(SOME_HASH);
      inserted.addAll(proof.subList(1, proof.size()));
      probes.put("inserted component", refuses(index, size, leaf, inserted, root));
    }
    probes.forEach((name, probe) -> assertThatCode(probe::run).as(name).doesNotThrowAnyException());
  }

  @ParameterizedTest
  @MethodSource("consistencies")
  void consistencyProofIsThePublishedOneAndVerifies(KnownAnswerVectors.Proof vector) throws ProofException {
    long size1 = vector.a();
    long size2 = vector.b();
    assertThat(tree().consistencyProof(size1, size2)).containsExactlyElementsOf(vector.hashes());
    ProofVerifier.verifyConsistency(
        size1, size2, vector.hashes(), VECTORS.roots().get(size1), VECTORS.roots().get(size2));
  }

  @ParameterizedTest
  @MethodSource("consistencies")
  void everyTamperedConsistencyProofIsRefused(KnownAnswerVectors.Proof vector) {
    long s1 = vector.a();
    long s2 = vector.b();
    byte[] r1 = VECTORS.roots().get(s1);
    byte[] r2 = VECTORS.roots().get(s2);
    List<byte[]> proof = vector.hashes();
    if (proof.isEmpty()) {
      return; // like the published tests: only non-trivial proofs have corruptions that must fail
    }
    byte[] wrongRoot = "WrongRoot".getBytes(StandardCharsets.UTF_8);
    Map<String, Runnable> probes = new LinkedHashMap<>();
    probes.put("size1 - 1", refusesConsistency(s1 - 1, s2, proof, r1, r2));
    probes.put("size1 + 1", refusesConsistency(s1 + 1, s2, proof, r1, r2));
    probes.put("size1 ^ 2", refusesConsistency(s1 ^ 2, s2, proof, r1, r2));
    probes.put("size2 * 2", refusesConsistency(s1, s2 * 2, proof, r1, r2));
    probes.put("size2 / 2", refusesConsistency(s1, s2 / 2, proof, r1, r2));
    probes.put("wrong root1", refusesConsistency(s1, s2, proof, wrongRoot, r2));
    probes.put("wrong root2", refusesConsistency(s1, s2, proof, r1, wrongRoot));
    probes.put("swapped roots", refusesConsistency(s1, s2, proof, r2, r1));
    probes.put("empty proof", refusesConsistency(s1, s2, List.of(), r1, r2));
    probes.put("trailing garbage", refusesConsistency(s1, s2, append(proof, new byte[0]), r1, r2));
    probes.put("trailing root1", refusesConsistency(s1, s2, append(proof, r1), r1, r2));
    probes.put("trailing root2", refusesConsistency(s1, s2, append(proof, r2), r1, r2));
    probes.put("preceding garbage", refusesConsistency(s1, s2, prepend(proof, new byte[0]), r1, r2));
    probes.put("preceding root1", refusesConsistency(s1, s2, prepend(proof, r1), r1, r2));
    probes.put("preceding root2", refusesConsistency(s1, s2, prepend(proof, r2), r1, r2));
    probes.put("preceding proof[0]", refusesConsistency(s1, s2, prepend(proof, proof.get(0)), r1, r2));
    probes.put("truncated proof", refusesConsistency(s1, s2, proof.subList(0, proof.size() - 1), r1, r2));
    for (int i = 0; i < proof.size(); i++) {
      probes.put("flipped bit 4 of proof[" + i + "]", refusesConsistency(s1, s2, flip(proof, i, 16), r1, r2));
    }
    probes.forEach((name, probe) -> assertThatCode(probe::run).as(name).doesNotThrowAnyException());
  }

  @Test
  void degenerateConsistencyCasesFollowThePublishedVerdicts() throws ProofException {
    byte[] r1 = TreeHash.sha256("don't care 1".getBytes(StandardCharsets.UTF_8));
    byte[] r2 = TreeHash.sha256("don't care 2".getBytes(StandardCharsets.UTF_8));
    ProofVerifier.verifyConsistency(0, 0, List.of(), r1, r1);
    ProofVerifier.verifyConsistency(0, 1, List.of(), r1, r2);
    ProofVerifier.verifyConsistency(1, 1, List.of(), r2, r2);
    for (long[] sizes : new long[][] {{0, 0}, {1, 1}, {1, 0}, {2, 1}, {1, 2}}) {
      assertThatThrownBy(() -> ProofVerifier.verifyConsistency(sizes[0], sizes[1], List.of(), r1, r2))
          .as("%d -> %d", sizes[0], sizes[1])
          .isInstanceOf(ProofException.class);
    }
    for (long[] sizes : new long[][] {{0, 0}, {0, 1}, {1, 1}}) {
      assertThatThrownBy(() -> ProofVerifier.verifyConsistency(
              sizes[0], sizes[1], List.of(EMPTY_ROOT), EMPTY_ROOT, EMPTY_ROOT))
          .as("non-empty proof %d -> %d", sizes[0], sizes[1])
          .isInstanceOf(ProofException.class);
    }
  }

  @Test
  void degenerateInclusionCasesAreRefused() {
    for (long[] probe : new long[][] {{0, 0}, {0, 1}, {1, 0}, {2, 1}}) {
      assertThatThrownBy(() -> ProofVerifier.verifyInclusion(probe[0], probe[1], SOME_HASH, List.of(), EMPTY_ROOT))
          .isInstanceOf(ProofException.class);
      assertThatThrownBy(() -> ProofVerifier.verifyInclusion(probe[0], probe[1], new byte[0], List.of(), EMPTY_ROOT))
          .isInstanceOf(ProofException.class);
    }
  }

  @Test
  void aSingleEntryTreeHasItsLeafAsRootAndAnEmptyPath() throws ProofException {
    byte[] hash = TreeHash.leaf("data".getBytes(StandardCharsets.UTF_8));
    ProofVerifier.verifyInclusion(0, 1, hash, List.of(), hash);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, new byte[0], List.of(), hash))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, hash, List.of(), new byte[0]))
        .isInstanceOf(ProofException.class);
  }

  private static Runnable refuses(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
    return () -> assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, leaf, proof, root))
        .isInstanceOf(ProofException.class);
  }

  private static Runnable refusesConsistency(long s1, long s2, List<byte[]> proof, byte[] r1, byte[] r2) {
    return () -> assertThatThrownBy(() -> ProofVerifier.verifyConsistency(s1, s2, proof, r1, r2))
        .isInstanceOf(ProofException.class);
  }

  static List<byte[]> flip(List<byte[]> proof, int element, int mask) {
    List<byte[]> copy = new ArrayList<>(proof);
    byte[] changed = copy.get(element).clone();
    changed[0] ^= (byte) mask;
    copy.set(element, changed);
    return copy;
  }

  private static List<byte[]> append(List<byte[]> proof, byte[] hash) {
    List<byte[]> copy = new ArrayList<>(proof);
    copy.add(hash);
    return copy;
  }

  private static List<byte[]> prepend(List<byte[]> proof, byte[] hash) {
    List<byte[]> copy = new ArrayList<>();
    copy.add(hash);
    copy.addAll(proof);
    return copy;
  }
}
