package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * Batched latent Q-learning trials on a Bernoulli bandit with cues (MODELS.md §3), vectorised across
 * agents. One trial per agent: cue s (uniform over S, or 0 when S = 1), z = W[s,:], q = zQ, action
 * a ~ softmax(β q) or ε-greedy, reward r ~ Bernoulli(p[s,a]), δ = r − q[a] (γ = 0: a bandit trial ends
 * the episode's step), then Q[:,a] += η δ z and W[s,:] += η δ Q_old[:,a], both from pre-update values.
 */
public interface LatentQKernel {
  /** The SIMD implementation when the Vector API is available, else the reference. */
  static LatentQKernel create() {
    return Kernels.select(LatentQKernel.class, "org.neurorl.kernel.simd.SimdLatentQ", ReferenceLatentQ::new);
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  /**
   * A batch of {@code agents} agents (agent i uses stream {@code Rng.key(seed, firstAgentIndex + i)}), in
   * episode 0 with freshly drawn values. Set its reward probabilities before running it.
   */
  QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed, long firstAgentIndex);

  default QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed) {
    return newBatch(agents, states, latent, actions, params, seed, 0);
  }

  /**
   * Plays {@code trials} trials for every agent of {@code batch} (made by this kernel) and adds to its
   * accumulators. When {@code actionsOut} / {@code rewardsOut} are not null, the action and reward of
   * agent i at trial t of the episode (counting from the episode start, across calls) are written to
   * {@code [t*B + i]}; the arrays need at least {@code (batch.trial() + trials)·B} elements.
   *
   * @throws org.neurorl.kernel.NumericalBlowUpException when a value became NaN or ±∞ (checked once per
   *     block at the end of the call; the batch then needs {@code reset()})
   */
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
