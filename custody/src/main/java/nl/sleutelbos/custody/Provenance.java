package nl.sleutelbos.custody;

/** Who has known a key since it was made. */
public enum Provenance {
  /** Loaded by the vendor at the factory: the vendor knows it, so it is to be replaced. */
  FACTORY_IMPORTED,
  /** Generated inside the operator's custody; nobody else has seen it. */
  OPERATOR_GENERATED
}
