package org.neurorl.dra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChoiceMathTest {
  /** The 161-point rule against a 4001-point rule on [−10, 10] (its own error is far below 1e-12). */
  @Test
  void noisyProbabilityMatchesAFineQuadrature() {
    for (double beta : new double[] {0.5, 2, 4, 8}) {
      for (double delta : new double[] {-1.5, 0, 0.3, 2}) {
        for (double s0 : new double[] {0, 0.1, 1}) {
          for (double s1 : new double[] {0.05, 0.7, 1.4}) {
            double s = Math.hypot(s0, s1), num = 0, den = 0;
            for (int k = 0; k <= 4000; k++) {
              double z = -10 + k * 0.005, w = Math.exp(-0.5 * z * z);
              num += w * ChoiceMath.logistic(beta * (delta + s * z));
              den += w;
            }
            // the step is chosen for ≲ 1e-9; 1e-8 leaves a margin
            assertEquals(num / den, ChoiceMath.noisyProbability(beta, delta, s0, s1), 1e-8,
                "β=" + beta + " Δ=" + delta + " σ=" + s0 + "," + s1);
          }
        }
      }
    }
    assertEquals(ChoiceMath.logistic(1.2), ChoiceMath.noisyProbability(2, 0.6, 0, 0), 0);
    assertEquals(1.0, ChoiceMath.entropyBits(0.5), 1e-15);
  }
}
