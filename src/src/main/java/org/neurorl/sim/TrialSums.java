package org.neurorl.sim;

/**
 * Per-trial sums of cumulative regret (and its square) over the agents of one block, plus per-episode
 * totals. Blocks are merged in block order, so a run's statistics depend on its block size (part of
 * the spec) but never on the number of threads.
 */
final class TrialSums {
  final double[] sum;
  final double[] sumSquares;
  /** Correct choices per trial (cue–action task; whole numbers, so exact in any order). */
  final double[] correct;
  long agents;
  double rewardFraction;
  double suboptimalFraction;

  TrialSums(int trials) {
    sum = new double[trials];
    sumSquares = new double[trials];
    correct = new double[trials];
  }

  void clear() {
    java.util.Arrays.fill(sum, 0);
    java.util.Arrays.fill(sumSquares, 0);
    java.util.Arrays.fill(correct, 0);
    agents = 0;
    rewardFraction = 0;
    suboptimalFraction = 0;
  }

  void merge(TrialSums o) {
    for (int t = 0; t < sum.length; t++) {
      sum[t] += o.sum[t];
      sumSquares[t] += o.sumSquares[t];
      correct[t] += o.correct[t];
    }
    agents += o.agents;
    rewardFraction += o.rewardFraction;
    suboptimalFraction += o.suboptimalFraction;
  }

  double mean(int t) {
    return agents == 0 ? Double.NaN : sum[t] / agents;
  }

  double sd(int t) {
    if (agents < 2) {
      return Double.NaN;
    }
    double m = sum[t] / agents;
    return Math.sqrt(Math.max(0, (sumSquares[t] - agents * m * m) / (agents - 1)));
  }

  double ci95(int t) {
    return agents < 2 ? Double.NaN : 1.959963984540054 * sd(t) / Math.sqrt(agents);
  }
}
