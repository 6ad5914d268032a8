package nl.sleutelbos.store.internal;

import java.util.List;

/** The text form of an entity's type list in a column: IRIs joined by newlines. */
public final class Types {
  private Types() {}

  public static String join(List<String> types) {
    return String.join("\n", types);
  }

  public static List<String> split(String column) {
    return List.of(column.split("\n"));
  }
}
