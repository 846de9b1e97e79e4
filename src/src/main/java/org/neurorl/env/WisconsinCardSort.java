package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of Wisconsin card sorting tasks (MODELS.md §5). Each trial shows a card with three
 * features, colour, shape and number, each taking one of 4 values (64 cards, drawn uniformly with
 * replacement). The 4 actions are the 4 key cards; key card {@code k} has value {@code k} in every
 * feature (as one red triangle, two green stars, three yellow crosses, four blue circles). Sorting
 * the card under key card {@code k} is correct when the card's value in the feature named by the
 * current rule is {@code k}; reward 1 if correct, 0 if not. The rule is hidden: the agent learns it
 * from the rewards.
 *
 * <p>The rule switches after a run of {@code runLength} (default 10) consecutive correct choices:
 * the trial after the {@code runLength}-th correct choice in a row is played under a new rule, the
 * run count restarts at 0 and one category is counted as completed. A wrong choice resets the run
 * count to 0. The new rule is either the next in the classic order colour → shape → number → colour
 * ({@code cyclic}) or drawn uniformly from the two other features; the first rule is colour when
 * cyclic, else drawn uniformly from the three. Ambiguous cards (matching a key card in several
 * features) are kept, as in the original deck; the rule alone decides.
 *
 * <p>Observation for recurrent agents (size 17, or 18 with the trial input):
 * <pre>
 *   [0, 4)    one-hot colour of the card to sort      (all zero after the last trial)
 *   [4, 8)    one-hot shape
 *   [8, 12)   one-hot number (value v means v + 1 symbols)
 *   [12, 16)  one-hot previous action (all zero at episode start)
 *   16        previous reward (0 at episode start)
 *   17        trial index scaled to [0, 1], t / (T − 1), 1 at the end (with trialInput)
 * </pre>
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counters from {@code e · (1 + 2T)}: one for the first rule, one per trial for the
 * card, and one per trial for the new rule when a switch follows that trial.
 */
public final class WisconsinCardSort implements BatchEnv {
  /** Keeps this task's streams apart from the agents' and the other tasks' under the same seed. */
  public static final long SALT = 0x3C5_7CA2DL;

  /** Features, in the order of the observation and of the rule index. */
  public static final int COLOUR = 0, SHAPE = 1, NUMBER = 2;
  public static final int FEATURES = 3;
  /** Values per feature, and key cards (actions). */
  public static final int VALUES = 4;

  private static final int CARD_INPUTS = FEATURES * VALUES;

  private final int batch;
  private final int trials;
  private final int runLength;
  private final boolean cyclic;
  private final boolean trialInput;
  private final int[] keys;
  /** The card of the trial about to be played: colour + 4·shape + 16·number, or −1 after the end. */
  private final int[] card;
  private final int[] rule;
  /** The rule before the last switch, −1 before the first (perseverative errors follow it). */
  private final int[] previousRule;
  private final int[] run;
  private final int[] categories;
  private final int[] previousAction;
  private final float[] previousReward;
  private int trial;
  private long episode;

  /**
   * @param batch slots, at least 1
   * @param trials trials per episode {@code T}, at least 2
   * @param runLength consecutive correct choices after which the rule switches, at least 1
   * @param cyclic whether rules follow colour → shape → number → colour (else drawn at random)
   * @param trialInput whether the observation carries the scaled trial index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public WisconsinCardSort(int batch, int trials, int runLength, boolean cyclic, boolean trialInput,
      long seed, long firstSlot) {
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / (CARD_INPUTS + VALUES + 2));
    Checks.range("trials", trials, 2, 1 << 20);
    Checks.range("runLength", runLength, 1, 1 << 20);
    this.batch = batch;
    this.trials = trials;
    this.runLength = runLength;
    this.cyclic = cyclic;
    this.trialInput = trialInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.card = new int[batch];
    this.rule = new int[batch];
    this.previousRule = new int[batch];
    this.run = new int[batch];
    this.categories = new int[batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int observationSize() {
    return CARD_INPUTS + VALUES + 1 + (trialInput ? 1 : 0);
  }

  @Override
  public int actionCount() {
    return VALUES;
  }

  public int trials() {
    return trials;
  }

  public int runLength() {
    return runLength;
  }

  /** The trial about to be played (0 at episode start). */
  public int trial() {
    return trial;
  }

  /** The rule (feature {@link #COLOUR}, {@link #SHAPE} or {@link #NUMBER}) of the trial about to be played. */
  public int rule(int slot) {
    return rule[slot];
  }

  /** Value 0–3 of {@code feature} of the card about to be sorted in {@code slot} (−1 after the end). */
  public int cardFeature(int slot, int feature) {
    int c = card[slot];
    return c < 0 ? -1 : (c >> (2 * feature)) & 3;
  }

  /** The key card that is correct for the card about to be sorted (−1 after the end). */
  public int correctAction(int slot) {
    return cardFeature(slot, rule[slot]);
  }

  /**
   * The rule in force before the last switch, −1 if the rule has not switched in this episode: a
   * wrong choice that sorts by this rule is a perseverative error.
   */
  public int previousRule(int slot) {
    return previousRule[slot];
  }

  /** Consecutive correct choices under the current rule so far. */
  public int run(int slot) {
    return run[slot];
  }

  /** Rule switches so far in this episode (categories completed). */
  public int categoriesCompleted(int slot) {
    return categories[slot];
  }

  private int counterBase() {
    return (int) (episode * (1 + 2L * trials));
  }

  private int drawCard(int b, int t) {
    return (int) (Rng.uniform(keys[b], counterBase() + 1 + t) * (VALUES * VALUES * VALUES));
  }

  @Override
  public void reset(long episode, float[] observations) {
    if (episode < 0 || episode > Integer.MAX_VALUE / (1 + 2L * trials)) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE / (1 + 2L * trials));
    }
    this.episode = episode;
    this.trial = 0;
    int base = counterBase();
    for (int b = 0; b < batch; b++) {
      rule[b] = cyclic ? COLOUR : (int) (Rng.uniform(keys[b], base) * FEATURES);
      run[b] = 0;
      categories[b] = 0;
      previousRule[b] = -1;
      card[b] = drawCard(b, 0);
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
    EnvSupport.checkActions(actions, batch, VALUES);
    boolean done = trial + 1 == trials;
    int switchCounter = counterBase() + 1 + trials + trial;
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      boolean correct = a == correctAction(b);
      float r = correct ? 1f : 0f;
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
      run[b] = correct ? run[b] + 1 : 0;
      if (run[b] == runLength) {
        run[b] = 0;
        categories[b]++;
        // one of the two other features: skip ahead by 1 or 2 (cyclic: always 1)
        previousRule[b] = rule[b];
        int skip = cyclic ? 1 : 1 + (Rng.uniform(keys[b], switchCounter) < 0.5f ? 0 : 1);
        rule[b] = (rule[b] + skip) % FEATURES;
      }
      card[b] = done ? -1 : drawCard(b, trial + 1);
    }
    trial++;
    EnvSupport.flags(terminated, truncated, batch, false, done);
    if (observations != null) {
      writeObservations(observations);
    }
  }

  private void writeObservations(float[] obs) {
    int size = observationSize();
    Checks.length("observations", obs, (long) batch * size);
    for (int b = 0; b < batch; b++) {
      int o = b * size;
      Arrays.fill(obs, o, o + size, 0f);
      if (card[b] >= 0) {
        for (int f = 0; f < FEATURES; f++) {
          obs[o + f * VALUES + cardFeature(b, f)] = 1f;
        }
      }
      EnvSupport.previousActionReward(obs, o, CARD_INPUTS, CARD_INPUTS + VALUES, previousAction[b],
          previousReward[b]);
      if (trialInput) {
        obs[o + CARD_INPUTS + VALUES + 1] = EnvSupport.scaledIndex(trial, trials - 1);
      }
    }
  }
}
