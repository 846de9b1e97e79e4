package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * Code the batched tasks of this package share: one random stream per slot, the bandit priors, the
 * action checks, the episode flags and the previous-action/reward part of the observation. Kept in
 * one place so that every task draws, checks and encodes these the same way (same seed → same
 * numbers across tasks).
 */
final class EnvSupport {
  private EnvSupport() {
  }

  /**
   * One counter-based stream per slot: slot {@code b} uses {@code Rng.key(seed ^ salt, firstSlot + b)},
   * so a slot plays the same episodes whichever batch it is simulated in.
   */
  static int[] slotKeys(long seed, long salt, long firstSlot, int batch) {
    int[] keys = new int[batch];
    for (int b = 0; b < batch; b++) {
      keys[b] = Rng.key(seed ^ salt, firstSlot + b);
    }
    return keys;
  }

  /**
   * Checks the arm count and fixed probabilities against {@code prior} and returns a private copy
   * of {@code fixed} (null if it was null).
   */
  static float[] checkedPrior(BanditPrior prior, int arms, float[] fixed) {
    if (prior == BanditPrior.CORRELATED && arms != 2) {
      throw new IllegalArgumentException("arms = " + arms + "; allowed: 2 with the correlated prior");
    }
    if (prior == BanditPrior.FIXED) {
      if (fixed == null || fixed.length != arms) {
        throw new IllegalArgumentException("probabilities = " + Arrays.toString(fixed)
            + "; allowed: " + arms + " probabilities in [0, 1] for the fixed task");
      }
      for (int a = 0; a < arms; a++) {
        Checks.probability("probabilities[" + a + "]", fixed[a]);
      }
    }
    return fixed == null ? null : fixed.clone();
  }

  /**
   * Draws slot {@code b}'s arm probabilities for an episode into {@code p[arm * batch + b]} from
   * counters {@code base … base + arms − 1} of stream {@code key} (MODELS.md §5).
   */
  static void drawProbabilities(BanditPrior prior, float[] fixed, int key, int base, int arms,
      int batch, int b, float[] p) {
    switch (prior) {
      case INDEPENDENT -> {
        for (int a = 0; a < arms; a++) {
          p[a * batch + b] = Rng.uniform(key, base + a);
        }
      }
      case CORRELATED -> {
        float p1 = Rng.uniform(key, base);
        p[b] = p1;
        p[batch + b] = 1f - p1;
      }
      case FIXED -> {
        for (int a = 0; a < arms; a++) {
          p[a * batch + b] = fixed[a];
        }
      }
    }
  }

  /** Every action in {@code 0 … count−1}, else an IllegalArgumentException naming the slot. */
  static void checkActions(int[] actions, int batch, int count) {
    for (int b = 0; b < batch; b++) {
      if (actions[b] < 0 || actions[b] >= count) {
        throw new IllegalArgumentException("actions[" + b + "] = " + actions[b] + "; allowed: 0 to "
            + (count - 1));
      }
    }
  }

  /** Fills the optional episode flags of a step (either array may be null). */
  static void flags(boolean[] terminated, boolean[] truncated, int batch, boolean isTerminated,
      boolean isTruncated) {
    if (terminated != null) {
      Arrays.fill(terminated, 0, batch, isTerminated);
    }
    if (truncated != null) {
      Arrays.fill(truncated, 0, batch, isTruncated);
    }
  }

  /**
   * Writes the one-hot previous action (nothing at episode start, {@code previousAction < 0}) from
   * {@code obs[o + actionOffset]} and the previous reward at {@code obs[o + rewardOffset]}.
   */
  static void previousActionReward(float[] obs, int o, int actionOffset, int rewardOffset,
      int previousAction, float previousReward) {
    if (previousAction >= 0) {
      obs[o + actionOffset + previousAction] = 1f;
    }
    obs[o + rewardOffset] = previousReward;
  }

  /** The index {@code t} scaled to [0, 1] over {@code 0 … last} (held at 1 past the end; 0 if last is 0). */
  static float scaledIndex(int t, int last) {
    return last == 0 ? 0f : (float) Math.min(t, last) / last;
  }
}
