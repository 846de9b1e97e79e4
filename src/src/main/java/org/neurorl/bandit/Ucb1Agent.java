package org.neurorl.bandit;

/**
 * UCB1 (Auer, Cesa-Bianchi & Fischer 2002; MODELS.md §4): play every arm once, in arm order, then the
 * arm maximising {@link #score}. Deterministic: ties go to the lower arm.
 */
public final class Ucb1Agent extends CountingAgent {
  public Ucb1Agent(int batch, int arms) {
    super(batch, arms);
  }

  @Override
  public String name() {
    return "ucb1";
  }

  /** {@code mean + sqrt(2 ln t / n)}: the UCB1 index of an arm pulled {@code n ≥ 1} times out of {@code t}. */
  public static double score(int successes, int pulls, int totalPulls) {
    return (double) successes / pulls + Math.sqrt(2.0 * Math.log(totalPulls) / pulls);
  }

  @Override
  protected int choose(int b) {
    int o = b * arms;
    for (int a = 0; a < arms; a++) {
      if (successes[o + a] + failures[o + a] == 0) {
        return a;
      }
    }
    int total = played[b];
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < arms; a++) {
      double s = score(successes[o + a], successes[o + a] + failures[o + a], total);
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    return best;
  }
}
