package org.neurorl.kernel.stats;

import org.neurorl.kernel.Kernels;

/**
 * Per-trial sums of cumulative expected regret over a block of agents (MODELS.md §6), from the actions
 * a bandit kernel recorded: for every agent i and trial t, {@code R_{t,i} = Σ_{k ≤ t} (max_a p_{a,i} −
 * p_{a_k,i})}; the kernel adds {@code Σ_i R_{t,i}} to {@code sum[t]} and {@code Σ_i R_{t,i}²} to
 * {@code sumSquares[t]} and returns the number of suboptimal pulls. This is the bookkeeping of a
 * simulation, but it touches every agent-trial once, so it is a hot loop like the trial kernels (a
 * scalar loop was slower than the SIMD trial step it summarised).
 *
 * <p>Cumulative regret is kept in float32 per agent (the regret of one pull is exact in float32 when
 * the probabilities are, and 100 trials add about 100 roundings of 2⁻²⁴ relative at most); the sums
 * over agents are taken in float64 in a fixed order, so a block gives the same numbers on every run.
 */
public interface RegretCurveKernel {
  static RegretCurveKernel create() {
    return Kernels.select(RegretCurveKernel.class, "org.neurorl.kernel.simd.SimdRegretCurve",
        ReferenceRegretCurve::new);
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  /**
   * Adds one block's per-trial sums.
   *
   * @param agents n, agents in the block
   * @param trials trials recorded
   * @param arms arms (2 to 64)
   * @param probabilities {@code p[a * n + i]}
   * @param actions {@code actions[t * n + i]}, each in [0, arms)
   * @param cumulative scratch of at least n floats (overwritten)
   * @param sum {@code sum[t] += Σ_i R_{t,i}}
   * @param sumSquares {@code sumSquares[t] += Σ_i R_{t,i}²}
   * @return suboptimal pulls in the block (pulls with positive regret)
   */
  long accumulate(int agents, int trials, int arms, float[] probabilities, int[] actions, float[] cumulative,
      double[] sum, double[] sumSquares);
}
