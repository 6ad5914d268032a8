package nl.sleutelbos.auth;

import nl.sleutelbos.ngsild.context.CoreContext;

/**
 * Policies name entity types and attributes by their short NGSI-LD terms ({@code Device},
 * {@code activePower}); the store keeps expanded IRIs. Terms of the default vocabulary compact to
 * the bare term, any other IRI stays whole, so a policy can still name it exactly.
 */
final class Terms {
  private Terms() {}

  static String compact(String iri) {
    return iri.startsWith(CoreContext.DEFAULT_VOCAB) ? iri.substring(CoreContext.DEFAULT_VOCAB.length()) : iri;
  }

  static String expand(String term) {
    return term.contains(":") ? term : CoreContext.DEFAULT_VOCAB + term;
  }
}
