package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;

/** The fast network: same bits for any thread count and for a reused workspace; no allocation per step. */
class LstmNetworkDeterminismTest {

  private static float[] run(LstmNetwork net, float[] theta, int batch, int steps, Parallel pool, float[] outputs) {
    int in = net.inputs(), na = net.actions();
    float[] logits = new float[batch * na], values = new float[batch];
    try (RecurrentNetwork.Rollout r = net.begin(theta, batch, steps, pool)) {
      for (int t = 0; t < steps; t++) {
        r.step(LstmFixtures.inputs(batch, in, 5, t), logits, values);
        if (outputs != null) {
          System.arraycopy(logits, 0, outputs, t * batch * na, logits.length);
        }
      }
      float[] g = new float[theta.length];
      r.backward(LstmNetworkEquivalenceTest.derivatives(steps * batch * na, batch, 1),
          LstmNetworkEquivalenceTest.derivatives(steps * batch, batch, 2), g);
      return g;
    }
  }

  /**
   * B = 32 (two blocks of 16 agents) exercises the parallel steps and weight-gradient blocks; B = 200
   * (8 blocks of 25 agents) uneven blocks, with OpenBLAS and with the pure-Java products.
   */
  @Test
  void gradientIsBitIdenticalForOneAndTwoThreads() {
    // {I, N, A, B, T} and a sixth entry for the pure-Java products
    int[][] cases = {{3, 48, 2, 32, 100}, {4, 48, 3, 200, 12}, {3, 17, 2, 3, 30}, {4, 48, 3, 200, 12, 0}};
    try (Parallel two = Parallel.of(2)) {
      for (int[] c : cases) {
        LstmNetwork net = c.length > 5 ? LstmNetworkFixtures.simdJavaProducts(c[0], c[1], c[2])
            : LstmNetworkFixtures.simd(c[0], c[1], c[2]);
        float[] theta = LstmNetwork.initialParameters(c[0], c[1], c[2], 3);
        float[] o1 = new float[c[3] * c[4] * c[2]], o2 = o1.clone();
        float[] g1 = run(net, theta, c[3], c[4], Parallel.serial(), o1);
        float[] g2 = run(net, theta, c[3], c[4], two, o2);
        float[] g3 = run(net, theta, c[3], c[4], two, null); // a reused workspace
        String what = "I,N,A,B,T = " + java.util.Arrays.toString(c);
        assertArrayEquals(o1, o2, what + ": logits");
        assertArrayEquals(g1, g2, what + ": gradient, 1 vs 2 threads");
        assertArrayEquals(g1, g3, what + ": gradient with a reused workspace");
      }
    }
  }

  /** A second backward pass adds the same gradient again (x + x = 2x exactly in float). */
  @Test
  void backwardTwiceAddsTwice() {
    int in = 3, n = 17, na = 2, batch = 3, steps = 20;
    LstmNetwork net = LstmNetworkFixtures.simd(in, n, na);
    float[] theta = LstmNetwork.initialParameters(in, n, na, 4);
    float[] logits = new float[batch * na], values = new float[batch];
    try (RecurrentNetwork.Rollout r = net.begin(theta, batch, steps, Parallel.serial())) {
      for (int t = 0; t < steps; t++) {
        r.step(LstmFixtures.inputs(batch, in, 5, t), logits, values);
      }
      float[] dl = LstmNetworkEquivalenceTest.derivatives(steps * batch * na, batch, 1);
      float[] dv = LstmNetworkEquivalenceTest.derivatives(steps * batch, batch, 2);
      float[] once = new float[theta.length], twice = new float[theta.length];
      r.backward(dl, dv, once);
      r.backward(dl, dv, twice);
      r.backward(dl, dv, twice);
      for (int i = 0; i < once.length; i++) {
        once[i] *= 2;
      }
      assertArrayEquals(once, twice);
    }
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /**
   * After warm-up, 20 rollouts of 100 steps and a backward pass each at N = 48, B = 32 (the training size)
   * and at an awkward size allocate only the small objects begin() returns (the rollout and its three block
   * tasks, about 350 bytes) and the ~0.8 KB the allocation counter itself reports: under 16 KB in all. Vector
   * API boxing costs at least 16 bytes per vector operation, thousands per step: megabytes per window.
   * The inputs are made before measuring.
   */
  @Test
  void steadyStateStepsAndBackwardAllocateNothing() {
    int[][] cases = {{3, 48, 2, 32}, {4, 17, 3, 3}};
    for (int[] c : cases) {
      int in = c[0], n = c[1], na = c[2], batch = c[3], steps = 100;
      LstmNetwork net = LstmNetworkFixtures.simd(in, n, na);
      float[] theta = LstmNetwork.initialParameters(in, n, na, 3);
      float[][] xs = new float[steps][];
      for (int t = 0; t < steps; t++) {
        xs[t] = LstmFixtures.inputs(batch, in, 5, t);
      }
      float[] dl = LstmNetworkEquivalenceTest.derivatives(steps * batch * na, batch, 1);
      float[] dv = LstmNetworkEquivalenceTest.derivatives(steps * batch, batch, 2);
      float[] logits = new float[batch * na], values = new float[batch], g = new float[theta.length];
      long best = Long.MAX_VALUE;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < deadline && best >= 16384) {
        long before = allocated();
        for (int e = 0; e < 20; e++) {
          try (RecurrentNetwork.Rollout r = net.begin(theta, batch, steps, Parallel.serial())) {
            for (int t = 0; t < steps; t++) {
              r.step(xs[t], logits, values);
            }
            r.backward(dl, dv, g);
          }
        }
        best = Math.min(best, allocated() - before);
      }
      assertTrue(best < 16384, "N=" + n + " B=" + batch + ": " + best + " bytes in 20 steady-state rollouts");
    }
  }
}
