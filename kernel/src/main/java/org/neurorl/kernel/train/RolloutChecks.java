package org.neurorl.kernel.train;

import org.neurorl.kernel.Parallel;

/**
 * The argument checks every {@link RecurrentNetwork} implementation shares (LSTM and plastic, reference and
 * fast), so they reject the same inputs with the same messages ({@link IllegalArgumentException} naming the
 * argument, its value and what is allowed; {@link IllegalStateException} for a rollout used out of turn).
 * Network-specific size limits stay with each network (e.g. {@code LstmRolloutChecks.sizes}).
 */
public final class RolloutChecks {
  /** Most steps one rollout may record. */
  public static final int MAX_STEPS = 1 << 20;

  private RolloutChecks() {}

  /** A thread pool is given. */
  public static void pool(Parallel pool) {
    if (pool == null) {
      throw new IllegalArgumentException("pool is null; allowed: a Parallel (Parallel.serial() for one thread)");
    }
  }

  /** Length exactly {@code layout.size()}, every value finite; a bad value is named by tensor and index. */
  public static void parameters(ParameterLayout layout, float[] parameters) {
    if (parameters == null) {
      throw new IllegalArgumentException("parameters is null; allowed: a float array of length " + layout.size()
          + " (" + layout.names() + ")");
    }
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("parameters.length = " + parameters.length + "; allowed: exactly "
          + layout.size() + " (tensors " + layout.tensors() + ")");
    }
    for (int i = 0; i < parameters.length; i++) {
      if (!Float.isFinite(parameters[i])) {
        ParameterLayout.Tensor t = layout.tensorAt(i);
        throw new IllegalArgumentException("parameters[" + i + "] (tensor " + t.name() + ", element "
            + (i - t.offset()) + ") = " + parameters[i] + "; allowed: finite numbers");
      }
    }
  }

  /** The double twin of {@link #parameters(ParameterLayout, float[])}. */
  public static void parameters(ParameterLayout layout, double[] parameters) {
    if (parameters == null || parameters.length != layout.size()) {
      throw new IllegalArgumentException("parameters" + (parameters == null ? " is null" : ".length = "
          + parameters.length) + "; allowed: a double array of length exactly " + layout.size());
    }
    for (int i = 0; i < parameters.length; i++) {
      if (!Double.isFinite(parameters[i])) {
        ParameterLayout.Tensor t = layout.tensorAt(i);
        throw new IllegalArgumentException("parameters[" + i + "] (tensor " + t.name() + ", element "
            + (i - t.offset()) + ") = " + parameters[i] + "; allowed: finite numbers");
      }
    }
  }

  /** An array of exactly {@code length} elements. */
  public static void exactLength(String name, float[] a, long length) {
    if (a == null || a.length != length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: a float array of length exactly " + length);
    }
  }

  /** An array of exactly {@code length} elements. */
  public static void exactLength(String name, double[] a, long length) {
    if (a == null || a.length != length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: a double array of length exactly " + length);
    }
  }

  /** Exactly {@code steps·batch·per} finite values (step-major, then agent); a bad one is named by step and agent. */
  public static void derivatives(String name, float[] a, int steps, int batch, int per) {
    exactLength(name, a, (long) steps * batch * per);
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] (step " + i / (batch * per) + ", agent "
            + i / per % batch + ") = " + a[i] + "; allowed: finite numbers");
      }
    }
  }

  /** The double twin of {@link #derivatives(String, float[], int, int, int)}. */
  public static void derivatives(String name, double[] a, int steps, int batch, int per) {
    exactLength(name, a, (long) steps * batch * per);
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] (step " + i / (batch * per) + ", agent "
            + i / per % batch + ") = " + a[i] + "; allowed: finite numbers");
      }
    }
  }

  /** The rollout has not been closed. */
  public static void open(boolean closed) {
    if (closed) {
      throw new IllegalStateException("this rollout is closed");
    }
  }

  /** A step is allowed: the rollout is open and has room. */
  public static void canStep(boolean closed, int steps, int maxSteps) {
    open(closed);
    if (steps >= maxSteps) {
      throw new IllegalStateException("this rollout already holds maxSteps = " + maxSteps
          + " steps; begin a new rollout with a larger maxSteps");
    }
  }

  /** {@code t} names a recorded step. */
  public static void recordedStep(boolean closed, int t, int steps) {
    open(closed);
    if (t < 0 || t >= steps) {
      throw new IllegalArgumentException("t = " + t + "; allowed: 0 to " + (steps - 1) + " (steps recorded)");
    }
  }
}
