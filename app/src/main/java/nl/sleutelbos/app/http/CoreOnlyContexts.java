package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.ngsild.context.LdContext;

/** TEMPORARY until the context branch lands. */
public final class CoreOnlyContexts implements ContextSource {
  private static final String VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static final LdContext CORE = new LdContext() {
    @Override
    public String expandTerm(String term) {
      return term.contains(":") ? term : VOCAB + term;
    }

    @Override
    public String compactIri(String iri) {
      return iri.startsWith(VOCAB) ? iri.substring(VOCAB.length()) : iri;
    }
  };

  @Override
  public LdContext core() {
    return CORE;
  }

  @Override
  public String coreUrl() {
    return "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
  }

  @Override
  public LdContext resolve(JsonNode contextValue) {
    return CORE;
  }
}
