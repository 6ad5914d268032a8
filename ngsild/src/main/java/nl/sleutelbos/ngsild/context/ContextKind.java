package nl.sleutelbos.ngsild.context;

import nl.sleutelbos.ngsild.NgsiLdException;

/** How a stored {@code @context} came to be stored (CIM 009 clause 5.13.3). */
public enum ContextKind {
  /** Added by a client with "Add @context"; served by this broker at its own URL. */
  HOSTED("Hosted"),
  /** Downloaded from its original URL and kept for a while. */
  CACHED("Cached"),
  /** Created by the broker itself, for example for a subscription's {@code @context} array. */
  IMPLICITLY_CREATED("ImplicitlyCreated");

  private final String title;

  ContextKind(String title) {
    this.title = title;
  }

  /** The name the API uses, for example {@code ImplicitlyCreated}. */
  public String title() {
    return title;
  }

  /**
   * The kind named {@code title} as the API spells it.
   *
   * @throws NgsiLdException of type {@code BadRequestData} for any other string
   */
  public static ContextKind parse(String title) {
    for (ContextKind kind : values()) {
      if (kind.title.equals(title)) return kind;
    }
    throw NgsiLdException.badRequest(
        "unknown @context kind '" + title + "': expected Hosted, Cached or ImplicitlyCreated");
  }
}
