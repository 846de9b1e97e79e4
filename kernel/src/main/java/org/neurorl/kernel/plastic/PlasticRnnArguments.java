package org.neurorl.kernel.plastic;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;

/** Argument checks shared by the implementations of {@link PlasticRnnKernel} (once per call, O(1)). */
public final class PlasticRnnArguments {
  private PlasticRnnArguments() {}

  /** Validates a {@link PlasticRnnKernel#newState} call. */
  public static void newState(PlasticRnnWeights weights, PlasticityRule rule, int batch) {
    if (weights == null) {
      throw new IllegalArgumentException("weights is null; allowed: a PlasticRnnWeights");
    }
    if (rule == null) {
      throw new IllegalArgumentException("rule is null; allowed: a PlasticityRule");
    }
    Checks.range("batch", batch, 1, 1 << 24);
  }

  /** Validates a {@link PlasticRnnKernel#step} call (array lengths; not the values, that would be O(B·I)). */
  public static void step(PlasticRnnState state, float[] x, float[] logits, float[] values, Parallel pool) {
    if (state == null) {
      throw new IllegalArgumentException("state is null; allowed: a state from this kernel's newState");
    }
    if (pool == null) {
      throw new IllegalArgumentException("pool is null; allowed: a Parallel (Parallel.serial() for one thread)");
    }
    PlasticRnnWeights w = state.weights();
    long b = state.batch();
    Checks.length("x", x, b * w.inputs());
    Checks.length("logits", logits, b * w.actions());
    Checks.length("values", values, b);
  }

  /** Validates an agent index and, for {@code copyIn}, the array. */
  public static void agent(PlasticRnnState state, int agent) {
    Checks.range("agent", agent, 0, state.batch() - 1);
  }

  /** Validates a quantity request: the rule must hold it. */
  public static void quantity(PlasticRnnState state, PlasticRnnState.Quantity q) {
    if (q == null) {
      throw new IllegalArgumentException("quantity is null; allowed: one of PlasticRnnState.Quantity");
    }
    if (!state.holds(q)) {
      throw new IllegalArgumentException("quantity = " + q + "; allowed under the " + state.rule().kind()
          + " rule: " + (state.rule().kind() == PlasticityRule.Kind.STDP
              ? "V, H, TRACE, TRACE_MINUS, FAST_WEIGHTS" : "V, H, TRACE, ELIGIBILITY, FAST_WEIGHTS"));
    }
  }

  /** Validates values for {@code copyIn}: the right length, finite, and |dU| within the clip. */
  public static void values(PlasticRnnState state, PlasticRnnState.Quantity q, double[] values) {
    int n = state.weights().hidden();
    long len = q.isMatrix() ? (long) n * n : n;
    if (values == null || values.length != len) {
      throw new IllegalArgumentException("values" + (values == null ? " is null" : ".length = " + values.length)
          + "; allowed: exactly " + len + " for " + q);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("values[" + i + "] = " + values[i] + "; allowed: finite numbers");
      }
    }
  }
}
