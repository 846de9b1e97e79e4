package org.neurorl.kernel.qlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.SimdExpectations;

/**
 * Same seed and sizes give bit-identical results whatever the thread count, the block size, the way
 * the trials are split into calls, and the batch an agent runs in; episodes differ and replay exactly.
 */
@Tag("simd-width")
class QDeterminismTest {
  /** Everything a run produces, flattened for exact comparison. */
  private record Outcome(double[] w, double[] q, double[] regret, double[] rewards, double[] suboptimal,
      int[] actions, float[] rewardTrace) {
    void assertSame(Outcome o, String what) {
      assertArrayEquals(w, o.w, 0.0, what + ": W");
      assertArrayEquals(q, o.q, 0.0, what + ": Q");
      assertArrayEquals(regret, o.regret, 0.0, what + ": regret");
      assertArrayEquals(rewards, o.rewards, 0.0, what + ": reward sums");
      assertArrayEquals(suboptimal, o.suboptimal, 0.0, what + ": suboptimal pulls");
      assertArrayEquals(actions, o.actions, what + ": actions");
      assertArrayEquals(rewardTrace, o.rewardTrace, 0f, what + ": rewards");
    }
  }

  private static Outcome run(QKernels kernel, int b, int s, int k, int a, QParams params, Parallel parallel,
      int[] segments, long first) {
    QBatch batch = kernel.newBatch(b, s, k, a, params, 2024, first);
    batch.setRewardProbabilities(QKernels.probabilities(b, s, a, first));
    int total = Arrays.stream(segments).sum();
    int[] actions = new int[total * b];
    float[] rewards = new float[total * b];
    for (int segment : segments) {
      kernel.run(batch, segment, parallel, actions, rewards);
    }
    return outcome(batch, actions, rewards);
  }

  private static Outcome outcome(QBatch batch, int[] actions, float[] rewards) {
    double[] w = new double[batch.weightsLength()];
    if (batch.latent() > 0) {
      batch.weights(w);
    }
    double[] q = new double[batch.valuesLength()];
    batch.values(q);
    int b = batch.agents();
    double[] regret = new double[b], sums = new double[b], sub = new double[b];
    batch.cumulativeRegret(regret);
    batch.rewardSums(sums);
    batch.suboptimalPulls(sub);
    return new Outcome(w, q, regret, sums, sub, actions, rewards);
  }

  private static QKernels simdLatent(int maxBlock) {
    SimdExpectations.load(LatentQKernel.class, "org.neurorl.kernel.simd.SimdLatentQ");
    return QKernels.latent(new org.neurorl.kernel.simd.SimdLatentQ(maxBlock));
  }

  private static QKernels simdTabular(int maxBlock) {
    SimdExpectations.load(TabularQKernel.class, "org.neurorl.kernel.simd.SimdTabularQ");
    return QKernels.tabular(new org.neurorl.kernel.simd.SimdTabularQ(maxBlock));
  }

  @Test
  void threadCountsBlockCutsAndCallSplitsGiveIdenticalResults() {
    // 1000 agents × 60 trials is above the serial threshold, so the pools really hand out blocks
    try (Parallel two = Parallel.of(2); Parallel three = Parallel.of(3)) {
      for (int[] shape : new int[][] {{1, 2, 2}, {3, 3, 3}}) {
        int s = shape[0], k = shape[1], a = shape[2];
        for (QParams params : new QParams[] {QParams.softmax(0.2f, 4f, 0.5f), QParams.epsilonGreedy(0.2f, 0.1f, 0.5f)}) {
          String where = "S=" + s + " K=" + k + " A=" + a + " " + params.policy();
          int[] whole = {60};
          int[] split = {10, 40, 0, 10};
          QKernels[] latent = {simdLatent(256), simdLatent(16), simdLatent(48), QKernels.referenceLatent()};
          QKernels[] tabular = {simdTabular(256), simdTabular(16), simdTabular(48), QKernels.referenceTabular()};
          for (int m = 0; m < 2; m++) {
            QKernels[] kernels = m == 0 ? latent : tabular;
            int kk = m == 0 ? k : 0;
            for (int impl = 0; impl < 4; impl += 3) {
              Outcome base = run(kernels[impl], 1000, s, kk, a, params, Parallel.serial(), whole, 0);
              base.assertSame(run(kernels[impl], 1000, s, kk, a, params, two, whole, 0), where + " 2 threads");
              base.assertSame(run(kernels[impl], 1000, s, kk, a, params, three, whole, 0), where + " 3 threads");
              base.assertSame(run(kernels[impl], 1000, s, kk, a, params, three, split, 0), where + " split calls");
              if (impl == 0) {
                base.assertSame(run(kernels[1], 1000, s, kk, a, params, two, whole, 0), where + " blocks of 16");
                base.assertSame(run(kernels[2], 1000, s, kk, a, params, three, split, 0), where + " blocks of 48");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void anAgentsTrajectoryDoesNotDependOnItsBatch() {
    for (QKernels kernel : new QKernels[] {QKernels.simdLatent(), QKernels.simdTabular(), QKernels.referenceLatent()}) {
      int k = kernel.newBatch(1, 1, 2, 2, QParams.softmax(0.1f, 3f, 0.5f), 1, 0).latent();
      QParams params = QParams.softmax(0.2f, 4f, 0.5f);
      Outcome big = run(kernel, 100, 3, k, 3, params, Parallel.serial(), new int[] {30}, 0);
      Outcome part = run(kernel, 30, 3, k, 3, params, Parallel.serial(), new int[] {30}, 50);
      for (int i = 0; i < 30; i++) {
        for (int t = 0; t < 30; t++) {
          assertEquals(big.actions[t * 100 + 50 + i], part.actions[t * 30 + i], "agent " + (50 + i) + " trial " + t);
        }
        assertEquals(big.regret[50 + i], part.regret[i], 0.0, "regret of agent " + (50 + i));
        for (int e = 0; e < big.q.length / 100; e++) {
          assertEquals(big.q[e * 100 + 50 + i], part.q[e * 30 + i], 0.0, "Q of agent " + (50 + i));
        }
      }
    }
  }

  @Test
  void episodesDifferAndReplayExactly() {
    for (QKernels kernel : new QKernels[] {QKernels.simdLatent(), QKernels.referenceLatent(), QKernels.simdTabular()}) {
      QBatch batch = kernel.newBatch(64, 1, 2, 2, QParams.softmax(0.2f, 4f, 0.5f), 3, 0);
      batch.setRewardProbabilities(QKernels.probabilities(64, 1, 2, 0));
      int[] act0 = new int[40 * 64];
      kernel.run(batch, 40, Parallel.serial(), act0, null);
      Outcome episode0 = outcome(batch, act0, null);
      batch.reset();
      assertEquals(1, batch.episode());
      assertEquals(0, batch.trial());
      double[] regret = new double[64];
      batch.cumulativeRegret(regret);
      assertArrayEquals(new double[64], regret, 0.0, "accumulators restart at 0");
      int[] act1 = new int[40 * 64];
      kernel.run(batch, 40, Parallel.serial(), act1, null);
      Outcome episode1 = outcome(batch, act1, null);
      assertFalse(Arrays.equals(episode0.q, episode1.q), "episode 1 starts from new values");
      assertFalse(Arrays.equals(act0, act1), "episode 1 draws new actions");
      batch.reset(0);
      int[] again = new int[40 * 64];
      kernel.run(batch, 40, Parallel.serial(), again, null);
      episode0.assertSame(outcome(batch, again, null), "episode 0 replayed");
    }
  }
}
