package org.neurorl.kernel.classic;

import org.neurorl.kernel.Parallel;

/** Float64 UCB1, a literal transcription of MODELS.md §4 with plain loops. */
public final class ReferenceUcb1 implements Ucb1Kernel {
  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex) {
    return new ReferenceClassicBatch(ClassicBatch.Strategy.UCB1, agents, arms, seed, firstAgentIndex);
  }

  @Override
  public void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    if (!(batch instanceof ReferenceClassicBatch rb)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by this kernel");
    }
    rb.checkRun(ClassicBatch.Strategy.UCB1, trials, actionsOut, rewardsOut);
    ReferenceClassicTrials.run(rb, trials, parallel, actionsOut, rewardsOut, ReferenceUcb1::choose);
  }

  /** {@code mean + sqrt(2 ln t / n)}: the UCB1 index of an arm pulled {@code n ≥ 1} times out of {@code t}. */
  public static double score(double successes, double pulls, double totalPulls) {
    return successes / pulls + Math.sqrt(2.0 * Math.log(totalPulls) / pulls);
  }

  private static int choose(ReferenceClassicBatch batch, int i, int t) {
    int b = batch.agents(), k = batch.arms();
    double total = 0;
    for (int a = 0; a < k; a++) {
      double n = batch.successes[a * b + i] + batch.failures[a * b + i];
      if (n == 0) {
        return a;
      }
      total += n;
    }
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      double s = batch.successes[a * b + i];
      double score = score(s, s + batch.failures[a * b + i], total);
      if (score > bestScore) {
        bestScore = score;
        best = a;
      }
    }
    return best;
  }
}
