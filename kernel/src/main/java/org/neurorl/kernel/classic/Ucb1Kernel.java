package org.neurorl.kernel.classic;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * Batched UCB1 (Auer, Cesa-Bianchi &amp; Fischer 2002; MODELS.md §4) on a k-armed Bernoulli bandit,
 * vectorised across agents. Each trial an agent plays its lowest arm not yet pulled (so every arm
 * once, in arm order, from zero counts), else {@code argmax_a s_a/n_a + sqrt(2 ln t / n_a)} with
 * t = Σ_a n_a its total pulls, ties to the lower arm; then r ~ Bernoulli(p_a) and s_a or f_a grows.
 */
public interface Ucb1Kernel {
  /** The SIMD implementation when the Vector API is available, else the reference. */
  static Ucb1Kernel create() {
    return Kernels.select(Ucb1Kernel.class, "org.neurorl.kernel.simd.SimdUcb1", ReferenceUcb1::new);
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  /**
   * A batch of {@code agents} agents with {@code arms} arms (agent i uses stream
   * {@code Rng.key(seed, firstAgentIndex + i)}), in episode 0 with zero counts. Set its reward
   * probabilities before running it.
   */
  ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex);

  default ClassicBatch newBatch(int agents, int arms, long seed) {
    return newBatch(agents, arms, seed, 0);
  }

  /**
   * Plays {@code trials} trials for every agent of {@code batch} (made by this kernel) and adds to its
   * counts and accumulators. When {@code actionsOut} / {@code rewardsOut} are not null, the arm and
   * reward of agent i at trial t of the episode (counting from the episode start, across calls) are
   * written to {@code [t*B + i]}; the arrays need at least {@code (batch.trial() + trials)·B} elements.
   */
  void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut);

  default void run(ClassicBatch batch, int trials, Parallel parallel) {
    run(batch, trials, parallel, null, null);
  }
}
