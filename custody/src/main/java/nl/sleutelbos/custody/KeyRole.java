package nl.sleutelbos.custody;

/** The keys of a device's DLMS key set; all AES-128. */
public enum KeyRole {
  /** The master key (KEK): wraps every other key on its way to the device. */
  MASTER,
  /** The authentication key: part of the additional data of every protected APDU. */
  AUTHENTICATION,
  /** The global unicast encryption key. */
  GLOBAL_UNICAST_ENCRYPTION,
  /** The global broadcast encryption key. */
  BROADCAST,
  /** The firmware-authentication key of gas meters. */
  FIRMWARE_AUTHENTICATION
}
