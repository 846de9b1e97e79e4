package org.neurorl.kernel.qlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;

/** The bandit inside the kernels: reward and cue frequencies, and the accumulators' meaning. */
class QBanditStatisticsTest {
  private static final QKernels[] ALL = {QKernels.referenceTabular(), QKernels.simdTabular(),
      QKernels.referenceLatent(), QKernels.simdLatent()};

  /** |x − n·p| within 5 binomial standard deviations (two-sided miss probability 6e-7 per check). */
  private static void binomial(long successes, long n, double p, String what) {
    double sd = Math.sqrt(n * p * (1 - p));
    assertEquals(n * p, successes, 5 * sd + 1e-9, what + ": " + successes + " of " + n);
  }

  @Test
  void rewardFrequenciesMatchTheArmProbabilities() {
    for (QKernels kernel : ALL) {
      int b = 1000, trials = 60;
      // ε = 1: every arm is pulled uniformly at random, so each arm gets ~20000 pulls
      QBatch batch = kernel.newBatch(b, 1, 2, 3, QParams.epsilonGreedy(0.1f, 1f, 0.5f), 8, 0);
      float[] p = {0.1f, 0.5f, 0.9f};
      batch.setRewardProbabilities(QKernels.fixed(b, p));
      int[] actions = new int[trials * b];
      float[] rewards = new float[trials * b];
      kernel.run(batch, trials, Parallel.serial(), actions, rewards);
      long[] pulls = new long[3], wins = new long[3];
      for (int x = 0; x < actions.length; x++) {
        pulls[actions[x]]++;
        wins[actions[x]] += (long) rewards[x];
        assertTrue(rewards[x] == 0f || rewards[x] == 1f);
      }
      for (int a = 0; a < 3; a++) {
        binomial(pulls[a], (long) trials * b, 1.0 / 3, kernel.implementation() + " pulls of arm " + a);
        binomial(wins[a], pulls[a], p[a], kernel.implementation() + " rewards of arm " + a);
      }
      double[] sums = new double[b];
      batch.rewardSums(sums);
      long total = 0;
      for (double s : sums) {
        total += (long) s;
      }
      assertEquals(wins[0] + wins[1] + wins[2], total, kernel.implementation() + " reward sums = recorded rewards");
    }
  }

  @Test
  void cuesAreUniform() {
    for (QKernels kernel : ALL) {
      int b = 500, trials = 40;
      // p = 0 under cue 0 and 1 under cues 1 and 2: a reward reveals the cue (P(cue ≠ 0) = 2/3)
      QBatch batch = kernel.newBatch(b, 3, 2, 2, QParams.softmax(0.1f, 2f, 0.5f), 9, 0);
      batch.setRewardProbabilities(QKernels.fixed(b, 0f, 0f, 1f, 1f, 1f, 1f));
      float[] rewards = new float[trials * b];
      kernel.run(batch, trials, Parallel.serial(), null, rewards);
      long wins = 0;
      for (float r : rewards) {
        wins += (long) r;
      }
      binomial(wins, (long) trials * b, 2.0 / 3, kernel.implementation() + " trials with cue 1 or 2");
    }
  }

  @Test
  void regretCountsTheGapOfEverySuboptimalPull() {
    for (QKernels kernel : ALL) {
      int b = 200, trials = 50;
      QBatch batch = kernel.newBatch(b, 1, 2, 2, QParams.softmax(0.1f, 3f, 0.5f), 10, 0);
      batch.setRewardProbabilities(QKernels.fixed(b, 0.25f, 0.75f));
      int[] actions = new int[trials * b];
      kernel.run(batch, trials, Parallel.serial(), actions, null);
      double[] regret = new double[b], sub = new double[b];
      batch.cumulativeRegret(regret);
      batch.suboptimalPulls(sub);
      for (int i = 0; i < b; i++) {
        int zeros = 0;
        for (int t = 0; t < trials; t++) {
          zeros += actions[t * b + i] == 0 ? 1 : 0;
        }
        assertEquals(zeros, sub[i], 0.0, "suboptimal pulls of agent " + i);
        // 0.5 per pull of the worse arm: exact in float32 and float64
        assertEquals(0.5 * zeros, regret[i], 0.0, "regret of agent " + i);
      }
    }
  }
}
