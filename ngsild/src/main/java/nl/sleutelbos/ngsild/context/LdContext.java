package nl.sleutelbos.ngsild.context;

/** TEMPORARY stand-in until the context branch lands. */
public interface LdContext {
  String expandTerm(String term);

  String compactIri(String iri);
}
