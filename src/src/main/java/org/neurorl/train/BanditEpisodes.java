package org.neurorl.train;

import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Rng;

/**
 * The two-armed bandit episode protocol of A2C-SPEC.md, shared by training and evaluation so that a
 * trained network is always fed exactly the inputs it was trained on.
 *
 * <p>Random numbers: episode {@code e} of a run (the {@code e}-th episode over all updates, so update
 * {@code u} plays episodes {@code u·B .. u·B + B − 1}) draws from stream
 * {@code Rng.key(seed ^ SALT, e)}: counters 0 and 1 give the arm probabilities, counter {@code 2 + 2t}
 * the action of trial {@code t} and {@code 3 + 2t} its reward. Everything is a pure function of (seed,
 * episode, trial), so results do not depend on threads or on where a run was resumed.
 */
public final class BanditEpisodes {
  /** Keeps the episode streams apart from the initial-parameter streams {@code Rng.key(seed, tensor)}. */
  public static final long SALT = 0xA2C0_5EEDL;

  private BanditEpisodes() {}

  /** The random stream of episode {@code episode} under {@code seed}. */
  public static int key(long seed, long episode) {
    return Rng.key(seed ^ SALT, episode);
  }

  /** Writes the episode's two arm probabilities into {@code p[0..1]}. */
  public static void probabilities(BanditPrior prior, float[] fixed, int key, float[] p) {
    switch (prior) {
      case INDEPENDENT -> {
        p[0] = Rng.uniform(key, 0);
        p[1] = Rng.uniform(key, 1);
      }
      case CORRELATED -> {
        p[0] = Rng.uniform(key, 0);
        p[1] = 1f - p[0];
      }
      case FIXED -> {
        p[0] = fixed[0];
        p[1] = fixed[1];
      }
    }
  }

  /** The uniform that draws trial {@code t}'s action. */
  public static float actionUniform(int key, int t) {
    return Rng.uniform(key, 2 + 2 * t);
  }

  /** Trial {@code t}'s reward for playing an arm of probability {@code p}: 1 or 0. */
  public static float reward(int key, int t, float p) {
    return Rng.uniform(key, 3 + 2 * t) < p ? 1f : 0f;
  }

  /**
   * Writes the input of trial {@code t} at {@code x[offset ..]}: one-hot previous action (A), previous
   * reward (1), and t/T if {@code trialInput}; all zero at t = 0 ({@code previousAction} &lt; 0).
   */
  public static void input(float[] x, int offset, int actions, int previousAction, float previousReward, int t,
      int trials, boolean trialInput) {
    for (int k = 0; k < actions; k++) {
      x[offset + k] = k == previousAction ? 1f : 0f;
    }
    x[offset + actions] = previousAction < 0 ? 0f : previousReward;
    if (trialInput) {
      x[offset + actions + 1] = (float) t / trials;
    }
  }

  /**
   * Softmax of {@code logits[offset .. offset + actions)} into {@code pi} (float64, max subtracted), and
   * returns log Σ exp(logit), so that log π_k = logit_k − the returned value.
   */
  public static double softmax(float[] logits, int offset, int actions, double[] pi) {
    return softmax(logits, offset, actions, pi, 0);
  }

  /** {@link #softmax(float[], int, int, double[])} writing π at {@code pi[piOffset ..]}. */
  public static double softmax(float[] logits, int offset, int actions, double[] pi, int piOffset) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < actions; k++) {
      max = Math.max(max, logits[offset + k]);
    }
    double sum = 0;
    for (int k = 0; k < actions; k++) {
      double e = Math.exp(logits[offset + k] - max);
      pi[piOffset + k] = e;
      sum += e;
    }
    for (int k = 0; k < actions; k++) {
      pi[piOffset + k] /= sum;
    }
    return max + Math.log(sum);
  }

  /** The action drawn with uniform {@code u} from probabilities {@code pi}: inverse CDF. */
  public static int sample(double[] pi, int actions, float u) {
    return sample(pi, 0, actions, u);
  }

  /** {@link #sample(double[], int, float)} reading π at {@code pi[offset ..]}. */
  public static int sample(double[] pi, int offset, int actions, float u) {
    double cumulative = 0;
    for (int k = 0; k < actions - 1; k++) {
      cumulative += pi[offset + k];
      if (u < cumulative) {
        return k;
      }
    }
    return actions - 1;
  }
}
