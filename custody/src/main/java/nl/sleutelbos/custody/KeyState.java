package nl.sleutelbos.custody;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a device key. A key is NEW from generation until the device acknowledges it, ACTIVE
 * while the device uses it, EXPIRED once replaced, WITHDRAWN when taken out of use for cause.
 */
public enum KeyState {
  NEW,
  ACTIVE,
  EXPIRED,
  WITHDRAWN;

  /** The states this one may move to; nothing ever moves back. */
  public Set<KeyState> next() {
    return switch (this) {
      case NEW -> EnumSet.of(ACTIVE, WITHDRAWN);
      case ACTIVE -> EnumSet.of(EXPIRED, WITHDRAWN);
      case EXPIRED -> EnumSet.of(WITHDRAWN);
      case WITHDRAWN -> EnumSet.noneOf(KeyState.class);
    };
  }
}
