package org.neurorl.kernel.stats;

import org.neurorl.kernel.Checks;

/** Argument checks shared by the implementations. */
public final class RegretCurveArguments {
  private RegretCurveArguments() {}

  public static void check(int n, int trials, int arms, float[] p, int[] actions, float[] cumulative, double[] sum,
      double[] sumSquares) {
    Checks.range("agents", n, 1, Integer.MAX_VALUE);
    Checks.range("trials", trials, 1, Integer.MAX_VALUE);
    Checks.range("arms", arms, 2, 64);
    Checks.length("probabilities", p, (long) arms * n);
    Checks.length("actions", actions, (long) trials * n);
    Checks.length("cumulative", cumulative, n);
    if (sum == null || sum.length < trials || sumSquares == null || sumSquares.length < trials) {
      throw new IllegalArgumentException("sum/sumSquares length = "
          + (sum == null ? "null" : sum.length) + "/" + (sumSquares == null ? "null" : sumSquares.length)
          + "; allowed: at least trials = " + trials);
    }
  }
}
