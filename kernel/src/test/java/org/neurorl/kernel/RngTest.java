package org.neurorl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void uniformsAreInRangeAndLookUniform() {
    int key = Rng.key(42, 7);
    int n = 200_000;
    int[] bins = new int[20];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float u = Rng.uniform(key, i);
      assertTrue(u >= 0f && u < 1f, "u = " + u);
      bins[(int) (u * 20)]++;
      sum += u;
    }
    assertEquals(0.5, sum / n, 5 * Math.sqrt(1.0 / 12 / n));
    double chi2 = 0;
    double e = n / 20.0;
    for (int b : bins) {
      chi2 += (b - e) * (b - e) / e;
    }
    assertTrue(chi2 < 43.8, "chi2(19 dof) = " + chi2 + " beyond the 0.1% point"); // 19 dof, p = 0.001
  }

  @Test
  void neighbouringStreamsAreUncorrelated() {
    int n = 100_000;
    double sxy = 0;
    for (int a = 0; a < 10; a++) {
      int k1 = Rng.key(1, a), k2 = Rng.key(1, a + 1);
      assertNotEquals(k1, k2);
      for (int i = 0; i < n / 10; i++) {
        sxy += (Rng.uniform(k1, i) - 0.5) * (Rng.uniform(k2, i) - 0.5);
      }
    }
    double corr = sxy / n / (1.0 / 12);
    assertEquals(0.0, corr, 4 / Math.sqrt(n));
  }

  @Test
  void normalsHaveUnitVariance() {
    int key = Rng.key(3, 0);
    int n = 100_000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
      double z = Rng.normal(key, 2 * i);
      s += z;
      s2 += z * z;
    }
    assertEquals(0.0, s / n, 0.02);
    assertEquals(1.0, s2 / n, 0.03);
  }
}
