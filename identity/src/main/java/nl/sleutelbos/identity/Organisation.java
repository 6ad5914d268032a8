package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The organisation a subject acts for. The closed set is what the policies decide on: the
 * operator itself, a device vendor, an energy supplier, a household (by its grid connection) and
 * an auditor, and a meter itself (a device that writes its own readings). The text form, {@code operator} or {@code kind:name}, is what tokens and client
 * records carry; {@link #parse} and {@link #toString} are exact inverses.
 */
public sealed interface Organisation {
  /** Names and connection ids: letters, digits and {@code . _ -}, 1 to 64 characters. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Whether {@code name} matches {@link #NAME}, checked by hand: meter ingest asks this of every
   * telegram and MQTT topic, where a regular expression's matcher showed in the profile.
   */
  static boolean isName(String name) {
    int n = name.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** The grid operator running Sleutelbos. */
  record Operator() implements Organisation {
    @Override
    public String toString() {
      return "operator";
    }
  }

  /** A device vendor; holds no permission until an access grant gives one. */
  record Vendor(String name) implements Organisation {
    public Vendor {
      name = checked(name);
    }

    @Override
    public String toString() {
      return "vendor:" + name;
    }
  }

  /** An energy supplier or other third party that reads household data only with consent. */
  record Supplier(String name) implements Organisation {
    public Supplier {
      name = checked(name);
    }

    @Override
    public String toString() {
      return "supplier:" + name;
    }
  }

  /** A household, identified by its grid connection (EAN code or similar). */
  record Household(String connectionId) implements Organisation {
    public Household {
      connectionId = checked(connectionId);
    }

    @Override
    public String toString() {
      return "household:" + connectionId;
    }
  }

  /** An auditor: sees everything about control and nothing personal. */
  record Auditor(String name) implements Organisation {
    public Auditor {
      name = checked(name);
    }

    @Override
    public String toString() {
      return "auditor:" + name;
    }
  }

  /**
   * A meter acting for itself, identified by its meter id (the equipment identifier its DSMR
   * telegrams carry): it may write its own readings and nothing else.
   */
  record Meter(String meterId) implements Organisation {
    public Meter {
      meterId = checked(meterId);
    }

    @Override
    public String toString() {
      return "meter:" + meterId;
    }
  }

  Operator OPERATOR = new Operator();

  /**
   * Parses {@code operator}, {@code vendor:<name>}, {@code supplier:<name>},
   * {@code household:<connection id>}, {@code auditor:<name>} or {@code meter:<meter id>}.
   *
   * @throws IllegalArgumentException naming the bad text and the accepted forms
   */
  static Organisation parse(String text) {
    requireNonNull(text, "text is null");
    if (text.equals("operator")) {
      return OPERATOR;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("organisation '" + text + "' is not one of operator, vendor:<name>, "
          + "supplier:<name>, household:<connection id>, auditor:<name>, meter:<meter id>");
    }
    String kind = text.substring(0, colon);
    String name = text.substring(colon + 1);
    return switch (kind) {
      case "vendor" -> new Vendor(name);
      case "supplier" -> new Supplier(name);
      case "household" -> new Household(name);
      case "auditor" -> new Auditor(name);
      case "meter" -> new Meter(name);
      default -> throw new IllegalArgumentException("organisation kind '" + kind + "' in '" + text
          + "' is not one of vendor, supplier, household, auditor, meter (or the bare word operator)");
    };
  }

  private static String checked(String name) {
    requireNonNull(name, "name is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("organisation name '" + name
          + "' must be 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    return name;
  }
}
