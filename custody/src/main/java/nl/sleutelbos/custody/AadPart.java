package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

/**
 * A piece of AES-GCM additional data. DLMS security suite 0 puts the authentication key itself
 * into the additional data, so a piece can be the value of a wrapped key, resolved inside the
 * backend and never returned.
 */
public sealed interface AadPart {
  record Bytes(byte[] bytes) implements AadPart {
    public Bytes {
      bytes = requireNonNull(bytes, "bytes is null").clone();
    }
  }

  record KeyValue(WrappedKey key) implements AadPart {
    public KeyValue {
      requireNonNull(key, "key is null");
    }
  }
}
