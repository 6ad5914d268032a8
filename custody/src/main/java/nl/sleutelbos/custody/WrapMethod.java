package nl.sleutelbos.custody;

/** How a key was wrapped. */
public enum WrapMethod {
  /** RFC 3394 AES key wrap, for keys whose length is a multiple of 8 bytes, at least 16. */
  RFC3394,
  /** RFC 5649 AES key wrap with padding, for any length. */
  RFC5649;

  /** The method for key material of this length. */
  public static WrapMethod forLength(int bytes) {
    return bytes == 16 || bytes == 24 || bytes == 32 ? RFC3394 : RFC5649;
  }
}
