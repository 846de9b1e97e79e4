package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of k-armed Bernoulli bandits whose probabilities reverse once within each episode: the
 * reversal bandit of MODELS.md §5. Probabilities are drawn at each episode start as in
 * {@link BernoulliBandit} ({@link BanditPrior}); at the reversal trial {@code r} of a slot the
 * probabilities are <em>reversed in rank</em>: the arm with the highest probability takes the lowest
 * probability, the second highest the second lowest, and so on (ties broken by arm index, lower index
 * counting as higher rank). For two arms this is the plain swap {@code (p₁, p₂) → (p₂, p₁)}; for
 * {@code k > 2} the best and worst arms exchange their probabilities, as do the second best and second
 * worst, and a middle arm (odd {@code k}) keeps its probability. Trials {@code 0 … r−1} are played with
 * the drawn probabilities and trials {@code r … T−1} with the reversed ones.
 *
 * <p>The reversal trial is either the same in every episode ({@code reversalMin == reversalMax}) or
 * drawn per slot and episode uniformly from {@code reversalMin … reversalMax} (both included, within
 * {@code 1 … T−1} so that both phases are played). The agent is not told that a reversal happened.
 *
 * <p>Observation for recurrent agents (size {@code k + 1}, or {@code k + 2} with the trial input):
 * <pre>
 *   [0, k)   one-hot previous action (all zero at episode start)
 *   k        previous reward (0 at episode start)
 *   k + 1    trial index scaled to [0, 1], t / (T − 1), 1 at the end (with trialInput)
 * </pre>
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counters from {@code e · (k + 1 + T)}: the first {@code k} for the probabilities,
 * one for the reversal trial, then one per trial for the reward. So a slot plays the same episode
 * whichever batch it is simulated in.
 */
public final class ReversalBandit implements BatchEnv {
  /** Keeps this task's streams apart from the agents' and the other tasks' under the same seed. */
  public static final long SALT = 0x5EED_2E7E_25L;

  private final int batch;
  private final int arms;
  private final int trials;
  private final BanditPrior prior;
  private final float[] fixed;
  private final int reversalMin;
  private final int reversalMax;
  private final boolean trialInput;
  private final int[] keys;
  private final float[] p;
  private final int[] reversalTrial;
  private final int[] previousAction;
  private final float[] previousReward;
  private final float[] lastRegret;
  /** Arm order by rank, reused for every slot's reversal (no allocation per step). */
  private final int[] order;
  private final float[] reversedScratch;
  private int trial;
  private long episode;

  /**
   * @param batch slots, at least 1
   * @param arms arms, 2 to 64 (exactly 2 for {@link BanditPrior#CORRELATED})
   * @param trials trials per episode {@code T}, at least 2 (a reversal needs two phases)
   * @param prior how the probabilities are drawn at each episode start
   * @param fixed the probabilities for {@link BanditPrior#FIXED} (length {@code arms}), else ignored
   * @param reversalMin earliest reversal trial, 1 to {@code T − 1}
   * @param reversalMax latest reversal trial, {@code reversalMin} to {@code T − 1}
   * @param trialInput whether the observation carries the scaled trial index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public ReversalBandit(int batch, int arms, int trials, BanditPrior prior, float[] fixed,
      int reversalMin, int reversalMax, boolean trialInput, long seed, long firstSlot) {
    Checks.range("arms", arms, 2, 64);
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / arms);
    Checks.range("trials", trials, 2, 1 << 20);
    Checks.range("reversalMin", reversalMin, 1, trials - 1);
    Checks.range("reversalMax", reversalMax, reversalMin, trials - 1);
    if (prior == null) {
      throw new IllegalArgumentException("prior = null; allowed: independent, correlated, fixed");
    }
    this.batch = batch;
    this.arms = arms;
    this.trials = trials;
    this.prior = prior;
    this.fixed = EnvSupport.checkedPrior(prior, arms, fixed);
    this.reversalMin = reversalMin;
    this.reversalMax = reversalMax;
    this.trialInput = trialInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.p = new float[arms * batch];
    this.reversalTrial = new int[batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
    this.lastRegret = new float[batch];
    this.order = new int[arms];
    this.reversedScratch = new float[arms];
  }

  /** The same reversal trial {@code r} in every episode. */
  public static ReversalBandit atTrial(int batch, int arms, int trials, BanditPrior prior,
      float[] fixed, int reversalTrial, boolean trialInput, long seed, long firstSlot) {
    return new ReversalBandit(batch, arms, trials, prior, fixed, reversalTrial, reversalTrial,
        trialInput, seed, firstSlot);
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

  /**
   * The probabilities in force for the trial about to be played, {@code p[arm * batchSize() + slot]}
   * (read-only by contract; reversed in place when a slot reaches its reversal trial).
   */
  public float[] armProbabilities() {
    return p;
  }

  /** The trial at which slot {@code slot}'s probabilities reverse in the current episode. */
  public int reversalTrial(int slot) {
    return reversalTrial[slot];
  }

  /** Whether slot {@code slot} plays the reversed probabilities in the trial about to be played. */
  public boolean reversed(int slot) {
    return trial >= reversalTrial[slot];
  }

  /** The trial about to be played (0 at episode start). */
  public int trial() {
    return trial;
  }

  private int counterBase() {
    return (int) (episode * (arms + 1 + trials));
  }

  @Override
  public void reset(long episode, float[] observations) {
    if (episode < 0 || episode > Integer.MAX_VALUE / (arms + 1 + trials)) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE / (arms + 1 + trials));
    }
    this.episode = episode;
    this.trial = 0;
    int base = counterBase();
    int span = reversalMax - reversalMin + 1;
    for (int b = 0; b < batch; b++) {
      EnvSupport.drawProbabilities(prior, fixed, keys[b], base, arms, batch, b, p);
      // u < 1 with spacing 2^-24, so floor(u * span) is in [0, span) and uniform for span << 2^24
      reversalTrial[b] = reversalMin + (int) (Rng.uniform(keys[b], base + arms) * span);
      previousAction[b] = -1;
      previousReward[b] = 0f;
      lastRegret[b] = 0f;
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
    EnvSupport.checkActions(actions, batch, arms);
    int counter = counterBase() + arms + 1 + trial;
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      float r = Rng.uniform(keys[b], counter) < p[a * batch + b] ? 1f : 0f;
      lastRegret[b] = expectedRegret(b, a);
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
    }
    trial++;
    for (int b = 0; b < batch; b++) {
      if (trial == reversalTrial[b]) {
        reverse(b);
      }
    }
    boolean done = trial == trials;
    EnvSupport.flags(terminated, truncated, batch, false, done);
    if (observations != null) {
      writeObservations(observations);
    }
  }

  /** Reverses slot {@code b}'s probabilities in rank (see the class comment). */
  private void reverse(int b) {
    reverseInto(p, b, p);
  }

  /**
   * Writes every slot's probabilities after its reversal into {@code out[arm * batchSize() + slot]}
   * (the current episode's, whether or not the reversal has happened yet: applied to the drawn
   * probabilities before trial 0). For simulations that hand whole phases to a batched kernel.
   */
  public void reversedProbabilities(float[] drawn, float[] out) {
    Checks.length("drawn", drawn, (long) arms * batch);
    Checks.length("out", out, (long) arms * batch);
    for (int b = 0; b < batch; b++) {
      reverseInto(drawn, b, out);
    }
  }

  /** Slot {@code b}'s probabilities in {@code from}, reversed in rank, into {@code to} (may be the same array). */
  private void reverseInto(float[] from, int b, float[] to) {
    // insertion sort of the arms by decreasing probability, stable so ties keep arm order
    for (int i = 0; i < arms; i++) {
      int a = i;
      float pa = from[a * batch + b];
      int j = i - 1;
      while (j >= 0 && from[order[j] * batch + b] < pa) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = a;
    }
    for (int rank = 0; rank < arms; rank++) {
      reversedScratch[order[rank]] = from[order[arms - 1 - rank] * batch + b];
    }
    for (int a = 0; a < arms; a++) {
      to[a * batch + b] = reversedScratch[a];
    }
  }

  /**
   * Expected regret of playing {@code action} in slot {@code slot} in the trial about to be played:
   * {@code max(p) − p[action]} under the probabilities in force for that trial. Call it before
   * {@link #step}; after a step use {@link #lastExpectedRegret}, since a reversal may have happened.
   */
  public float expectedRegret(int slot, int action) {
    float best = 0f;
    for (int a = 0; a < arms; a++) {
      best = Math.max(best, p[a * batch + slot]);
    }
    return best - p[action * batch + slot];
  }

  /**
   * Expected regret of the action each slot played in the last {@link #step}, under the
   * probabilities in force for that trial ({@code regret[slot]}, read-only by contract; 0 after reset).
   */
  public float[] lastExpectedRegret() {
    return lastRegret;
  }

  private void writeObservations(float[] obs) {
    int size = observationSize();
    Checks.length("observations", obs, (long) batch * size);
    for (int b = 0; b < batch; b++) {
      int o = b * size;
      Arrays.fill(obs, o, o + size, 0f);
      EnvSupport.previousActionReward(obs, o, 0, arms, previousAction[b], previousReward[b]);
      if (trialInput) {
        obs[o + arms + 1] = EnvSupport.scaledIndex(trial, trials - 1);
      }
    }
  }
}
