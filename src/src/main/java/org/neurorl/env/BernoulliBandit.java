package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of k-armed Bernoulli bandits with episodes of {@code trials} trials (MODELS.md §5). Arm
 * probabilities are drawn per slot at each episode start from the slot's own random stream.
 *
 * <p>Observation for recurrent agents: one-hot previous action ({@code k}), previous reward (1), and,
 * if asked, the trial index scaled to [0, 1] (1). The first observation of an episode is all zero.
 *
 * <p>The arm probabilities are kept in the layout the batched Q kernels read directly,
 * {@code p[arm * batch + slot]}, so a simulation can hand the whole episode to a fused kernel
 * ({@link #armProbabilities()}) instead of stepping trial by trial.
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counters from {@code e · (k + trials)}: the first {@code k} for the probabilities,
 * then one per trial for the reward.
 */
public final class BernoulliBandit implements BatchEnv {
  /** Keeps the environment's streams apart from the agents' streams under the same seed. */
  public static final long SALT = 0x5EED_BA4D_17L;

  private final int batch;
  private final int arms;
  private final int trials;
  private final BanditPrior prior;
  private final float[] fixed;
  private final boolean trialInput;
  private final int[] keys;
  private final float[] p;
  private final int[] previousAction;
  private final float[] previousReward;
  private int trial;
  private long episode;

  /**
   * @param batch slots, at least 1
   * @param arms arms, at least 2 (exactly 2 for {@link BanditPrior#CORRELATED})
   * @param trials trials per episode, at least 1
   * @param prior how probabilities are drawn
   * @param fixed the probabilities for {@link BanditPrior#FIXED} (length {@code arms}), else ignored
   * @param trialInput whether the observation carries the scaled trial index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population (so results do not depend on batching)
   */
  public BernoulliBandit(int batch, int arms, int trials, BanditPrior prior, float[] fixed,
      boolean trialInput, long seed, long firstSlot) {
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / Math.max(2, arms));
    Checks.range("arms", arms, 2, 64);
    Checks.range("trials", trials, 1, 1 << 20);
    this.batch = batch;
    this.arms = arms;
    this.trials = trials;
    this.prior = prior;
    this.fixed = EnvSupport.checkedPrior(prior, arms, fixed);
    this.trialInput = trialInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.p = new float[arms * batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int observationSize() {
    return arms + 1 + (trialInput ? 1 : 0);
  }

  @Override
  public int actionCount() {
    return arms;
  }

  public int trials() {
    return trials;
  }

  public BanditPrior prior() {
    return prior;
  }

  /** The current episode's probabilities, {@code p[arm * batchSize() + slot]} (read-only by contract). */
  public float[] armProbabilities() {
    return p;
  }

  /** The trial about to be played (0 at episode start). */
  public int trial() {
    return trial;
  }

  private int counterBase() {
    return (int) (episode * (arms + trials));
  }

  @Override
  public void reset(long episode, float[] observations) {
    if (episode < 0 || episode * (arms + trials) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE / (arms + trials));
    }
    this.episode = episode;
    this.trial = 0;
    int base = counterBase();
    for (int b = 0; b < batch; b++) {
      EnvSupport.drawProbabilities(prior, fixed, keys[b], base, arms, batch, b, p);
      previousAction[b] = -1;
      previousReward[b] = 0f;
    }
    if (observations != null) {
      writeObservations(observations);
    }
  }

  @Override
  public void step(int[] actions, float[] observations, float[] rewards, boolean[] terminated,
      boolean[] truncated) {
    Checks.length("actions", actions, batch);
    Checks.length("rewards", rewards, batch);
    if (trial >= trials) {
      throw new IllegalStateException("the episode has ended after " + trials + " trials; call reset");
    }
    int counter = counterBase() + arms + trial;
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      if (a < 0 || a >= arms) {
        throw new IllegalArgumentException("actions[" + b + "] = " + a + "; allowed: 0 to " + (arms - 1));
      }
      float r = Rng.uniform(keys[b], counter) < p[a * batch + b] ? 1f : 0f;
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
    }
    trial++;
    boolean done = trial == trials;
    EnvSupport.flags(terminated, truncated, batch, false, done);
    if (observations != null) {
      writeObservations(observations);
    }
  }

  /** Expected regret of playing {@code action} in slot {@code slot}: {@code max(p) − p[action]}. */
  public float expectedRegret(int slot, int action) {
    float best = 0f;
    for (int a = 0; a < arms; a++) {
      best = Math.max(best, p[a * batch + slot]);
    }
    return best - p[action * batch + slot];
  }

  private void writeObservations(float[] obs) {
    int size = observationSize();
    Checks.length("observations", obs, (long) batch * size);
    for (int b = 0; b < batch; b++) {
      int o = b * size;
      Arrays.fill(obs, o, o + size, 0f);
      EnvSupport.previousActionReward(obs, o, 0, arms, previousAction[b], previousReward[b]);
      if (trialInput) {
        obs[o + arms + 1] = trials == 1 ? 0f : (float) trial / (trials - 1);
      }
    }
  }
}
