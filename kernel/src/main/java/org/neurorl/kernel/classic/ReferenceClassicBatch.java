package org.neurorl.kernel.classic;

import java.util.Arrays;

/** The float64 state of the reference kernels (same layout as {@link ClassicBatch} documents). */
public final class ReferenceClassicBatch extends ClassicBatch {
  final double[] successes;
  final double[] failures;
  final double[] regret;
  final double[] rewardSum;
  final double[] suboptimal;

  ReferenceClassicBatch(Strategy strategy, int agents, int arms, long seed, long firstAgentIndex) {
    super(strategy, agents, arms, seed, firstAgentIndex);
    successes = new double[countsLength()];
    failures = new double[countsLength()];
    regret = new double[agents];
    rewardSum = new double[agents];
    suboptimal = new double[agents];
    reset(0);
  }

  @Override
  protected void clear() {
    Arrays.fill(successes, 0);
    Arrays.fill(failures, 0);
    Arrays.fill(regret, 0);
    Arrays.fill(rewardSum, 0);
    Arrays.fill(suboptimal, 0);
  }

  @Override
  public long stateBytes() {
    return 8L * (2L * countsLength() + 3L * agents()) + 4L * (rewardProbabilities.length + keys.length);
  }

  @Override
  public void successes(double[] out) {
    copy(successes, out);
  }

  @Override
  public void failures(double[] out) {
    copy(failures, out);
  }

  @Override
  protected void storeCounts(double[] s, double[] f) {
    System.arraycopy(s, 0, successes, 0, successes.length);
    System.arraycopy(f, 0, failures, 0, failures.length);
  }

  @Override
  public void cumulativeRegret(double[] out) {
    copy(regret, out);
  }

  @Override
  public void rewardSums(double[] out) {
    copy(rewardSum, out);
  }

  @Override
  public void suboptimalPulls(double[] out) {
    copy(suboptimal, out);
  }

  private static void copy(double[] from, double[] out) {
    checkOut("out", out, from.length);
    System.arraycopy(from, 0, out, 0, from.length);
  }
}
