package nl.sleutelbos.ngsild.context;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-LD's "active context" while a context is processed: the terms and vocabulary so far. */
final class ActiveContext {
  final Map<String, TermDefinition> terms = new LinkedHashMap<>();
  String vocab;

  boolean hasProtectedTerms() {
    return terms.values().stream().anyMatch(TermDefinition::isProtected);
  }
}
