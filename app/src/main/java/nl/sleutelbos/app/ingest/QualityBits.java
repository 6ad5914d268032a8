package nl.sleutelbos.app.ingest;

import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.metering.validation.QualityFlag;

/** Quality flags as the bits of a reading row: bit n is {@link QualityFlag} of ordinal n. */
final class QualityBits {
  private static final QualityFlag[] FLAGS = QualityFlag.values();

  private QualityBits() {}

  static int of(List<String> flags) {
    int bits = 0;
    for (String f : flags) {
      bits |= 1 << QualityFlag.valueOf(f).ordinal();
    }
    return bits;
  }

  /** The flags' names, sorted, as the validator gives them. */
  static List<String> names(int bits) {
    if (bits == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (QualityFlag f : FLAGS) {
      if ((bits & 1 << f.ordinal()) != 0) {
        out.add(f.name());
      }
    }
    out.sort(null);
    return List.copyOf(out);
  }
}
