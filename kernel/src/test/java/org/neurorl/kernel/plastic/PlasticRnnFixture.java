package org.neurorl.kernel.plastic;

import java.util.SplittableRandom;
import org.neurorl.kernel.SimdExpectations;
import org.neurorl.kernel.simd.SimdPlasticRnn;

/** Shared set-up for the plastic RNN tests: weights, rules with clipping that triggers, inputs, states. */
final class PlasticRnnFixture {
  static final int INPUTS = 5;
  static final int ACTIONS = 3;

  private PlasticRnnFixture() {}

  static PlasticRnnKernel simd() {
    return SimdExpectations.load(PlasticRnnKernel.class, "org.neurorl.kernel.simd.SimdPlasticRnn");
  }

  /** The SIMD kernel forced onto its Java path for the shared products (no OpenBLAS). */
  static PlasticRnnKernel simdWithoutBlas() {
    simd(); // fails the test when the SIMD path was expected and cannot load
    return new SimdPlasticRnn(false);
  }

  /**
   * Weights with recurrent gain 0.9/√N (out of the chaotic regime, see VECTOR-API-NOTES) and α of order
   * 4/√N, so that the plastic input Σ_j α_ij dU_ij h_j is of the same order as the clip times |h|·2.
   */
  static PlasticRnnWeights weights(int n, long seed) {
    return PlasticRnnWeights.random(n, INPUTS, ACTIONS, 0.9f, (float) (4 / Math.sqrt(n)), seed);
  }

  /** Fast rates and a small clip, so dU reaches ±c within a few steps. */
  static PlasticityRule modulated() {
    return PlasticityRule.modulated(0.3f, 0.5f, 0.8f, 0.0015f);
  }

  static PlasticityRule stdp() {
    return PlasticityRule.stdp(0.3f, 0.2f, 1.0f, 0.9f, 0.8f, 0.01f);
  }

  static PlasticityRule rule(PlasticityRule.Kind kind) {
    return kind == PlasticityRule.Kind.MODULATED ? modulated() : stdp();
  }

  /** Inputs for step {@code t}: uniform in (−1, 1), the same for every implementation. */
  static void input(float[] x, long seed, int t) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + t);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
  }

  /** Fills every agent with a random mid-trajectory state: dU in [−c, c], E antisymmetric (modulated). */
  static void randomState(PlasticRnnState s, long seed) {
    int n = s.weights().hidden();
    SplittableRandom r = new SplittableRandom(seed);
    double c = s.rule().clip();
    for (int a = 0; a < s.batch(); a++) {
      double[] v = new double[n], h = new double[n], e = new double[n], em = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = r.nextDouble(-1, 1);
        h[i] = Math.max(v[i], 0);
        e[i] = r.nextDouble(0, 0.5);
        em[i] = r.nextDouble(0, 0.5);
      }
      double[] bigE = new double[n * n], dU = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (s.rule().kind() == PlasticityRule.Kind.MODULATED) {
            if (j > i) {
              bigE[i * n + j] = r.nextDouble(-0.05, 0.05);
              bigE[j * n + i] = -bigE[i * n + j];
              dU[i * n + j] = r.nextDouble(-c, c);
              dU[j * n + i] = -dU[i * n + j];
            }
          } else {
            dU[i * n + j] = r.nextDouble(-c, c);
          }
        }
      }
      s.copyIn(PlasticRnnState.Quantity.V, a, v);
      s.copyIn(PlasticRnnState.Quantity.H, a, h);
      s.copyIn(PlasticRnnState.Quantity.TRACE, a, e);
      s.copyIn(PlasticRnnState.Quantity.FAST_WEIGHTS, a, dU);
      if (s.holds(PlasticRnnState.Quantity.ELIGIBILITY)) {
        s.copyIn(PlasticRnnState.Quantity.ELIGIBILITY, a, bigE);
      } else {
        s.copyIn(PlasticRnnState.Quantity.TRACE_MINUS, a, em);
      }
    }
  }

  /** Entries of dU (all agents) sitting exactly on ±c: the clip was active. */
  static long clippedEntries(PlasticRnnState s) {
    double c = s.rule().clip();
    long count = 0;
    for (int a = 0; a < s.batch(); a++) {
      for (double d : s.copyOut(PlasticRnnState.Quantity.FAST_WEIGHTS, a)) {
        if (Math.abs(d) == c) {
          count++;
        }
      }
    }
    return count;
  }
}
