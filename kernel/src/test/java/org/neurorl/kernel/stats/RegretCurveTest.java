package org.neurorl.kernel.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.SimdExpectations;

/** SIMD regret curves against the reference and against a float64 transcription of MODELS.md §6. */
@Tag("simd-width")
class RegretCurveTest {
  private static RegretCurveKernel simd() {
    return SimdExpectations.load(RegretCurveKernel.class, "org.neurorl.kernel.simd.SimdRegretCurve");
  }

  @Test
  void simdMatchesReferenceAndTheDefinitionOverAwkwardSizes() {
    for (int n : new int[] {1, 3, 17, 64, 1000}) {
      int trials = 100;
      SplittableRandom r = new SplittableRandom(n);
      float[] p = new float[2 * n];
      for (int i = 0; i < p.length; i++) {
        p[i] = (r.nextInt(1 << 24)) * 0x1p-24f; // exact float values, as the bandit draws them
      }
      int[] actions = new int[trials * n];
      for (int k = 0; k < actions.length; k++) {
        actions[k] = r.nextInt(2);
      }
      double[] sumS = new double[trials], sqS = new double[trials], sumR = new double[trials], sqR = new double[trials];
      long wrongS = simd().accumulate(n, trials, 2, p, actions, new float[n], sumS, sqS);
      long wrongR = new ReferenceRegretCurve().accumulate(n, trials, 2, p, actions, new float[n], sumR, sqR);
      assertEquals(wrongR, wrongS, "suboptimal pulls are counted exactly");
      double[] exact = new double[n];
      long wrong = 0;
      for (int t = 0; t < trials; t++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          double best = Math.max(p[i], p[n + i]);
          double reg = best - p[actions[t * n + i] * n + i];
          wrong += reg > 0 ? 1 : 0;
          exact[i] += reg;
          s += exact[i];
        }
        // float32 cumulative regret: at most t roundings of 2^-24 relative per agent (t <= 100), so
        // 1e-5 relative bounds the difference to the exact float64 sum; SIMD vs reference differ only
        // in the order of the float64 sums over agents (1e-12 relative)
        assertEquals(s, sumR[t], 1e-5 * Math.max(1, s), "reference vs definition, n=" + n + " t=" + t);
        assertEquals(sumR[t], sumS[t], 1e-12 * Math.max(1, sumR[t]), "simd vs reference, n=" + n + " t=" + t);
        assertEquals(sqR[t], sqS[t], 1e-12 * Math.max(1, sqR[t]), "squares, n=" + n + " t=" + t);
      }
      assertEquals(wrong, wrongR);
    }
  }

  @Test
  void sumsAreAddedToWhatIsThereAndRepeatBitForBit() {
    int n = 50, trials = 7;
    float[] p = new float[2 * n];
    int[] actions = new int[trials * n];
    for (int i = 0; i < n; i++) {
      p[i] = 0.25f;
      p[n + i] = 0.75f;
    }
    double[] sum = new double[trials], sq = new double[trials];
    RegretCurveKernel k = simd();
    k.accumulate(n, trials, 2, p, actions, new float[n], sum, sq);
    double[] once = sum.clone();
    k.accumulate(n, trials, 2, p, actions, new float[n], sum, sq);
    for (int t = 0; t < trials; t++) {
      assertEquals(0.5 * (t + 1) * n, once[t], 0.0, "always the worse arm: regret 0.5 per trial");
      assertEquals(2 * once[t], sum[t], 0.0);
    }
  }

  @Test
  void badActionsAndShapesAreRefused() {
    int n = 40;
    float[] p = new float[2 * n];
    int[] actions = new int[3 * n];
    actions[2 * n + 37] = 2;
    for (RegretCurveKernel k : new RegretCurveKernel[] {simd(), new ReferenceRegretCurve()}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> k.accumulate(n, 3, 2, p, actions, new float[n], new double[3], new double[3]));
      assertEquals("actions[117] = 2; allowed: 0 to 1", e.getMessage(), k.implementation());
      e = assertThrows(IllegalArgumentException.class,
          () -> k.accumulate(n, 3, 2, new float[n], actions, new float[n], new double[3], new double[3]));
      assertTrue(e.getMessage().startsWith("probabilities.length = 40"), e.getMessage());
    }
  }
}
