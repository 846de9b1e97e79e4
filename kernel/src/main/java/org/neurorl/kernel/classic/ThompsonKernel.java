package org.neurorl.kernel.classic;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * Batched Thompson sampling for Bernoulli arms (MODELS.md §4), vectorised across agents: each trial an
 * agent draws θ_a ~ Beta(1 + s_a, 1 + f_a) for every arm, plays the largest (ties to the lower arm),
 * gets r ~ Bernoulli(p_a) and adds it to s_a or f_a. Beta samples are X / (X + Y) with X, Y Gamma
 * samples by Marsaglia and Tsang's method (draws as {@link ClassicBatch} documents).
 */
public interface ThompsonKernel {
  /** The SIMD implementation when the Vector API is available, else the reference. */
  static ThompsonKernel create() {
    return Kernels.select(ThompsonKernel.class, "org.neurorl.kernel.simd.SimdThompson", ReferenceThompson::new);
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  /** As {@link Ucb1Kernel#newBatch(int, int, long, long)}. */
  ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex);

  default ClassicBatch newBatch(int agents, int arms, long seed) {
    return newBatch(agents, arms, seed, 0);
  }

  /** As {@link Ucb1Kernel#run(ClassicBatch, int, Parallel, int[], float[])}. */
  void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut);

  default void run(ClassicBatch batch, int trials, Parallel parallel) {
    run(batch, trials, parallel, null, null);
  }
}
