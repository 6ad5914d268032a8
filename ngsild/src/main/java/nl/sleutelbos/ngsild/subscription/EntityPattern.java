package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One member of a subscription's {@code entities} (clause 5.2.33 EntitySelector): the entity type
 * (expanded), and optionally an id or an id pattern.
 */
public record EntityPattern(Optional<String> id, Optional<String> idPattern, String type) {
  public EntityPattern {
    requireNonNull(id, "id is null");
    requireNonNull(idPattern, "idPattern is null");
    requireNonNull(type, "type is null");
  }

  /** The pattern compiled; the reader has checked that it compiles. */
  Optional<Pattern> compiledPattern() {
    return idPattern.map(Pattern::compile);
  }

  boolean matches(String entityId, List<String> types, Optional<Pattern> compiled) {
    return types.contains(type)
        && id.map(entityId::equals).orElse(true)
        && compiled.map(p -> p.matcher(entityId).matches()).orElse(true);
  }
}
