package org.neurorl.sim;

/**
 * Mean and spread of a stream of values, added in a fixed order so the result is the same bit for bit
 * whatever the thread count (Welford's update; no parallel merge).
 */
public final class RunningStats {
  private long n;
  private double mean;
  private double m2;

  public void add(double x) {
    n++;
    double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }

  public long count() {
    return n;
  }

  public double mean() {
    return n == 0 ? Double.NaN : mean;
  }

  /** Sample standard deviation (n − 1 in the denominator). */
  public double sd() {
    return n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1));
  }

  /** Half-width of the normal-approximation 95% confidence interval of the mean. */
  public double ci95() {
    return n < 2 ? Double.NaN : 1.959963984540054 * sd() / Math.sqrt(n);
  }
}
