package nl.sleutelbos.ngsild.entity;

/** The representations of clause 4.5: full, concise, and simplified ("keyValues"). */
public enum Format {
  NORMALIZED,
  CONCISE,
  KEY_VALUES
}
