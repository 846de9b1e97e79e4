package org.neurorl.kernel;

/**
 * Counter-based random numbers: every agent has its own stream, named by a 32-bit key derived from
 * one seed and the agent's index, and the {@code n}-th number of a stream is a pure function of
 * (key, n). Nothing is carried from call to call, so a batch can be cut into blocks, run on any
 * number of threads, or replayed from any trial, and the plain reference kernels consume exactly the
 * same numbers as the SIMD kernels (which compute the same integer arithmetic lane by lane).
 *
 * <p>The generator is a Weyl sequence {@code key + n·0x9E3779B9} finished by Wellons' "lowbias32"
 * integer hash, a 32-bit counterpart of SplitMix. Uniforms take the top 24 bits, so they are exact
 * float32 values in [0, 1) with spacing 2⁻²⁴; the same value in float64 is exact too.
 */
public final class Rng {
  /** Weyl increment (2³² / golden ratio). */
  public static final int GOLDEN32 = 0x9E3779B9;
  public static final int MIX1 = 0x7feb352d;
  public static final int MIX2 = 0x846ca68b;
  private static final long GOLDEN64 = 0x9E3779B97F4A7C15L;

  private Rng() {}

  /** SplitMix64's finaliser. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The stream key of agent {@code agent} (any long) under {@code seed}. */
  public static int key(long seed, long agent) {
    return (int) (mix64(mix64(seed) + (agent + 1) * GOLDEN64) >>> 32);
  }

  /** lowbias32 (Chris Wellons' integer hash search, 2-round multiply-xorshift). */
  public static int hash(int x) {
    x ^= x >>> 16;
    x *= MIX1;
    x ^= x >>> 15;
    x *= MIX2;
    x ^= x >>> 16;
    return x;
  }

  /** The {@code n}-th 32 random bits of stream {@code key}. */
  public static int bits(int key, int n) {
    return hash(key + n * GOLDEN32);
  }

  /** The {@code n}-th uniform of stream {@code key}: a multiple of 2⁻²⁴ in [0, 1). */
  public static float uniform(int key, int n) {
    return (bits(key, n) >>> 8) * 0x1p-24f;
  }

  /**
   * A standard normal from draws {@code n} and {@code n+1} of stream {@code key} (Box–Muller, float64
   * arithmetic; both implementations call this same method when they need normals for set-up).
   */
  public static double normal(int key, int n) {
    double u1 = ((bits(key, n) >>> 8) + 1) * 0x1p-24; // (0, 1]
    double u2 = (bits(key, n + 1) >>> 8) * 0x1p-24;
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
