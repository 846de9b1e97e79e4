package org.neurorl.plot;

/**
 * One line of a figure: a per-trial mean and the half-width of its normal 95% interval; element
 * {@code t} belongs to trial {@code t + 1}.
 *
 * @param agent the agent's short name (e.g. {@code ucb1}), used in file names and CSV columns
 * @param label what the legend says
 * @param mean per-trial mean
 * @param ci95 per-trial half-width of the 95% interval
 * @param samples episodes behind every mean
 */
public record TrialCurve(String agent, String label, double[] mean, double[] ci95, long samples) {
  public TrialCurve {
    if (mean == null || ci95 == null || mean.length == 0 || mean.length != ci95.length) {
      throw new IllegalArgumentException("mean and ci95 must be non-empty and of equal length; got "
          + (mean == null ? "null" : mean.length) + " and " + (ci95 == null ? "null" : ci95.length));
    }
    mean = mean.clone();
    ci95 = ci95.clone();
    for (int t = 0; t < mean.length; t++) {
      if (!Double.isFinite(mean[t])) {
        throw new IllegalArgumentException(agent + " mean[" + t + "] = " + mean[t] + "; allowed: finite numbers");
      }
    }
  }

  public int trials() {
    return mean.length;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] ci95() {
    return ci95.clone();
  }
}
