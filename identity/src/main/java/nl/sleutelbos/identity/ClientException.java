package nl.sleutelbos.identity;

/** A client-administration request that cannot be carried out; the kind says how to answer it. */
public final class ClientException extends Exception {
  /** Why the request failed. */
  public enum Kind { INVALID, NOT_FOUND, CONFLICT }

  private final Kind kind;

  public ClientException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
