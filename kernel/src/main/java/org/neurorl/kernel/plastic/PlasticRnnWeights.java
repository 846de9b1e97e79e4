package org.neurorl.kernel.plastic;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.neurorl.kernel.Checks;

/**
 * The shared (per-batch) parameters of the plastic gated RNN of MODELS.md §1, all row-major float32.
 * The arrays are copied on construction; the accessors hand out those copies, which must not be modified
 * (a kernel state packs them once when it is created).
 *
 * @param hidden N, hidden units
 * @param inputs I, inputs per step
 * @param actions A, policy logits
 * @param w W (N×I), input weights of the candidate {@code g}
 * @param u U (N×N), fixed recurrent weights
 * @param b b (N)
 * @param wz Wz (N×I), input weights of the update gate {@code z}
 * @param uz Uz (N×N)
 * @param bz bz (N)
 * @param alpha α (N×N), plasticity coefficients ({@link #constantAlpha} builds a constant one)
 * @param wM wM (N), modulator head
 * @param bM bM
 * @param wPi Wπ (A×N), policy head
 * @param bPi bπ (A)
 * @param wv wv (N), value head
 * @param bv bv
 */
public record PlasticRnnWeights(int hidden, int inputs, int actions, float[] w, float[] u, float[] b, float[] wz,
    float[] uz, float[] bz, float[] alpha, float[] wM, float bM, float[] wPi, float[] bPi, float[] wv, float bv) {

  /** Largest N: one agent's N×N state must fit a Java array with room for SIMD row padding. */
  public static final int MAX_HIDDEN = 16_384;

  public PlasticRnnWeights {
    Checks.range("hidden", hidden, 1, MAX_HIDDEN);
    Checks.range("inputs", inputs, 1, 1 << 20);
    Checks.range("actions", actions, 1, 1 << 16);
    long n = hidden;
    w = Checks.finiteArray("w", w, n * inputs).clone();
    u = Checks.finiteArray("u", u, n * n).clone();
    b = Checks.finiteArray("b", b, n).clone();
    wz = Checks.finiteArray("wz", wz, n * inputs).clone();
    uz = Checks.finiteArray("uz", uz, n * n).clone();
    bz = Checks.finiteArray("bz", bz, n).clone();
    alpha = Checks.finiteArray("alpha", alpha, n * n).clone();
    wM = Checks.finiteArray("wM", wM, n).clone();
    Checks.finite("bM", bM);
    wPi = Checks.finiteArray("wPi", wPi, (long) actions * n).clone();
    bPi = Checks.finiteArray("bPi", bPi, actions).clone();
    wv = Checks.finiteArray("wv", wv, n).clone();
    Checks.finite("bv", bv);
  }

  /** A constant N×N plasticity matrix (a scalar α). */
  public static float[] constantAlpha(int hidden, float value) {
    Checks.range("hidden", hidden, 1, MAX_HIDDEN);
    Checks.finite("alpha", value);
    float[] a = new float[hidden * hidden];
    Arrays.fill(a, value);
    return a;
  }

  /** True when every entry of α is the same number (kernels may then use a scalar α). */
  public boolean alphaIsConstant() {
    for (float a : alpha) {
      if (Float.floatToRawIntBits(a) != Float.floatToRawIntBits(alpha[0])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Random weights for tests and benchmarks: entries uniform in (−s, s) with s = 1/√I for input weights,
   * {@code recurrentGain}/√N for U and Uz (a gain below about 1 keeps the network out of the chaotic
   * regime, where float32 and float64 trajectories separate exponentially), 1/√N for the heads, 0.1 for
   * biases, and α uniform in (−{@code alphaScale}, {@code alphaScale}).
   */
  public static PlasticRnnWeights random(int hidden, int inputs, int actions, float recurrentGain, float alphaScale,
      long seed) {
    Checks.range("hidden", hidden, 1, MAX_HIDDEN);
    Checks.range("inputs", inputs, 1, 1 << 20);
    Checks.range("actions", actions, 1, 1 << 16);
    SplittableRandom r = new SplittableRandom(seed);
    float sIn = (float) (1 / Math.sqrt(inputs));
    float sRec = (float) (recurrentGain / Math.sqrt(hidden));
    float sHead = (float) (1 / Math.sqrt(hidden));
    return new PlasticRnnWeights(hidden, inputs, actions,
        uniform(r, hidden * inputs, sIn), uniform(r, hidden * hidden, sRec), uniform(r, hidden, 0.1f),
        uniform(r, hidden * inputs, sIn), uniform(r, hidden * hidden, sRec), uniform(r, hidden, 0.1f),
        uniform(r, hidden * hidden, alphaScale), uniform(r, hidden, sHead), 0.05f,
        uniform(r, actions * hidden, sHead), uniform(r, actions, 0.1f), uniform(r, hidden, sHead), 0.02f);
  }

  private static float[] uniform(SplittableRandom r, int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((2 * r.nextDouble() - 1) * scale);
    }
    return a;
  }
}
