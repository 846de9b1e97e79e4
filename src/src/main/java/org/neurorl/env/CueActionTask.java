package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of cue–action tasks (MODELS.md §5): each trial shows one cue, drawn uniformly from the
 * active set; each cue has one rewarded action, which earns {@code correctReward} (default +1) while
 * any other action earns {@code wrongReward} (default −1, the penalty). After {@code switchTrial}
 * trials, {@code replacedCues} cues (default 2) are dropped and as many new cues, with their own
 * rewarded actions, are added.
 *
 * <p>Cue indices: the episode starts with the active set {@code {0, …, C−1}} ({@code C = activeCues},
 * default 4); from trial {@code switchTrial} on, the active set is {@code {R, …, C+R−1}}
 * ({@code R = replacedCues}): the first {@code R} cues are dropped and the new cues get fresh indices
 * {@code C … C+R−1}, never seen before the switch. There are {@code S = C + R} cue inputs in all
 * (6 by default), so a network's input weights of the old and new cues are distinct.
 *
 * <p>Rewarded actions: either given (one per cue, the same every episode) or, if none are given, drawn
 * per slot and episode, independently and uniformly from the {@code A} actions for each of the
 * {@code S} cues (so two cues may share their rewarded action). {@code A = 4} in {@link #standard}.
 *
 * <p>Observation for recurrent agents (size {@code S + A + 1}, or {@code S + A + 2}):
 * <pre>
 *   [0, S)             one-hot cue of the trial about to be played (all zero after the last trial)
 *   [S, S + A)         one-hot previous action (all zero at episode start)
 *   S + A              previous reward (0 at episode start)
 *   S + A + 1          trial index scaled to [0, 1], t / (T − 1), 1 at the end (with trialInput)
 * </pre>
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counters from {@code e · (S + T)}: the first {@code S} for the rewarded actions (used
 * only when they are drawn), then one per trial for the cue.
 */
public final class CueActionTask implements BatchEnv {
  /** Keeps this task's streams apart from the agents' and the other tasks' under the same seed. */
  public static final long SALT = 0xC0E_AC7_10L;

  private final int batch;
  private final int actions;
  private final int activeCues;
  private final int replacedCues;
  private final int cueCount;
  private final int trials;
  private final int switchTrial;
  private final float correctReward;
  private final float wrongReward;
  private final int[] givenCorrectActions;
  private final boolean trialInput;
  private final int[] keys;
  private final int[] correct;
  private final int[] cue;
  private final int[] previousAction;
  private final float[] previousReward;
  private int trial;
  private long episode;

  /**
   * @param batch slots, at least 1
   * @param actions actions {@code A}, 2 to 64
   * @param activeCues cues active at any time {@code C}, 1 to 64
   * @param replacedCues cues dropped and replaced by new ones at the switch {@code R}, 0 to {@code C}
   * @param trials trials per episode {@code T}, at least 2
   * @param switchTrial first trial played with the new cue set, 1 to {@code T − 1}
   * @param correctReward reward of the rewarded action (finite)
   * @param wrongReward reward of any other action (finite; negative for a penalty)
   * @param correctActions the rewarded action of each cue, length {@code C + R}, each in
   *     {@code 0 … A−1}; or {@code null} to draw them per slot and episode
   * @param trialInput whether the observation carries the scaled trial index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public CueActionTask(int batch, int actions, int activeCues, int replacedCues, int trials,
      int switchTrial, float correctReward, float wrongReward, int[] correctActions,
      boolean trialInput, long seed, long firstSlot) {
    Checks.range("actions", actions, 2, 64);
    Checks.range("activeCues", activeCues, 1, 64);
    Checks.range("replacedCues", replacedCues, 0, activeCues);
    int cues = activeCues + replacedCues;
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / (cues + actions + 2));
    Checks.range("trials", trials, 2, 1 << 20);
    Checks.range("switchTrial", switchTrial, 1, trials - 1);
    Checks.finite("correctReward", correctReward);
    Checks.finite("wrongReward", wrongReward);
    if (correctActions != null) {
      if (correctActions.length != cues) {
        throw new IllegalArgumentException("correctActions.length = " + correctActions.length
            + "; allowed: exactly " + cues + " (activeCues + replacedCues)");
      }
      for (int c = 0; c < cues; c++) {
        Checks.range("correctActions[" + c + "]", correctActions[c], 0, actions - 1);
      }
    }
    this.batch = batch;
    this.actions = actions;
    this.activeCues = activeCues;
    this.replacedCues = replacedCues;
    this.cueCount = cues;
    this.trials = trials;
    this.switchTrial = switchTrial;
    this.correctReward = correctReward;
    this.wrongReward = wrongReward;
    this.givenCorrectActions = correctActions == null ? null : correctActions.clone();
    this.trialInput = trialInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.correct = new int[cues * batch];
    this.cue = new int[batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
  }

  /**
   * The task as MODELS.md §5 states it: 4 actions, 4 active cues, 2 replaced after half the
   * episode, reward +1 for the rewarded action and −1 otherwise, rewarded actions drawn per episode.
   */
  public static CueActionTask standard(int batch, int trials, boolean trialInput, long seed,
      long firstSlot) {
    return new CueActionTask(batch, 4, 4, 2, trials, trials / 2, 1f, -1f, null, trialInput, seed,
        firstSlot);
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int observationSize() {
    return cueCount + actions + 1 + (trialInput ? 1 : 0);
  }

  @Override
  public int actionCount() {
    return actions;
  }

  /** All cue inputs {@code S = C + R}: the width of the one-hot cue in the observation. */
  public int cueCount() {
    return cueCount;
  }

  public int trials() {
    return trials;
  }

  public int switchTrial() {
    return switchTrial;
  }

  /** Where the one-hot previous action starts in a slot's observation (the cue starts at 0). */
  public int previousActionOffset() {
    return cueCount;
  }

  /** Where the previous reward sits in a slot's observation. */
  public int previousRewardOffset() {
    return cueCount + actions;
  }

  /** The trial about to be played (0 at episode start). */
  public int trial() {
    return trial;
  }

  /** The lowest cue index active in trial {@code t}: 0 before the switch, {@code R} from it on. */
  public int firstActiveCue(int t) {
    return t < switchTrial ? 0 : replacedCues;
  }

  /** Whether cue {@code c} can be shown in trial {@code t}. */
  public boolean active(int c, int t) {
    int first = firstActiveCue(t);
    return c >= first && c < first + activeCues;
  }

  /**
   * The cue of the trial about to be played, {@code cue[slot]} (read-only by contract; −1 once the
   * episode has ended).
   */
  public int[] currentCue() {
    return cue;
  }

  /** The rewarded action of cue {@code c} in slot {@code slot} in the current episode. */
  public int correctAction(int slot, int c) {
    return correct[c * batch + slot];
  }

  /** All rewarded actions, {@code [cue * batchSize() + slot]} (read-only by contract). */
  public int[] correctActions() {
    return correct;
  }

  private int counterBase() {
    return (int) (episode * (cueCount + trials));
  }

  @Override
  public void reset(long episode, float[] observations) {
    if (episode < 0 || episode > Integer.MAX_VALUE / (cueCount + trials)) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE / (cueCount + trials));
    }
    this.episode = episode;
    this.trial = 0;
    int base = counterBase();
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < cueCount; c++) {
        correct[c * batch + b] = givenCorrectActions != null ? givenCorrectActions[c]
            : (int) (Rng.uniform(keys[b], base + c) * actions);
      }
      cue[b] = drawCue(b, 0);
      previousAction[b] = -1;
      previousReward[b] = 0f;
    }
    if (observations != null) {
      writeObservations(observations);
    }
  }

  /** The cue of trial {@code t} in slot {@code b}: uniform over the set active in that trial. */
  private int drawCue(int b, int t) {
    return firstActiveCue(t) + (int) (Rng.uniform(keys[b], counterBase() + cueCount + t) * activeCues);
  }

  @Override
  public void step(int[] actions, float[] observations, float[] rewards, boolean[] terminated,
      boolean[] truncated) {
    Checks.length("actions", actions, batch);
    Checks.length("rewards", rewards, batch);
    if (trial >= trials) {
      throw new IllegalStateException("the episode has ended after " + trials + " trials; call reset");
    }
    EnvSupport.checkActions(actions, batch, this.actions);
    boolean done = trial + 1 == trials;
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      float r = a == correct[cue[b] * batch + b] ? correctReward : wrongReward;
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
      cue[b] = done ? -1 : drawCue(b, trial + 1);
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
      if (cue[b] >= 0) {
        obs[o + cue[b]] = 1f;
      }
      EnvSupport.previousActionReward(obs, o, cueCount, cueCount + actions, previousAction[b],
          previousReward[b]);
      if (trialInput) {
        obs[o + cueCount + actions + 1] = EnvSupport.scaledIndex(trial, trials - 1);
      }
    }
  }
}
