package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

/**
 * A key that never leaves custody, named by its label in one backend. Holding a handle grants
 * nothing by itself: the backend that issued it performs every operation.
 */
public record KeyHandle(String backend, String label, int bits) {
  public KeyHandle {
    requireNonNull(backend, "backend is null");
    requireNonNull(label, "label is null");
    if (label.isBlank()) {
      throw new IllegalArgumentException("label is blank");
    }
  }
}
