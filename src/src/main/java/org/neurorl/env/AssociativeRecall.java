package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of associative recall tasks over random binary patterns (MODELS.md §5). Each episode draws,
 * per slot, {@code P} key → value pairs of {@code L}-bit patterns: the keys are distinct (uniform over
 * the {@code 2^L} patterns without replacement, so {@code P ≤ 2^L}), the values independent and
 * uniform (they may repeat). The episode has {@code P + Q} steps: a study phase of {@code P} steps,
 * step {@code i} showing key {@code i} together with value {@code i}, then {@code Q} query steps, each
 * showing one key (a pair drawn uniformly, with replacement) and no value. The agent answers a query
 * with the value's pattern; reward 1 if every bit is right, else 0. Study-step actions have no effect
 * (reward 0). The episode is terminated after the last query.
 *
 * <p>Actions: the answer is the {@code L} output bits packed into one discrete action, action
 * {@code a} meaning the pattern whose bit {@code i} is {@code (a >> i) & 1}; so there are
 * {@code 2^L} actions ({@code L ≤ 8}, 256 actions). This keeps the task usable by any agent with a
 * discrete action set and makes the answer genuine recall: choosing among the {@code P} pairs by
 * position would only need the position of the key, not the value.
 *
 * <p>Patterns in the observation are bipolar: bit 1 → +1, bit 0 → −1, and 0 where no pattern is
 * shown, so "no value" is distinguishable from the all-zero pattern. Observation (size
 * {@code 2L + 2^L + 2}, or {@code 2L + 2^L + 3} with the step input):
 * <pre>
 *   [0, L)                 key pattern (±1)
 *   [L, 2L)                value pattern (±1) during study, 0 at queries
 *   2L                     query: 1 at a query step, else 0
 *   [2L+1, 2L+1+2^L)       one-hot previous action (all zero at episode start)
 *   2L+1+2^L               previous reward (0 at episode start)
 *   2L+2+2^L               step index scaled to [0, 1], s / (P + Q − 1)   (only with stepInput)
 * </pre>
 * All inputs are zero after the last step, except the previous action and reward.
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counters from {@code e · (2P + Q)}: {@code P} for the keys, {@code P} for the values,
 * one per query for the queried pair.
 */
public final class AssociativeRecall implements BatchEnv {
  /** Keeps this task's streams apart from the agents' and the other tasks' under the same seed. */
  public static final long SALT = 0xA550_C1A7EL;

  private final int batch;
  private final int pairs;
  private final int length;
  private final int queries;
  private final int actions;
  private final boolean stepInput;
  private final int[] keys;
  /** Key patterns {@code [slot * P + pair]}. */
  private final int[] keyPattern;
  /** Value patterns {@code [slot * P + pair]}. */
  private final int[] valuePattern;
  /** The pair queried at the step about to be played, −1 during study and after the end. */
  private final int[] queried;
  private final int[] previousAction;
  private final float[] previousReward;
  /** Keys drawn so far for one slot, ascending (to draw the next one among the unused patterns). */
  private final int[] sortedScratch;
  private int step;
  private long episode;
  private boolean ended;

  /**
   * @param batch slots, at least 1
   * @param pairs key → value pairs {@code P}, 1 to {@code min(2^L, 256)}
   * @param length bits per pattern {@code L}, 1 to 8
   * @param queries query steps {@code Q}, 1 to 2²⁰
   * @param stepInput whether the observation carries the scaled step index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public AssociativeRecall(int batch, int pairs, int length, int queries, boolean stepInput,
      long seed, long firstSlot) {
    Checks.range("length", length, 1, 8);
    Checks.range("pairs", pairs, 1, 1 << length);
    Checks.range("queries", queries, 1, 1 << 20);
    int obs = 2 * length + (1 << length) + 3;
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / Math.max(obs, pairs));
    this.batch = batch;
    this.pairs = pairs;
    this.length = length;
    this.queries = queries;
    this.actions = 1 << length;
    this.stepInput = stepInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.keyPattern = new int[batch * pairs];
    this.valuePattern = new int[batch * pairs];
    this.queried = new int[batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
    this.sortedScratch = new int[pairs];
    this.ended = true;
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int observationSize() {
    return 2 * length + 1 + actions + 1 + (stepInput ? 1 : 0);
  }

  @Override
  public int actionCount() {
    return actions;
  }

  public int pairs() {
    return pairs;
  }

  public int length() {
    return length;
  }

  public int queries() {
    return queries;
  }

  /** Steps per episode, {@code P + Q}. */
  public int steps() {
    return pairs + queries;
  }

  /** The step about to be played (0 at episode start). */
  public int stepIndex() {
    return step;
  }

  /** Where the one-hot previous action starts in a slot's observation. */
  public int previousActionOffset() {
    return 2 * length + 1;
  }

  /** Where the previous reward sits in a slot's observation. */
  public int previousRewardOffset() {
    return 2 * length + 1 + actions;
  }

  /** Key pattern of {@code pair} in {@code slot} (bit {@code i} is {@code (key >> i) & 1}). */
  public int key(int slot, int pair) {
    return keyPattern[slot * pairs + pair];
  }

  /** Value pattern of {@code pair} in {@code slot}; also the action that recalls it. */
  public int value(int slot, int pair) {
    return valuePattern[slot * pairs + pair];
  }

  /** The pair queried at the step about to be played, −1 during study and after the end. */
  public int queriedPair(int slot) {
    return queried[slot];
  }

  /** The rewarded action at the step about to be played, −1 if the step is not a query. */
  public int correctAction(int slot) {
    int q = queried[slot];
    return q < 0 ? -1 : valuePattern[slot * pairs + q];
  }

  private int counterBase() {
    return (int) (episode * (2L * pairs + queries));
  }

  @Override
  public void reset(long episode, float[] observations) {
    long perEpisode = 2L * pairs + queries;
    if (episode < 0 || episode > Integer.MAX_VALUE / perEpisode) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE / perEpisode);
    }
    this.episode = episode;
    this.step = 0;
    this.ended = false;
    int base = counterBase();
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < pairs; i++) {
        // the r-th pattern not yet used: walk the used keys in ascending order, stepping over each
        int x = (int) (Rng.uniform(keys[b], base + i) * (actions - i));
        int j = 0;
        while (j < i && sortedScratch[j] <= x) {
          x++;
          j++;
        }
        System.arraycopy(sortedScratch, j, sortedScratch, j + 1, i - j);
        sortedScratch[j] = x;
        keyPattern[b * pairs + i] = x;
        valuePattern[b * pairs + i] = (int) (Rng.uniform(keys[b], base + pairs + i) * actions);
      }
      queried[b] = queryAt(b, 0);
      previousAction[b] = -1;
      previousReward[b] = 0f;
    }
    if (observations != null) {
      writeObservations(observations);
    }
  }

  /** The pair queried at step {@code s} in slot {@code b}, or −1 if {@code s} is not a query step. */
  private int queryAt(int b, int s) {
    if (s < pairs || s >= pairs + queries) {
      return -1;
    }
    return (int) (Rng.uniform(keys[b], counterBase() + 2 * pairs + (s - pairs)) * pairs);
  }

  @Override
  public void step(int[] actions, float[] observations, float[] rewards, boolean[] terminated,
      boolean[] truncated) {
    Checks.length("actions", actions, batch);
    Checks.length("rewards", rewards, batch);
    if (ended) {
      throw new IllegalStateException("the episode has ended (or not started); call reset");
    }
    EnvSupport.checkActions(actions, batch, this.actions);
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      float r = queried[b] >= 0 && a == valuePattern[b * pairs + queried[b]] ? 1f : 0f;
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
      queried[b] = queryAt(b, step + 1);
    }
    step++;
    ended = step == pairs + queries;
    EnvSupport.flags(terminated, truncated, batch, ended, false);
    if (observations != null) {
      writeObservations(observations);
    }
  }

  private void writeObservations(float[] obs) {
    int size = observationSize();
    Checks.length("observations", obs, (long) batch * size);
    int steps = pairs + queries;
    for (int b = 0; b < batch; b++) {
      int o = b * size;
      Arrays.fill(obs, o, o + size, 0f);
      if (step < pairs) {
        writePattern(obs, o, keyPattern[b * pairs + step]);
        writePattern(obs, o + length, valuePattern[b * pairs + step]);
      } else if (queried[b] >= 0) {
        writePattern(obs, o, keyPattern[b * pairs + queried[b]]);
        obs[o + 2 * length] = 1f;
      }
      EnvSupport.previousActionReward(obs, o, previousActionOffset(), previousRewardOffset(),
          previousAction[b], previousReward[b]);
      if (stepInput) {
        obs[o + previousRewardOffset() + 1] = EnvSupport.scaledIndex(step, steps - 1);
      }
    }
  }

  private void writePattern(float[] obs, int offset, int pattern) {
    for (int i = 0; i < length; i++) {
      obs[offset + i] = ((pattern >> i) & 1) == 1 ? 1f : -1f;
    }
  }
}
