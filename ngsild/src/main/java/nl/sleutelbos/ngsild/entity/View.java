package nl.sleutelbos.ngsild.entity;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * How an entity is shown to a client.
 *
 * @param format normalised, concise or key-values
 * @param sysAttrs include createdAt and modifiedAt
 * @param attrs the expanded attribute names to show; empty shows all
 * @param lang the language to pick from LanguageProperties, or null for the whole map
 */
public record View(Format format, boolean sysAttrs, Set<String> attrs, String lang) {
  public static final View NORMALIZED = new View(Format.NORMALIZED, false, Set.of(), null);

  public View {
    requireNonNull(format, "format is null");
    attrs = Set.copyOf(attrs);
  }
}
