package org.neurorl.bench;

import java.util.SplittableRandom;

/**
 * Setup and result check shared by the batched two-armed bandit benchmarks ({@link ClassicBanditBenchmark},
 * {@link QBenchmark}): the same arm probabilities for every kernel, and a check that a broken kernel
 * cannot look fast.
 */
final class BanditBenchSupport {
  private BanditBenchSupport() {
  }

  /**
   * Independent arm probabilities for {@code batch} two-armed agents, {@code p[arm * batch + agent]},
   * uniform in [0, 1) from a fixed seed (7) so every kernel and every run sees the same bandits.
   */
  static float[] twoArmProbabilities(int batch) {
    float[] p = new float[2 * batch];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) r.nextDouble();
    }
    return p;
  }

  /**
   * Sum of the cumulative regret of the first {@code min(64, batch)} agents, checked to lie within
   * [0, trials] per agent (NaN fails) and the batch to have played {@code trials} trials.
   *
   * @param regret the batch's cumulative regret per agent
   * @param played the trials the batch has played
   */
  static double checkedRegretSum(double[] regret, int batch, int trials, int played) {
    double sum = 0;
    int n = Math.min(64, batch);
    for (int i = 0; i < n; i++) {
      sum += regret[i];
    }
    if (!(sum >= 0 && sum <= (double) n * trials) || played != trials) {
      throw new IllegalStateException("broken kernel: mean regret " + sum / n + " after " + played + " trials");
    }
    return sum;
  }
}
