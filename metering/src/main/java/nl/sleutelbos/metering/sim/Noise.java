package nl.sleutelbos.metering.sim;

/**
 * Counter-based randomness: a uniform number from (seed, key…) by SplitMix64 finalisation. No
 * state, so the value for meter 17 at quarter-hour 4,000 is the same whichever order the
 * simulator asks in — what makes a fleet deterministic from its seed without a generator per meter.
 */
final class Noise {
  private Noise() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long hash(long seed, long a, long b, long c) {
    long h = mix(seed + 0x9e3779b97f4a7c15L);
    h = mix(h ^ a * 0x9e3779b97f4a7c15L);
    h = mix(h ^ b * 0xc2b2ae3d27d4eb4fL);
    return mix(h ^ c * 0x165667b19e3779f9L);
  }

  /** Uniform in [0, 1). */
  static double uniform(long seed, long a, long b, long c) {
    return (hash(seed, a, b, c) >>> 11) * 0x1.0p-53;
  }
}
