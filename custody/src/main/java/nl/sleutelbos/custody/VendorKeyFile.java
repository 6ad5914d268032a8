package nl.sleutelbos.custody;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A vendor's factory key file, version 1: UTF-8 text, one key per line, comma-separated.
 *
 * <pre>
 * # sleutelbos-vendor-keys/1
 * meter,role,wrap,key
 * E0051234567890123,MASTER,rfc3394,1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5
 * </pre>
 *
 * The first line that is not blank or a comment must be the header {@code meter,role,wrap,key}.
 * {@code meter} is the device id (letters, digits and {@code . _ : -}, at most 64), {@code role}
 * a {@link KeyRole} name, {@code wrap} {@code rfc3394} or {@code rfc5649} — how the vendor wrapped
 * the AES-128 key under the transport key the operator gave it — and {@code key} the wrapped key
 * in hex (24 bytes for an AES-128 key by either method). Lines starting with {@code #} and blank
 * lines are ignored. A (meter, role) appears once. Parsing checks everything it can without the
 * transport key and reports every bad line, not just the first.
 */
public final class VendorKeyFile {
  public static final String HEADER = "meter,role,wrap,key";
  private static final Pattern METER = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** One key of the file, still wrapped under the transport key. */
  public record Entry(int line, String deviceId, KeyRole role, WrapMethod method, byte[] wrapped) {
    public Entry {
      wrapped = wrapped.clone();
    }

    @Override
    public byte[] wrapped() {
      return wrapped.clone();
    }

    /** The wrapped key as custody takes it: under the named transport KEK. */
    public WrappedKey under(String transportKek) {
      return new WrappedKey(transportKek, method, wrapped);
    }
  }

  /** What is wrong with one line (1-based). */
  public record Problem(int line, String reason) {}

  /** The file was rejected whole; {@link #problems} lists every line at fault. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public Rejected(List<Problem> problems) {
      super(problems.size() + " bad line(s), first: line " + problems.getFirst().line() + ": " + problems.getFirst().reason());
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  private VendorKeyFile() {}

  /** Parses the file; throws {@link Rejected} with every bad line if any is bad. */
  public static List<Entry> parse(String text) {
    List<Entry> entries = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean header = false;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!header) {
        if (!line.equalsIgnoreCase(HEADER)) {
          problems.add(new Problem(number, "expected the header '" + HEADER + "'"));
          break;
        }
        header = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 4) {
        problems.add(new Problem(number, "expected 4 fields (meter,role,wrap,key), found " + f.length));
        continue;
      }
      String meter = f[0].strip();
      if (!METER.matcher(meter).matches()) {
        problems.add(new Problem(number, "meter id must be 1 to 64 of A-Z a-z 0-9 . _ : -"));
        continue;
      }
      KeyRole role;
      try {
        role = KeyRole.valueOf(f[1].strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(number, "unknown role; known: " + List.of(KeyRole.values())));
        continue;
      }
      WrapMethod method = switch (f[2].strip().toLowerCase(Locale.ROOT)) {
        case "rfc3394" -> WrapMethod.RFC3394;
        case "rfc5649" -> WrapMethod.RFC5649;
        default -> null;
      };
      if (method == null) {
        problems.add(new Problem(number, "wrap must be rfc3394 or rfc5649"));
        continue;
      }
      byte[] wrapped;
      try {
        wrapped = HexFormat.of().parseHex(f[3].strip());
      } catch (IllegalArgumentException e) {
        // The message never quotes the field: it is key material, if wrapped.
        problems.add(new Problem(number, "key is not hex"));
        continue;
      }
      if (wrapped.length != 24) {
        problems.add(new Problem(number, "a wrapped AES-128 key is 24 bytes (48 hex digits), not " + wrapped.length));
        continue;
      }
      if (!seen.add(meter + "/" + role)) {
        problems.add(new Problem(number, "meter " + meter + " has a " + role + " key on an earlier line"));
        continue;
      }
      entries.add(new Entry(number, meter, role, method, wrapped));
    }
    if (problems.isEmpty() && !header) {
      problems.add(new Problem(1, "the file has no header '" + HEADER + "'"));
    }
    if (problems.isEmpty() && entries.isEmpty()) {
      problems.add(new Problem(lines.length, "the file has no keys"));
    }
    if (!problems.isEmpty()) {
      throw new Rejected(problems);
    }
    return entries;
  }
}
