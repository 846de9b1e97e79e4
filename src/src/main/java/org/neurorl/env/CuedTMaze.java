package org.neurorl.env;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * A batch of cued two-alternative forced-choice T-mazes (MODELS.md §5): a memory task. Each episode
 * is one trial of {@code D + 2} steps: at step 0 a cue says left or right (drawn per slot and
 * episode, each with probability 1/2); steps {@code 1 … D} are a delay with no cue; step
 * {@code D + 1} is the choice at the junction, signalled by a "go" input. The action taken at the
 * choice step is the choice: reward 1 if it is the cued side, else 0, and the episode is terminated.
 * Actions at the cue and delay steps have no effect (reward 0), so an agent must hold the cue in its
 * recurrent state for {@code D + 1} steps.
 *
 * <p>Actions: 0 = left, 1 = right. Observation (size 6, or 7 with the step input):
 * <pre>
 *   0, 1   one-hot cue (left, right): only at step 0
 *   2      go: 1 at the choice step, else 0
 *   3, 4   one-hot previous action (all zero at episode start)
 *   5      previous reward (0 at episode start)
 *   6      step index scaled to [0, 1], s / (D + 1)   (only with stepInput)
 * </pre>
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}; episode
 * {@code e} uses counter {@code e} for the cue.
 */
public final class CuedTMaze implements BatchEnv {
  /** Keeps this task's streams apart from the agents' and the other tasks' under the same seed. */
  public static final long SALT = 0x7_3A2EL;

  public static final int LEFT = 0, RIGHT = 1;

  private static final int OBS_GO = 2, OBS_ACTION = 3, OBS_REWARD = 5, OBS_STEP = 6;

  private final int batch;
  private final int delay;
  private final boolean stepInput;
  private final int[] keys;
  private final int[] cue;
  private final int[] previousAction;
  private final float[] previousReward;
  private int step;
  private boolean ended;

  /**
   * @param batch slots, at least 1
   * @param delay steps {@code D} between the cue and the choice, 0 to 2²⁰
   * @param stepInput whether the observation carries the scaled step index
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public CuedTMaze(int batch, int delay, boolean stepInput, long seed, long firstSlot) {
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / 8);
    Checks.range("delay", delay, 0, 1 << 20);
    this.batch = batch;
    this.delay = delay;
    this.stepInput = stepInput;
    this.keys = EnvSupport.slotKeys(seed, SALT, firstSlot, batch);
    this.cue = new int[batch];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
    this.ended = true;
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int observationSize() {
    return stepInput ? 7 : 6;
  }

  @Override
  public int actionCount() {
    return 2;
  }

  public int delay() {
    return delay;
  }

  /** Steps per episode, {@code D + 2}. */
  public int steps() {
    return delay + 2;
  }

  /** The step at which the choice counts, {@code D + 1}. */
  public int choiceStep() {
    return delay + 1;
  }

  /** The step about to be played (0 at episode start). */
  public int stepIndex() {
    return step;
  }

  /** The cued side of each slot in this episode, {@code cue[slot]} ({@link #LEFT} or {@link #RIGHT}; read-only). */
  public int[] cues() {
    return cue;
  }

  @Override
  public void reset(long episode, float[] observations) {
    if (episode < 0 || episode > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + Integer.MAX_VALUE);
    }
    step = 0;
    ended = false;
    for (int b = 0; b < batch; b++) {
      cue[b] = Rng.uniform(keys[b], (int) episode) < 0.5f ? LEFT : RIGHT;
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
    if (ended) {
      throw new IllegalStateException("the episode has ended (or not started); call reset");
    }
    EnvSupport.checkActions(actions, batch, 2);
    boolean choice = step == choiceStep();
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      float r = choice && a == cue[b] ? 1f : 0f;
      rewards[b] = r;
      previousAction[b] = a;
      previousReward[b] = r;
    }
    step++;
    ended = choice;
    EnvSupport.flags(terminated, truncated, batch, choice, false);
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
      if (step == 0) {
        obs[o + cue[b]] = 1f;
      }
      if (step == choiceStep()) {
        obs[o + OBS_GO] = 1f;
      }
      EnvSupport.previousActionReward(obs, o, OBS_ACTION, OBS_REWARD, previousAction[b],
          previousReward[b]);
      if (stepInput) {
        obs[o + OBS_STEP] = EnvSupport.scaledIndex(step, choiceStep());
      }
    }
  }
}
