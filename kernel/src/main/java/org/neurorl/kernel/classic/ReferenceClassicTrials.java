package org.neurorl.kernel.classic;

import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;

/** What both float64 reference kernels share: the bandit, the counts, the accumulators, the blocks. */
final class ReferenceClassicTrials {
  /** Agents per block (independent of the thread count). */
  static final int BLOCK = 256;

  private ReferenceClassicTrials() {}

  /** Chooses the arm of agent {@code i} at trial {@code t} of the episode. */
  @FunctionalInterface
  interface Policy {
    int choose(ReferenceClassicBatch batch, int i, int t);
  }

  /** Runs every agent, in blocks over the pool, all trials of an agent before the next. */
  static void run(ReferenceClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut,
      Policy policy) {
    int b = batch.agents();
    int first = batch.trial();
    int blocks = (b + BLOCK - 1) / BLOCK;
    parallel.forEachBlock(blocks, (worker, block) -> {
      int end = Math.min(b, (block + 1) * BLOCK);
      for (int i = block * BLOCK; i < end; i++) {
        for (int t = first; t < first + trials; t++) {
          int a = policy.choose(batch, i, t);
          double r = pull(batch, i, a, t);
          if (actionsOut != null) {
            actionsOut[t * b + i] = a;
          }
          if (rewardsOut != null) {
            rewardsOut[t * b + i] = (float) r;
          }
        }
      }
    });
    batch.advance(trials);
  }

  /** Bernoulli reward of arm {@code a}, the count update and the regret, reward and pull accumulators. */
  static double pull(ReferenceClassicBatch batch, int i, int a, int t) {
    int b = batch.agents(), k = batch.arms();
    float[] p = batch.rewardProbabilities;
    double best = 0;
    for (int x = 0; x < k; x++) {
      best = Math.max(best, p[x * b + i]);
    }
    double pa = p[a * b + i];
    double u = Rng.uniform(batch.keys[i], ClassicBatch.trialCounter(batch.episode(), t, k));
    double r = u < pa ? 1.0 : 0.0;
    if (r == 1.0) {
      batch.successes[a * b + i] += 1;
    } else {
      batch.failures[a * b + i] += 1;
    }
    batch.regret[i] += best - pa;
    batch.rewardSum[i] += r;
    if (pa < best) {
      batch.suboptimal[i] += 1;
    }
    return r;
  }
}
