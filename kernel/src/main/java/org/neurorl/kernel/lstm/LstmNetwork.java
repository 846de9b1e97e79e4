package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * The LSTM of MODELS.md §2 with its policy and value heads as a {@link RecurrentNetwork}: forward steps
 * recorded over a batch of episodes, then backpropagation through time into one flat gradient.
 *
 * <p>The flat parameter vector holds, in this order (row-major, gate rows stacked input, forget, cell
 * candidate, output as in {@link LstmParams}):
 *
 * <pre>
 *   Wx (4N×I), Wh (4N×N), b (4N), Wpi (A×N), bpi (A), wv (N), bv (1)
 * </pre>
 *
 * A rollout is used by one thread at a time; its records ({@link Rollout#hidden} included) are readable
 * until it is closed, after which the fast implementation reuses its buffers for the next rollout of the
 * same batch size and maxSteps. {@link Rollout#backward} may be called more than once (it adds each time).
 *
 * <p>{@link #create} picks the float32 SIMD implementation ({@code org.neurorl.kernel.simd.SimdLstmNetwork})
 * when the Vector API is available, else {@link ReferenceLstmNetwork}, exactly like {@link Kernels#select}.
 */
public interface LstmNetwork extends RecurrentNetwork {
  String NAME = "lstm";
  String SIMD_FACTORY = "org.neurorl.kernel.simd.SimdLstmNetwork$Factory";

  /** The SIMD network when the Vector API is available (see {@link Kernels#select}), else the reference. */
  static LstmNetwork create(int inputs, int hidden, int actions) {
    LstmNetworkFactory reference = ReferenceLstmNetwork::new;
    return Kernels.select(LstmNetworkFactory.class, SIMD_FACTORY, () -> reference).create(inputs, hidden, actions);
  }

  /** The layout of the flat parameter vector for these sizes (checked: each in 1 .. {@link LstmParams#MAX_SIZE}). */
  static ParameterLayout layout(int inputs, int hidden, int actions) {
    Checks.range("inputs", inputs, 1, LstmParams.MAX_SIZE);
    Checks.range("hidden", hidden, 1, LstmParams.MAX_SIZE);
    Checks.range("actions", actions, 1, LstmParams.MAX_SIZE);
    return ParameterLayout.builder()
        .add("Wx", 4 * hidden, inputs)
        .add("Wh", 4 * hidden, hidden)
        .add("b", 4 * hidden)
        .add("Wpi", actions, hidden)
        .add("bpi", actions)
        .add("wv", hidden)
        .add("bv", 1)
        .build();
  }

  /** The flat parameter vector holding {@code p}'s tensors. */
  static float[] parameters(LstmParams p) {
    ParameterLayout layout = layout(p.inputs(), p.hidden(), p.actions());
    float[] theta = new float[layout.size()];
    System.arraycopy(p.inputWeights(), 0, theta, layout.tensor("Wx").offset(), p.inputWeights().length);
    System.arraycopy(p.recurrentWeights(), 0, theta, layout.tensor("Wh").offset(), p.recurrentWeights().length);
    System.arraycopy(p.gateBias(), 0, theta, layout.tensor("b").offset(), p.gateBias().length);
    System.arraycopy(p.policyWeights(), 0, theta, layout.tensor("Wpi").offset(), p.policyWeights().length);
    System.arraycopy(p.policyBias(), 0, theta, layout.tensor("bpi").offset(), p.policyBias().length);
    System.arraycopy(p.valueWeights(), 0, theta, layout.tensor("wv").offset(), p.valueWeights().length);
    theta[layout.tensor("bv").offset()] = p.valueBias();
    return theta;
  }

  /** The {@link LstmParams} (for the step kernels of {@link LstmKernel}) held in a flat parameter vector. */
  static LstmParams params(int inputs, int hidden, int actions, float[] parameters) {
    ParameterLayout layout = layout(inputs, hidden, actions);
    Checks.finiteArray("parameters", parameters, layout.size());
    return new LstmParams(inputs, hidden, actions, slice(parameters, layout.tensor("Wx")),
        slice(parameters, layout.tensor("Wh")), slice(parameters, layout.tensor("b")),
        slice(parameters, layout.tensor("Wpi")), slice(parameters, layout.tensor("bpi")),
        slice(parameters, layout.tensor("wv")), parameters[layout.tensor("bv").offset()]);
  }

  /**
   * Initial parameters: every tensor uniform in ±1/√hidden as {@link LstmParams#random(int, int, int, long)}
   * (the usual LSTM initialisation, the same numbers for the same seed everywhere).
   */
  static float[] initialParameters(int inputs, int hidden, int actions, long seed) {
    return parameters(LstmParams.random(inputs, hidden, actions, seed));
  }

  private static float[] slice(float[] a, ParameterLayout.Tensor t) {
    return java.util.Arrays.copyOfRange(a, t.offset(), t.offset() + t.size());
  }

  @Override
  default String name() {
    return NAME;
  }
}
