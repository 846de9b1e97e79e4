package org.neurorl.kernel.plastic;

/**
 * The per-agent state of a batch of plastic RNNs: {@code v, h} (N), the traces ({@code e} under the
 * modulated rule; {@code e⁺} and {@code e⁻} under STDP), {@code E} (N×N, modulated only) and the fast
 * weights {@code dU} (N×N), plus the last modulator {@code M} per agent. Created by
 * {@link PlasticRnnKernel#newState}; each kernel keeps its own layout (the reference in float64, the
 * SIMD kernel in float32 with padded rows), so reads and writes go through copies in float64.
 */
public interface PlasticRnnState {
  /** The quantities a state holds, for {@link #copyOut} and {@link #copyIn}. */
  enum Quantity {
    /** v (N): the gated membrane state. */
    V(false),
    /** h = [v]₊ (N). */
    H(false),
    /** e (N) under the modulated rule, e⁺ (N) under STDP. */
    TRACE(false),
    /** e⁻ (N), STDP only. */
    TRACE_MINUS(false),
    /** E (N×N, row-major), modulated only. */
    ELIGIBILITY(true),
    /** dU (N×N, row-major): the fast weights. */
    FAST_WEIGHTS(true);

    private final boolean matrix;

    Quantity(boolean matrix) {
      this.matrix = matrix;
    }

    /** True for the N×N quantities. */
    public boolean isMatrix() {
      return matrix;
    }
  }

  int batch();

  PlasticRnnWeights weights();

  PlasticityRule rule();

  /** Steps taken since the state was created or last {@link #reset()}. */
  long steps();

  /** True when this rule keeps {@code q} (E only under the modulated rule, e⁻ only under STDP). */
  default boolean holds(Quantity q) {
    return switch (q) {
      case ELIGIBILITY -> rule().kind() == PlasticityRule.Kind.MODULATED;
      case TRACE_MINUS -> rule().kind() == PlasticityRule.Kind.STDP;
      default -> true;
    };
  }

  /** A float64 copy of {@code q} for one agent (length N, or N×N row-major). */
  double[] copyOut(Quantity q, int agent);

  /** Overwrites {@code q} for one agent (length N, or N×N row-major; finite values). */
  void copyIn(Quantity q, int agent, double[] values);

  /** The modulator M of the last step for one agent (0 before the first step; NaN under STDP, which has none). */
  double modulator(int agent);

  /** Copies the modulator of the last step for every agent into {@code out[0 .. batch)}. */
  void copyModulators(float[] out);

  /** Copies h of every agent into {@code out} agent-major ({@code out[agent*N + i]}). */
  void copyHidden(float[] out);

  /** Sets every agent's state to zero (and M to 0) and the step count to 0. */
  void reset();

  /** Sets one agent's state to zero (e.g. at an episode boundary). */
  void reset(int agent);
}
