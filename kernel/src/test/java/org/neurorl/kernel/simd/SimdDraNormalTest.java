package org.neurorl.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Rng;

/**
 * The SIMD DRA kernel's in-lane normals ({@code SimdDra.zetaRow}) against {@link Rng#normal} (the float64
 * Box–Muller the reference uses) for the same keys and counters: same draws, float32 arithmetic. Rows of
 * 40 agents (not a multiple of any lane count: {@code zetaRow} works on padded rows, so the row is
 * padded to 48 and lanes 40..47 are idle) with one idle agent to check the masking.
 */
@Tag("simd-width")
class SimdDraNormalTest {
  private static final int L = SimdSpecies.F.length();

  private static final int B = 40, PADDED = 48;

  private static float[] states() {
    float[] state = new float[PADDED];
    java.util.Arrays.fill(state, B, PADDED, -1f);
    state[7] = -1f; // an agent that does not act
    return state;
  }

  @Test
  void lanesReproduceRngNormalToFloatAccuracy() {
    int[] keys = new int[PADDED];
    float[] state = states();
    float[] z = new float[PADDED];
    double worst = 0;
    for (int k = 0; k < 4000; k += B) {
      for (int i = 0; i < B; i++) {
        keys[i] = Rng.key(2026, k + i);
      }
      for (int n = 0; n < 200; n++) {
        SimdDra.zetaRow(keys, state, z, 0, n * Rng.GOLDEN32, 0, PADDED);
        for (int i = 0; i < PADDED; i++) {
          if (state[i] < 0) {
            assertEquals(0f, z[i], 0f, "idle lane " + i);
            continue;
          }
          double exact = Rng.normal(keys[i], n);
          double err = Math.abs(z[i] - exact);
          // √(−2 log u1): log < 1 ulp, then the product by −2 (exact), sqrt and the product by cos round
          // once each; cos ≤ 2 ulp or 1.2e-7 absolute (VectorMathLogCosTest). So ≤ 5 float32 ulps of |ζ|
          // (|ζ| ≤ 5.8), plus 1.2e-7·√(−2 log u1) ≤ 7e-7 absolute where cos is near 0
          double bound = 5 * Math.ulp((float) Math.abs(exact)) + 7e-7;
          assertTrue(err <= bound, "key " + keys[i] + " n " + n + ": " + z[i] + " vs " + exact);
          worst = Math.max(worst, err);
        }
      }
    }
    assertTrue(worst > 0, "float32 and float64 normals cannot agree bit for bit everywhere");
  }

  @Test
  void momentsAreStandardNormal() {
    int[] keys = new int[PADDED];
    float[] state = new float[PADDED];
    float[] z = new float[PADDED];
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int k = 0; k < 8160; k += PADDED) {
      for (int i = 0; i < PADDED; i++) {
        keys[i] = Rng.key(7, k + i);
      }
      for (int d = 0; d < 64; d += 2) {
        SimdDra.zetaRow(keys, state, z, 0, d * Rng.GOLDEN32, 0, PADDED);
        for (float x : z) {
          sum += x;
          sum2 += (double) x * x;
          n++;
        }
      }
    }
    // n = 261 120 draws: the mean's standard error is 0.002 and the variance's 0.0028; 5 σ bounds
    assertEquals(0, sum / n, 0.01);
    assertEquals(1, sum2 / n, 0.014);
  }
}
