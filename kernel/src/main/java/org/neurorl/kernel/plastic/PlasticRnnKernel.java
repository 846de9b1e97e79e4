package org.neurorl.kernel.plastic;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * One step of a batch of plastic gated RNNs (MODELS.md §1) with shared weights: for each agent,
 * {@code g, z, v, h}, the modulator, the traces, {@code E} and {@code dU} (both rules), then the policy
 * logits and the value.
 */
public interface PlasticRnnKernel {
  /** The SIMD kernel when the Vector API is available, else the reference (see {@link Kernels}). */
  static PlasticRnnKernel create() {
    return Kernels.select(PlasticRnnKernel.class, "org.neurorl.kernel.simd.SimdPlasticRnn",
        ReferencePlasticRnn::new);
  }

  /** "reference" or "simd-" + vector bits. */
  String implementation();

  /** A zeroed state for {@code batch} agents sharing {@code weights} and {@code rule}. */
  PlasticRnnState newState(PlasticRnnWeights weights, PlasticityRule rule, int batch);

  /**
   * Advances every agent of {@code state} by one step.
   *
   * @param x inputs, B×I agent-major ({@code x[agent*I + k]})
   * @param logits out: B×A agent-major
   * @param values out: B
   * @param pool workers; agents are cut into fixed blocks, so results do not depend on its size
   * @throws org.neurorl.kernel.NumericalBlowUpException when v, h, the plastic input, a logit or a value
   *     becomes NaN or ±∞ (the state then holds the values of the failed step)
   */
  void step(PlasticRnnState state, float[] x, float[] logits, float[] values, Parallel pool);
}
