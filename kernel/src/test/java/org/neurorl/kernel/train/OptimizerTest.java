package org.neurorl.kernel.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Rng;

class OptimizerTest {

  /** Float64 transcription of torch.optim.Adam's defaults, independent of the float32 code. */
  private static void adam64(double[] theta, double[] m, double[] v, double[] g, int t, double lr) {
    for (int i = 0; i < theta.length; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      double mHat = m[i] / (1 - Math.pow(0.9, t));
      double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
      theta[i] -= lr * mHat / denominator;
    }
  }

  private static void rmsprop64(double[] theta, double[] s, double[] g, double lr) {
    for (int i = 0; i < theta.length; i++) {
      s[i] = 0.99 * s[i] + 0.01 * g[i] * g[i];
      theta[i] -= lr * g[i] / (Math.sqrt(s[i]) + 1e-8);
    }
  }

  private static float[] gradient(int step, int n) {
    int key = Rng.key(7, step);
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      // gradients of very different scales per element: the division by √v must track each one
      g[i] = (float) (Rng.normal(key, 2 * i) * Math.pow(10, (i % 5) - 2));
    }
    return g;
  }

  @Test
  void adamFirstStepsByHand() {
    Adam adam = new Adam(2, 0.1f);
    float[] theta = {1f, -2f};
    // step 1: m̂ = g, v̂ = g², so the step is lr · g / (|g| + ε) = ±lr (up to ε)
    adam.step(theta, new float[] {0.5f, -4f});
    assertEquals(0.9f, theta[0], 1e-6f);
    assertEquals(-1.9f, theta[1], 1e-6f);
    // step 2 with g = (1, 0): m = 0.9·0.05 + 0.1 = 0.145, m̂ = 0.145/0.19 = 0.763157...;
    // v = 0.999·0.00025 + 0.001 = 0.00124975, v̂ = v/0.001999 = 0.625187..., √v̂ = 0.790688...
    // Δθ0 = −0.1 · 0.763157/0.790688 = −0.0965181; element 1: m = −0.36, m̂ = −1.894737,
    // v = 0.015984, v̂ = 7.995998, √ = 2.827719, Δθ1 = +0.0670058
    adam.step(theta, new float[] {1f, 0f});
    assertEquals(0.9f - 0.0965181f, theta[0], 2e-6f);
    assertEquals(-1.9f + 0.0670058f, theta[1], 2e-6f);
    assertEquals(2, adam.steps());
  }

  @Test
  void rmspropFirstStepsByHand() {
    RmsProp rms = new RmsProp(1, 0.01f);
    float[] theta = {0f};
    // s = 0.01·4 = 0.04, step = 0.01 · 2 / 0.2 = 0.1
    rms.step(theta, new float[] {2f});
    assertEquals(-0.1f, theta[0], 1e-6f);
    // s = 0.99·0.04 + 0.01·1 = 0.0496, step = 0.01 · (−1)/√0.0496 = −0.0449013
    rms.step(theta, new float[] {-1f});
    assertEquals(-0.1f + 0.0449013f, theta[0], 1e-6f);
  }

  @Test
  void adamMatchesFloat64Transcription() {
    int n = 37;
    Adam adam = new Adam(n, 7e-4f);
    float[] theta = new float[n];
    double[] theta64 = new double[n], m = new double[n], v = new double[n];
    for (int i = 0; i < n; i++) {
      theta[i] = (float) Math.sin(i);
      theta64[i] = theta[i];
    }
    for (int t = 1; t <= 200; t++) {
      float[] g = gradient(t, n);
      double[] g64 = new double[n];
      for (int i = 0; i < n; i++) {
        g64[i] = g[i];
      }
      adam.step(theta, g);
      adam64(theta64, m, v, g64, t, 7e-4);
    }
    // 200 steps of at most ~lr each, every one in float32 with relative rounding ~6e-8 of the step and of
    // θ (|θ| ≤ 1.2): accumulated error stays far below 1e-5 while a wrong constant or a missing bias
    // correction moves θ by ≥ 1e-3 over these steps
    for (int i = 0; i < n; i++) {
      assertEquals(theta64[i], theta[i], 1e-5, "element " + i);
    }
  }

  @Test
  void rmspropMatchesFloat64Transcription() {
    int n = 29;
    RmsProp rms = new RmsProp(n, 7e-4f);
    float[] theta = new float[n];
    double[] theta64 = new double[n], s = new double[n];
    for (int t = 1; t <= 200; t++) {
      float[] g = gradient(t, n);
      double[] g64 = new double[n];
      for (int i = 0; i < n; i++) {
        g64[i] = g[i];
      }
      rms.step(theta, g);
      rmsprop64(theta64, s, g64, 7e-4);
    }
    // same argument as for Adam: steps of ≤ 10·lr, float32 rounding far below the 1e-5 tolerance
    for (int i = 0; i < n; i++) {
      assertEquals(theta64[i], theta[i], 1e-5, "element " + i);
    }
  }

  @Test
  void stateRoundTripResumesBitForBit() {
    for (String kind : new String[] {"adam", "rmsprop"}) {
      int n = 11;
      Optimizer a = Optimizer.create(kind, n, 1e-3f);
      float[] thetaA = new float[n];
      for (int t = 1; t <= 5; t++) {
        a.step(thetaA, gradient(t, n));
      }
      Optimizer b = Optimizer.create(kind, n, 1e-3f);
      b.restore(a.state());
      float[] thetaB = thetaA.clone();
      for (int t = 6; t <= 10; t++) {
        a.step(thetaA, gradient(t, n));
        b.step(thetaB, gradient(t, n));
      }
      assertArrayEquals(thetaA, thetaB, kind);
      assertEquals(10, b.steps());
    }
  }

  @Test
  void clippingScalesToMaxNormOnlyAboveIt() {
    float[] g = {3f, 4f};
    assertEquals(5.0, GradientClipping.clip(g, 10f), 0);
    assertArrayEquals(new float[] {3f, 4f}, g);
    assertEquals(5.0, GradientClipping.clip(g, 1f), 0);
    assertEquals(1.0, GradientClipping.norm(g), 1e-6);
    assertEquals(0.6f, g[0], 1e-6f);
    float[] bad = {1f, Float.NaN};
    assertTrue(Double.isNaN(GradientClipping.clip(bad, 1f)));
    assertEquals(1f, bad[0]);
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizer.create("sgd", 3, 1e-3f));
    assertTrue(e.getMessage().contains("optimizer = sgd"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adam(3, -1f));
    assertTrue(e.getMessage().contains("learningRate = -1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adam(3, 1f).step(new float[3], new float[2]));
    assertTrue(e.getMessage().contains("gradient.length = 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GradientClipping.clip(new float[1], 0f));
    assertTrue(e.getMessage().contains("maxNorm"), e.getMessage());
    Adam adam = new Adam(3, 1f);
    e = assertThrows(IllegalArgumentException.class,
        () -> adam.restore(new RmsProp(3, 1f).state()));
    assertTrue(e.getMessage().contains("allowed: adam"), e.getMessage());
  }
}
