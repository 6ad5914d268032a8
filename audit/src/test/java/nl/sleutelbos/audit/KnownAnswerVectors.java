package nl.sleutelbos.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The transcribed transparency-dev vectors in {@code rfc9162-vectors.txt}, parsed. */
record KnownAnswerVectors(
    List<byte[]> leaves, Map<Long, byte[]> roots, List<Proof> inclusions, List<Proof> consistencies) {

  /** An inclusion proof (a = leaf index, b = size) or a consistency proof (a = size1, b = size2). */
  record Proof(long a, long b, List<byte[]> hashes) {
    @Override
    public String toString() {
      return "(" + a + ", " + b + ")";
    }
  }

  static KnownAnswerVectors load() {
    HexFormat hex = HexFormat.of();
    List<byte[]> leaves = new ArrayList<>();
    Map<Long, byte[]> roots = new TreeMap<>();
    List<Proof> inclusions = new ArrayList<>();
    List<Proof> consistencies = new ArrayList<>();
    try (InputStream in = KnownAnswerVectors.class.getResourceAsStream("rfc9162-vectors.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" +");
        switch (f[0]) {
          case "leaf" -> leaves.add(f[1].equals("-") ? new byte[0] : hex.parseHex(f[1]));
          case "root" -> roots.put(Long.parseLong(f[1]), hex.parseHex(f[2]));
          case "inclusion", "consistency" -> {
            List<byte[]> hashes = Arrays.stream(f).skip(3).map(hex::parseHex).toList();
            Proof proof = new Proof(Long.parseLong(f[1]), Long.parseLong(f[2]), hashes);
            (f[0].equals("inclusion") ? inclusions : consistencies).add(proof);
          }
          default -> throw new IllegalStateException("unknown vector line: " + line);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new KnownAnswerVectors(leaves, roots, inclusions, consistencies);
  }
}
