package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;

/**
 * One batched LSTM step (MODELS.md §2) for B agents sharing {@link LstmParams}:
 *
 * <pre>
 *   [i; f; g; o] = Wx x_t + Wh h_{t−1} + b
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 *   logits_t = Wπ h_t + bπ,   value_t = wv · h_t + bv
 * </pre>
 */
public interface LstmKernel {
  /** The SIMD kernel when the Vector API is available (see {@link Kernels#select}), else the reference. */
  static LstmKernel create() {
    return Kernels.select(LstmKernel.class, "org.neurorl.kernel.simd.SimdLstm", ReferenceLstm::new);
  }

  /** "reference" or "simd-" + vector bits. */
  String implementation();

  /** A zeroed state for {@code batch} agents of the sizes of {@code params}. */
  LstmState newState(LstmParams params, int batch);

  /**
   * Advances every agent of {@code state} by one step.
   *
   * @param x      inputs, B×I agent-major ({@code x[agent·I + k]})
   * @param logits output, B×A agent-major policy logits
   * @param values output, B value estimates
   * @param pool   workers; results are bit-identical whatever its thread count
   * @param trace  where to keep the step's gate activations, cell and hidden vectors, or null
   * @throws IllegalArgumentException  on mismatched sizes or a state made by another kernel
   * @throws NumericalBlowUpException when c, h or a logit/value becomes NaN or ±∞ (the state then
   *     holds the values of the failed step and the step counter is not advanced)
   */
  void step(LstmParams params, LstmState state, float[] x, float[] logits, float[] values, Parallel pool,
      LstmTrace trace);

  /** {@link #step(LstmParams, LstmState, float[], float[], float[], Parallel, LstmTrace)} keeping no trace. */
  default void step(LstmParams params, LstmState state, float[] x, float[] logits, float[] values,
      Parallel pool) {
    step(params, state, x, logits, values, pool, null);
  }
}
