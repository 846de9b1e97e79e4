package org.neurorl.kernel.lstm;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;

class ScratchAllocTest {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  @Test
  void probe() {
    int in = 3, n = 48, na = 2, batch = 32, steps = 100;
    LstmNetwork net = Boolean.getBoolean("javaprod") ? LstmNetworkFixtures.simdJavaProducts(in, n, na) : LstmNetworkFixtures.simd(in, n, na);
    float[] theta = LstmNetwork.initialParameters(in, n, na, 3);
    float[][] xs = new float[steps][];
    for (int t = 0; t < steps; t++) {
      xs[t] = LstmFixtures.inputs(batch, in, 5, t);
    }
    float[] dl = LstmNetworkEquivalenceTest.derivatives(steps * batch * na, batch, 1);
    float[] dv = LstmNetworkEquivalenceTest.derivatives(steps * batch, batch, 2);
    float[] logits = new float[batch * na], values = new float[batch], g = new float[theta.length];
    for (int rep = 0; rep < 300; rep++) {
      long e0 = allocated();
      long e1 = allocated();
      long a0 = allocated();
      long t0 = cpu();
      RecurrentNetwork.Rollout r = net.begin(theta, batch, steps, Parallel.serial());
      long a1 = allocated();
      long t1 = cpu();
      for (int t = 0; t < steps; t++) {
        r.step(xs[t], logits, values);
      }
      long a2 = allocated();
      long t2 = cpu();
      r.backward(dl, dv, g);
      long a3 = allocated();
      long t3 = cpu();
      r.close();
      if (rep % 50 == 49) {
        System.out.printf("empty %d begin", e1 - e0);
        System.out.printf("begin %d B %d us; steps %d B %d us; backward %d B %d us%n", a1 - a0, (t1 - t0) / 1000,
            a2 - a1, (t2 - t1) / 1000, a3 - a2, (t3 - t2) / 1000);
      }
    }
  }
}
