package nl.sleutelbos.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The vendor key file format: whatever comments, blank lines and line endings surround them, valid
 * lines parse to exactly their keys; one bad line anywhere rejects the file and names that line.
 */
class VendorKeyFileProperties {
  record Line(String meter, KeyRole role, WrapMethod method, byte[] wrapped) {
    String text(boolean upper) {
      String hex = upper ? HexFormat.of().withUpperCase().formatHex(wrapped) : HexFormat.of().formatHex(wrapped);
      return meter + "," + role + "," + method.name().toLowerCase() + "," + hex;
    }
  }

  @Provide
  Arbitrary<List<Line>> files() {
    Arbitrary<Line> line = Combinators.combine(
        Arbitraries.strings().withChars("ABCDEFabcdef0123456789._:-").ofMinLength(1).ofMaxLength(64),
        Arbitraries.of(KeyRole.class), Arbitraries.of(WrapMethod.class),
        Arbitraries.bytes().array(byte[].class).ofSize(24)).as(Line::new);
    // One key per (meter, role), as the format requires.
    return line.list().ofMinSize(1).ofMaxSize(30).map(ls -> {
      Map<String, Line> unique = new LinkedHashMap<>();
      ls.forEach(l -> unique.putIfAbsent(l.meter() + "/" + l.role(), l));
      return List.copyOf(unique.values());
    });
  }

  private static String render(List<Line> lines, boolean crlf, boolean upper, int commentEvery) {
    String nl = crlf ? "\r\n" : "\n";
    StringBuilder out = new StringBuilder("# a vendor's keys" + nl + nl + VendorKeyFile.HEADER + nl);
    for (int i = 0; i < lines.size(); i++) {
      if (commentEvery > 0 && i % commentEvery == 0) {
        out.append("# batch ").append(i).append(nl).append("   ").append(nl);
      }
      out.append(lines.get(i).text(upper)).append(nl);
    }
    return out.toString();
  }

  @Property
  void validLinesParseToExactlyTheirKeys(@ForAll("files") List<Line> lines, @ForAll boolean crlf, @ForAll boolean upper,
      @ForAll @IntRange(min = 0, max = 5) int commentEvery) {
    List<VendorKeyFile.Entry> parsed = VendorKeyFile.parse(render(lines, crlf, upper, commentEvery));
    assertThat(parsed).hasSize(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(parsed.get(i).deviceId()).isEqualTo(lines.get(i).meter());
      assertThat(parsed.get(i).role()).isEqualTo(lines.get(i).role());
      assertThat(parsed.get(i).method()).isEqualTo(lines.get(i).method());
      assertThat(parsed.get(i).wrapped()).isEqualTo(lines.get(i).wrapped());
    }
  }

  @Property
  void oneBadLineRejectsTheFileAndIsNamed(@ForAll("files") List<Line> lines, @ForAll @IntRange(min = 0, max = 1000) int where,
      @ForAll @IntRange(min = 0, max = 6) int damage) {
    int index = where % lines.size();
    List<String> text = new ArrayList<>(List.of(VendorKeyFile.HEADER));
    lines.forEach(l -> text.add(l.text(true)));
    String good = text.get(index + 1);
    String[] f = good.split(",");
    text.set(index + 1, switch (damage) {
      case 0 -> f[0] + "," + f[1] + "," + f[2];                      // a field missing
      case 1 -> good + ",extra";                                      // a field too many
      case 2 -> f[0] + ",KING," + f[2] + "," + f[3];                  // no such role
      case 3 -> f[0] + "," + f[1] + ",aes-gcm," + f[3];               // no such wrap
      case 4 -> f[0] + "," + f[1] + "," + f[2] + "," + f[3].substring(2) + "ZZ"; // not hex
      case 5 -> f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "00";   // 25 bytes
      default -> "meter/1," + f[1] + "," + f[2] + "," + f[3];         // a '/' in the meter id
    });
    String file = String.join("\n", text);
    assertThatThrownBy(() -> VendorKeyFile.parse(file)).isInstanceOfSatisfying(VendorKeyFile.Rejected.class,
        r -> assertThat(r.problems()).extracting(VendorKeyFile.Problem::line).containsExactly(index + 2));
  }

  @Test
  void aFileWithoutHeaderOrKeysIsRejected() {
    assertThatThrownBy(() -> VendorKeyFile.parse("")).isInstanceOf(VendorKeyFile.Rejected.class).hasMessageContaining("no header");
    assertThatThrownBy(() -> VendorKeyFile.parse("# only\nmeter,role,wrap,key\n")).isInstanceOf(VendorKeyFile.Rejected.class)
        .hasMessageContaining("no keys");
    assertThatThrownBy(() -> VendorKeyFile.parse("E1,MASTER,rfc3394," + "00".repeat(24))).isInstanceOfSatisfying(VendorKeyFile.Rejected.class,
        r -> assertThat(r.problems().getFirst()).isEqualTo(new VendorKeyFile.Problem(1, "expected the header '" + VendorKeyFile.HEADER + "'")));
  }

  @Test
  void aMeterWithTwoKeysInOneRoleIsRejectedAtTheSecond() {
    String line = "E1,MASTER,rfc3394," + "00".repeat(24);
    assertThatThrownBy(() -> VendorKeyFile.parse(VendorKeyFile.HEADER + "\n" + line + "\n" + line.toLowerCase().replace("e1", "E1")))
        .isInstanceOfSatisfying(VendorKeyFile.Rejected.class,
            r -> assertThat(r.problems()).extracting(VendorKeyFile.Problem::line).containsExactly(3));
  }
}
