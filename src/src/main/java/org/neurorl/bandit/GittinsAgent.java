package org.neurorl.bandit;

/**
 * Plays the arm with the largest Gittins index at its counts ({@link GittinsIndex}, same discount and
 * prior for every arm). Deterministic: ties (e.g. at the start, when all arms are unplayed) go to the
 * lower arm. Counts beyond the table's {@code maxCount} are an error, so build the table with
 * {@code maxCount} at least the episode length.
 */
public final class GittinsAgent extends CountingAgent {
  private final GittinsIndex table;

  public GittinsAgent(int batch, int arms, GittinsIndex table) {
    super(batch, arms);
    if (table == null) {
      throw new IllegalArgumentException("table is null; allowed: a GittinsIndex");
    }
    this.table = table;
  }

  @Override
  public String name() {
    return "gittins";
  }

  public GittinsIndex table() {
    return table;
  }

  @Override
  protected int choose(int b) {
    if (played[b] > table.maxCount()) {
      throw new IllegalStateException("slot " + b + " has played " + played[b]
          + " trials, beyond the Gittins table's maxCount " + table.maxCount() + "; build a larger table");
    }
    int o = b * arms;
    int best = 0;
    double bestIndex = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < arms; a++) {
      double nu = table.indexUnchecked(successes[o + a], failures[o + a]);
      if (nu > bestIndex) {
        bestIndex = nu;
        best = a;
      }
    }
    return best;
  }
}
