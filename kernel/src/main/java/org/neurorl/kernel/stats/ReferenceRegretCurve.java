package org.neurorl.kernel.stats;

/** Plain loops: the float32 cumulative regret of each agent, summed in float64 in agent order. */
public final class ReferenceRegretCurve implements RegretCurveKernel {
  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public long accumulate(int n, int trials, int arms, float[] p, int[] actions, float[] cumulative,
      double[] sum, double[] sumSquares) {
    RegretCurveArguments.check(n, trials, arms, p, actions, cumulative, sum, sumSquares);
    long wrong = 0;
    java.util.Arrays.fill(cumulative, 0, n, 0f);
    for (int t = 0; t < trials; t++) {
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) {
        float best = 0f;
        for (int a = 0; a < arms; a++) {
          best = Math.max(best, p[a * n + i]);
        }
        int a = actions[t * n + i];
        if (a < 0 || a >= arms) {
          throw new IllegalArgumentException("actions[" + (t * n + i) + "] = " + a + "; allowed: 0 to " + (arms - 1));
        }
        float r = best - p[a * n + i];
        if (r > 0f) {
          wrong++;
        }
        float c = cumulative[i] + r;
        cumulative[i] = c;
        s += c;
        s2 += (double) c * c;
      }
      sum[t] += s;
      sumSquares[t] += s2;
    }
    return wrong;
  }
}
