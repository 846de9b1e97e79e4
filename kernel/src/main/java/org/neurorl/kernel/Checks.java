package org.neurorl.kernel;

/**
 * Argument checks that throw {@link IllegalArgumentException} naming the parameter, the value given
 * and what is allowed. Used at every public kernel entry point (once per call, never per element in a
 * hot loop).
 */
public final class Checks {
  private Checks() {}

  /** A rate in (0, 1]. */
  public static float rate(String name, float value) {
    if (!(value > 0f && value <= 1f)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: a rate in (0, 1]");
    }
    return value;
  }

  /** A finite value greater than 0. */
  public static float positive(String name, float value) {
    if (!(value > 0f) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: a finite value > 0");
    }
    return value;
  }

  /** A finite value at least 0. */
  public static float nonNegative(String name, float value) {
    if (!(value >= 0f) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: a finite value >= 0");
    }
    return value;
  }

  /** Any finite value. */
  public static float finite(String name, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: a finite number");
    }
    return value;
  }

  /** A probability in [0, 1]. */
  public static float probability(String name, float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: a probability in [0, 1]");
    }
    return value;
  }

  /** An integer in [min, max]. */
  public static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: " + min + " to " + max);
    }
    return value;
  }

  /** An array of exactly {@code length} finite values. */
  public static float[] finiteArray(String name, float[] a, long length) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null; allowed: a float array of length " + length);
    }
    if (a.length != length) {
      throw new IllegalArgumentException(name + ".length = " + a.length + "; allowed: exactly " + length);
    }
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + "; allowed: finite numbers");
      }
    }
    return a;
  }

  /** An array of exactly {@code length} probabilities, each in [0, 1]. */
  public static float[] probabilities(String name, float[] a, long length) {
    finiteArray(name, a, length);
    for (int i = 0; i < a.length; i++) {
      if (!(a[i] >= 0f && a[i] <= 1f)) { // the name is built only on failure (a String per element cost 40 ns)
        probability(name + "[" + i + "]", a[i]);
      }
    }
    return a;
  }

  /** An array of at least {@code length} elements (inputs and outputs of a batched call). */
  public static void length(String name, float[] a, long length) {
    if (a == null || a.length < length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: a float array of length >= " + length);
    }
  }

  /** An array of at least {@code length} elements. */
  public static void length(String name, int[] a, long length) {
    if (a == null || a.length < length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: an int array of length >= " + length);
    }
  }
}
