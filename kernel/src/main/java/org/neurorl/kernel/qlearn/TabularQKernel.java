package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * Batched tabular Q-learning trials on a Bernoulli bandit with cues (MODELS.md §4), vectorised across
 * agents: cue s, action a ~ softmax(β Q(s,·)) or ε-greedy, r ~ Bernoulli(p[s,a]),
 * Q(s,a) ← Q(s,a) + η (r − Q(s,a)). Same batch layout, random draws and accumulators as
 * {@link LatentQKernel}.
 */
public interface TabularQKernel {
  static TabularQKernel create() {
    return Kernels.select(TabularQKernel.class, "org.neurorl.kernel.simd.SimdTabularQ", ReferenceTabularQ::new);
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  QBatch newBatch(int agents, int states, int actions, QParams params, long seed, long firstAgentIndex);

  default QBatch newBatch(int agents, int states, int actions, QParams params, long seed) {
    return newBatch(agents, states, actions, params, seed, 0);
  }

  /** As {@link LatentQKernel#run(QBatch, int, Parallel, int[], float[])}. */
  void run(QBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut);

  default void run(QBatch batch, int trials, Parallel parallel) {
    run(batch, trials, parallel, null, null);
  }

  /**
   * Plays {@code trials} trials as {@link #run(QBatch, int, Parallel)} and adds the per-trial sums of
   * cumulative regret over the batch (MODELS.md §6) to the caller's arrays: after trial {@code t} of
   * this call, {@code sum[t] += Σ_i R_{t,i}} and {@code sumSquares[t] += Σ_i R_{t,i}²}. This is what a
   * simulation's regret curves need, computed while each block is still in cache, so nothing per trial
   * has to be recorded and read back. The sums are taken per block of agents (fixed by the batch shape)
   * and merged in block order: the same numbers whatever the thread count.
   */
  void runRegretSums(QBatch batch, int trials, Parallel parallel, double[] sum, double[] sumSquares);
}
