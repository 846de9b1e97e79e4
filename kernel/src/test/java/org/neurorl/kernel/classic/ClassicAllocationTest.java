package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;

/**
 * A steady-state run allocates nothing on the Java heap. This catches Vector API boxing, which shows
 * up as ≥ 5 bytes per agent-trial when C2 does not inline or intrinsify a vector operation.
 */
class ClassicAllocationTest {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  private static void steadyStateAllocatesNothing(ClassicKernels.Agent agent, int k) {
    int b = 512, trials = 20;
    ClassicBatch batch = agent.newBatch(b, k, 1, 0);
    batch.setRewardProbabilities(ClassicKernels.probabilities(b, k, 0));
    int[] actions = new int[trials * b];
    float[] rewards = new float[trials * b];
    String what = agent.name() + " k=" + k;
    // warm up until C2 has compiled the passes (interpreted and C1 vector code allocates), at most ~20 s
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      long before = allocated();
      for (int e = 0; e < 50; e++) {
        batch.reset(e % 2);
        agent.run(batch, trials, Parallel.serial(), actions, rewards);
      }
      if ((allocated() - before) / 50 < 64) { // boxing costs ≥ 5 B per agent-trial, ≥ 50 KB per call here
        break;
      }
    }
    // 200 calls × 10240 agent-trials: boxing allocates ≥ 10 MB per window. A one-off JIT event (a
    // deoptimisation re-materialises a few objects) can add a few KB to one window, so the best of up to
    // five windows must stay under 4 KB.
    long best = Long.MAX_VALUE;
    for (int window = 0; window < 5 && best >= 4096; window++) {
      long before = allocated();
      for (int e = 0; e < 200; e++) {
        batch.reset(e % 2);
        agent.run(batch, trials, Parallel.serial(), actions, rewards);
      }
      best = Math.min(best, allocated() - before);
    }
    assertTrue(best < 4096, what + ": " + best + " bytes allocated in 200 steady-state calls");
  }

  @Test
  void simdKernelsAllocateNothingInTheSteadyState() {
    steadyStateAllocatesNothing(ClassicKernels.Agent.of(ClassicKernels.simdUcb1()), 2);
    steadyStateAllocatesNothing(ClassicKernels.Agent.of(ClassicKernels.simdThompson()), 2);
    steadyStateAllocatesNothing(ClassicKernels.Agent.of(ClassicKernels.simdUcb1()), 5);
    steadyStateAllocatesNothing(ClassicKernels.Agent.of(ClassicKernels.simdThompson()), 3);
  }
}
