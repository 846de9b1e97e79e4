package org.neurorl.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark cell's result, reduced from JMH's {@code RunResult}: the score of each fork (each
 * the mean of its measurement iterations) and their median, which is the number the report uses.
 * The median of forks, not the mean of all iterations, because on this machine a fork is sometimes
 * slowed as a whole (the two vCPUs land on one core, or C2 compiles the kernel differently).
 *
 * @param benchmark simple class name, e.g. {@code PlasticRnnBenchmark}
 * @param method benchmark method, e.g. {@code simd}
 * @param params JMH parameters of the cell
 * @param threads JMH threads of the cell
 * @param forkScores per-fork scores in {@code unit}
 * @param unit JMH score unit, e.g. {@code ops/s}
 * @param allocBytesPerOp GC profiler's {@code gc.alloc.rate.norm}, NaN when not measured
 */
public record Measurement(String benchmark, String method, Map<String, String> params, int threads,
    double[] forkScores, String unit, double allocBytesPerOp) {

  public Measurement {
    if (forkScores.length == 0) {
      throw new IllegalArgumentException("forkScores.length = 0; allowed: at least one fork");
    }
    params = Map.copyOf(new TreeMap<>(params));
    forkScores = forkScores.clone();
  }

  /** Median of the fork scores (mean of the middle two for an even count). */
  public double score() {
    return median(forkScores);
  }

  /** Smallest and largest fork score: the spread the median hides. */
  public double minScore() {
    return Arrays.stream(forkScores).min().orElseThrow();
  }

  public double maxScore() {
    return Arrays.stream(forkScores).max().orElseThrow();
  }

  @Override
  public double[] forkScores() {
    return forkScores.clone();
  }

  /** Integer parameter {@code name}, or {@code fallback} when the cell has no such parameter. */
  public long longParam(String name, long fallback) {
    String v = params.get(name);
    return v == null ? fallback : Long.parseLong(v.trim());
  }

  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values.length = 0; allowed: at least one value");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
  }
}
