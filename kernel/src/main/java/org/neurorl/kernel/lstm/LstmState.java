package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;

/**
 * The per-agent state of a batch: hidden vector {@code h} and cell vector {@code c}, N values each per
 * agent. Each kernel makes its own (the reference keeps float64 arrays, the fast kernel float32 in its
 * own layout); this class holds what they share: sizes, the step counter, argument checks, and
 * copy-in/copy-out through flat agent-major {@code double[]} arrays ({@code [agent·N + unit]}).
 */
public abstract class LstmState {
  private final int batch;
  private final int inputs;
  private final int hidden;
  private final int actions;
  private long steps;

  protected LstmState(LstmParams params, int batch) {
    if (params == null) {
      throw new IllegalArgumentException("params is null; allowed: an LstmParams");
    }
    this.inputs = params.inputs();
    this.hidden = params.hidden();
    this.actions = params.actions();
    long widest = Math.max(4L * hidden, Math.max((long) inputs + hidden, actions));
    Checks.range("batch", batch, 1, (int) Math.min(1 << 24, (Integer.MAX_VALUE - 64) / widest));
    this.batch = batch;
  }

  public final int batch() {
    return batch;
  }

  public final int inputs() {
    return inputs;
  }

  public final int hidden() {
    return hidden;
  }

  public final int actions() {
    return actions;
  }

  /** Steps completed since construction or the last {@link #reset()}. */
  public final long steps() {
    return steps;
  }

  /** Bytes of state memory per agent in this layout (scratch buffers not counted). */
  public abstract long bytesPerAgent();

  /** A copy of every agent's hidden vector, B×N agent-major. */
  public final double[] hiddenState() {
    double[] h = new double[batch * hidden];
    read(h, null);
    return h;
  }

  /** A copy of every agent's cell vector, B×N agent-major. */
  public final double[] cellState() {
    double[] c = new double[batch * hidden];
    read(null, c);
    return c;
  }

  /** Copies {@code h} and {@code c} (B×N agent-major each, finite) into the state. */
  public final void set(double[] h, double[] c) {
    checkFinite("h", h);
    checkFinite("c", c);
    write(h, c);
  }

  /** Zeroes every agent's h and c and the step counter. */
  public final void reset() {
    for (int a = 0; a < batch; a++) {
      zero(a);
    }
    steps = 0;
  }

  /** Zeroes one agent's h and c (an episode boundary of that agent). */
  public final void reset(int agent) {
    Checks.range("agent", agent, 0, batch - 1);
    zero(agent);
  }

  /** Fills {@code h} and/or {@code c} (either may be null) with the state, as float64. */
  protected abstract void read(double[] h, double[] c);

  /** Replaces the state by {@code h} and {@code c} (already checked). */
  protected abstract void write(double[] h, double[] c);

  protected abstract void zero(int agent);

  /** Called by a kernel after a step completed for every agent. */
  protected final void advance() {
    steps++;
  }

  /**
   * Checks the arguments of one step on this state; kernels call it first. Every problem is an
   * {@link IllegalArgumentException} naming the argument, its value and what is allowed.
   */
  public final void checkStep(LstmParams params, float[] x, float[] logits, float[] values, Parallel pool,
      LstmTrace trace) {
    if (params == null) {
      throw new IllegalArgumentException("params is null; allowed: an LstmParams");
    }
    params.requireSameShape(inputs, hidden, actions);
    Checks.length("x", x, (long) batch * inputs);
    Checks.length("logits", logits, (long) batch * actions);
    Checks.length("values", values, batch);
    if (pool == null) {
      throw new IllegalArgumentException("pool is null; allowed: a Parallel (Parallel.serial() for one thread)");
    }
    if (trace != null && (trace.batch() != batch || trace.hidden() != hidden)) {
      throw new IllegalArgumentException("trace (batch, hidden) = (" + trace.batch() + ", " + trace.hidden()
          + "); allowed: (" + batch + ", " + hidden + ") like the state");
    }
  }

  private void checkFinite(String name, double[] a) {
    long n = (long) batch * hidden;
    if (a == null || a.length != n) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: a double array of length batch·hidden = " + n);
    }
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + "; allowed: finite numbers");
      }
    }
  }
}
