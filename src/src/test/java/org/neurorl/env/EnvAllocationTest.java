package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/** Stepping an environment allocates nothing: millions of agent-steps must not churn the heap. */
class EnvAllocationTest {
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** Runs {@code episodes} whole episodes with observations and all outputs, returns bytes allocated. */
  private static long run(BatchEnv env, int episodes, IntBinaryOperator action) {
    int batch = env.batchSize();
    float[] obs = new float[batch * env.observationSize()];
    float[] rewards = new float[batch];
    boolean[] term = new boolean[batch], trunc = new boolean[batch];
    int[] actions = new int[batch];
    long before = allocatedBytes();
    for (int e = 0; e < episodes; e++) {
      env.reset(e, obs);
      for (int s = 0; !term[0] && !trunc[0]; s++) {
        for (int b = 0; b < batch; b++) {
          actions[b] = action.applyAsInt(b, s);
        }
        env.step(actions, obs, rewards, term, trunc);
      }
      term[0] = false;
      trunc[0] = false;
    }
    return allocatedBytes() - before;
  }

  private static void assertNoAllocation(BatchEnv env, IntBinaryOperator action) {
    run(env, 200, action); // warm-up: class loading and JIT compilation allocate
    long bytes = run(env, 200, action);
    // a few KB of slack for a stray JIT or JFR allocation on this thread; one array per step would
    // already be 200 episodes x steps x >= 16 bytes, far above it
    assertTrue(bytes < 4096, env.getClass().getSimpleName() + " allocated " + bytes + " bytes");
  }

  @Test
  void steppingAllocatesNothing() {
    assertNoAllocation(new ReversalBandit(64, 3, 20, BanditPrior.INDEPENDENT, null, 5, 15, true, 1, 0),
        (b, s) -> (b + s) % 3);
    assertNoAllocation(CueActionTask.standard(64, 20, true, 1, 0), (b, s) -> (b * s) % 4);
    assertNoAllocation(new WisconsinCardSort(64, 20, 3, false, true, 1, 0), (b, s) -> (b + s / 3) % 4);
    assertNoAllocation(new CuedTMaze(64, 5, true, 1, 0), (b, s) -> (b + s) & 1);
    assertNoAllocation(new AssociativeRecall(64, 5, 4, 3, true, 1, 0), (b, s) -> (b + s) % 16);
  }
}
