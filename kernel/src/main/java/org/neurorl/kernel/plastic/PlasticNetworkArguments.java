package org.neurorl.kernel.plastic;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RolloutChecks;

/**
 * Argument checks shared by the implementations of {@link PlasticNetwork} (once per call); the parts common
 * to every recurrent network come from {@link RolloutChecks}.
 */
public final class PlasticNetworkArguments {
  /** Largest number of steps a rollout may record. */
  public static final int MAX_STEPS = RolloutChecks.MAX_STEPS;

  private PlasticNetworkArguments() {}

  /** Validates {@link PlasticNetwork#begin}: the parameter vector (length, finite), batch, steps, pool. */
  public static void begin(PlasticNetwork net, float[] parameters, int batch, int maxSteps, Parallel pool) {
    Checks.finiteArray("parameters", parameters, net.layout().size());
    Checks.range("batch", batch, 1, 1 << 20);
    Checks.range("maxSteps", maxSteps, 1, MAX_STEPS);
    RolloutChecks.pool(pool);
    long history = (long) batch * maxSteps * net.hidden() * net.hidden();
    if (history > (1L << 31) * 8) {
      throw new IllegalArgumentException("batch × maxSteps × hidden² = " + history
          + "; allowed: at most 2^34 (the recorded plastic state would not fit in memory)");
    }
  }

  /** Validates a step: room left and array lengths (at least B×I, B×A, B). */
  public static void step(int steps, int maxSteps, int batch, int inputs, int actions, float[] x, float[] logits,
      float[] values) {
    if (steps >= maxSteps) {
      throw new IllegalStateException("step " + steps + " exceeds maxSteps = " + maxSteps
          + " given to begin(); allowed: at most maxSteps steps per rollout");
    }
    Checks.length("x", x, (long) batch * inputs);
    Checks.length("logits", logits, (long) batch * actions);
    Checks.length("values", values, batch);
  }

  /** Validates a backward call: at least T×B×A and T×B derivatives, and a gradient of the layout's size. */
  public static void backward(int steps, int batch, int actions, int parameters, float[] dLogits, float[] dValues,
      float[] gradient) {
    if (steps == 0) {
      throw new IllegalStateException("backward() before any step(); allowed: after at least one step");
    }
    Checks.length("dLogits", dLogits, (long) steps * batch * actions);
    Checks.length("dValues", dValues, (long) steps * batch);
    if (gradient == null || gradient.length != parameters) {
      throw new IllegalArgumentException("gradient" + (gradient == null ? " is null" : ".length = "
          + gradient.length) + "; allowed: exactly " + parameters + " (the layout's size)");
    }
  }

  /** Validates {@code hidden(t)}. */
  public static void hidden(int t, int steps) {
    if (t < 0 || t >= steps) {
      throw new IllegalArgumentException("t = " + t + "; allowed: 0 to " + (steps - 1) + " (steps taken)");
    }
  }
}
