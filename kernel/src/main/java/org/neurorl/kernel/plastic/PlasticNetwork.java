package org.neurorl.kernel.plastic;

import java.util.SplittableRandom;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * The plastic gated RNN of MODELS.md §1 under the modulated rule ({@code M, e, E, dU} with clip) as a
 * {@link RecurrentNetwork} ("plastic") trained by backpropagation through time: the gradient flows
 * through the plastic state {@code e, E, dU} and the modulator {@code M} as well as {@code v, h}, as in
 * differentiable plasticity / backpropamine.
 *
 * <p>Trainable tensors, in storage order (A2C-SPEC.md): {@code W} (N×I), {@code U} (N×N), {@code b} (N),
 * {@code Wz} (N×I), {@code Uz} (N×N), {@code bz} (N), {@code alpha} (N×N), {@code wM} (N), {@code bM} (1),
 * {@code Wpi} (A×N), {@code bpi} (A), {@code wv} (N), {@code bv} (1). The rates τe, τE, τU and the clip c
 * are fixed hyperparameters (the {@link PlasticityRule}). "Plasticity off" is the tensor {@code alpha} set
 * to 0.
 *
 * <p>The clip has derivative 0 where it is active, i.e. where |(1−τU) dU_{t−1} + τU M_t E_t| ≥ c
 * (equivalently |dU_t| = c), and 1 where that magnitude is below c. At exactly ±c the two one-sided
 * derivatives differ; taking 0 there lets every implementation decide from the stored {@code dU_t} alone.
 */
public interface PlasticNetwork extends RecurrentNetwork {

  /** Builds networks of one implementation; the SIMD factory is loaded reflectively (see {@link Kernels}). */
  interface Factory {
    PlasticNetwork create(int inputs, int hidden, int actions, PlasticityRule rule);
  }

  /** The network name in {@link RecurrentNetwork#name()}. */
  String NAME = "plastic";

  /**
   * The SIMD network when the Vector API is available, else the float64 reference (chosen once as
   * {@link Kernels#select} does; {@code -Dneurorl.kernel=reference} forces the reference).
   *
   * @param rule the modulated rule: rates τe, τE, τU in (0, 1] and clip c &gt; 0
   */
  static PlasticNetwork create(int inputs, int hidden, int actions, PlasticityRule rule) {
    validate(inputs, hidden, actions, rule);
    return Kernels.select(Factory.class, "org.neurorl.kernel.simd.SimdPlasticNetwork$Factory",
        () -> ReferencePlasticNetwork::new).create(inputs, hidden, actions, rule);
  }

  /** {@link #create(int, int, int, PlasticityRule)} with the modulated rule's rates and clip. */
  static PlasticNetwork create(int inputs, int hidden, int actions, float traceRate, float eligibilityRate,
      float plasticRate, float clip) {
    return create(inputs, hidden, actions, PlasticityRule.modulated(traceRate, eligibilityRate, plasticRate, clip));
  }

  /** The plasticity rule (always {@link PlasticityRule.Kind#MODULATED}). */
  PlasticityRule rule();

  @Override
  default String name() {
    return NAME;
  }

  /** The parameter layout of a network with these sizes (the tensor order of A2C-SPEC.md). */
  static ParameterLayout layout(int inputs, int hidden, int actions) {
    return ParameterLayout.builder()
        .add("W", hidden, inputs).add("U", hidden, hidden).add("b", hidden)
        .add("Wz", hidden, inputs).add("Uz", hidden, hidden).add("bz", hidden)
        .add("alpha", hidden, hidden).add("wM", hidden).add("bM", 1)
        .add("Wpi", actions, hidden).add("bpi", actions).add("wv", hidden).add("bv", 1)
        .build();
  }

  /**
   * Initial parameters: input weights uniform in ±1/√I, recurrent weights U, Uz and the heads (wM, Wpi,
   * wv) uniform in ±1/√N, alpha uniform in ±1/√N (so the plastic input starts at the scale of c·|h|, and
   * the gradient reaches wM through it from the first update), biases 0. Deterministic in {@code seed}.
   */
  default float[] initialParameters(long seed) {
    ParameterLayout layout = layout();
    float[] p = new float[layout.size()];
    SplittableRandom r = new SplittableRandom(seed);
    double sIn = 1 / Math.sqrt(inputs());
    double sHid = 1 / Math.sqrt(hidden());
    for (ParameterLayout.Tensor t : layout.tensors()) {
      double scale = switch (t.name()) {
        case "W", "Wz" -> sIn;
        case "U", "Uz", "alpha", "wM", "Wpi", "wv" -> sHid;
        default -> 0;
      };
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        p[k] = (float) ((2 * r.nextDouble() - 1) * scale);
      }
    }
    return p;
  }

  /**
   * The parameters as the weights of the forward-only {@link PlasticRnnKernel} (evaluation and analyses
   * run the trained network there, e.g. with alpha set to 0).
   */
  default PlasticRnnWeights weights(float[] parameters) {
    ParameterLayout layout = layout();
    Checks.finiteArray("parameters", parameters, layout.size());
    return new PlasticRnnWeights(hidden(), inputs(), actions(), slice(parameters, layout, "W"),
        slice(parameters, layout, "U"), slice(parameters, layout, "b"), slice(parameters, layout, "Wz"),
        slice(parameters, layout, "Uz"), slice(parameters, layout, "bz"), slice(parameters, layout, "alpha"),
        slice(parameters, layout, "wM"), slice(parameters, layout, "bM")[0], slice(parameters, layout, "Wpi"),
        slice(parameters, layout, "bpi"), slice(parameters, layout, "wv"), slice(parameters, layout, "bv")[0]);
  }

  private static float[] slice(float[] p, ParameterLayout layout, String name) {
    ParameterLayout.Tensor t = layout.tensor(name);
    float[] out = new float[t.size()];
    System.arraycopy(p, t.offset(), out, 0, t.size());
    return out;
  }

  /** Validates the constructor arguments shared by every implementation. */
  static void validate(int inputs, int hidden, int actions, PlasticityRule rule) {
    Checks.range("inputs", inputs, 1, 1 << 16);
    Checks.range("hidden", hidden, 1, 4096);
    Checks.range("actions", actions, 1, 1 << 16);
    if (rule == null) {
      throw new IllegalArgumentException("rule is null; allowed: PlasticityRule.modulated(τe, τE, τU, c)");
    }
    if (rule.kind() != PlasticityRule.Kind.MODULATED) {
      throw new IllegalArgumentException("rule.kind = " + rule.kind()
          + "; allowed: MODULATED (the trainable network uses the modulated rule M, e, E, dU)");
    }
  }
}
