package org.neurorl.env;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * The two-alternative memory task of the DRA comparison (MODELS.md §4b, after Patel, Acerbi &amp; Pouget
 * 2020): 12 options in 4 sets of 3. Each trial shows one option (the state); the agent answers with one
 * of two actions; the correct action of option {@code s} is {@code s mod 2} and pays the option's stake,
 * the other pays 0. Options differ in one thing at a time:
 * <ul>
 *   <li>{@link Manipulation#FREQUENCY}: option {@code s} of set {@code k = s / 3} is shown with
 *       probability proportional to {@code ratio^(k/3)} (so set 3 is {@code ratio} times as frequent as
 *       set 0, with two graded sets between); every stake is 1.</li>
 *   <li>{@link Manipulation#STAKES}: every option is equally frequent (1/12); the stake of set {@code k} is
 *       {@code ratio^(k/3)} (1 … ratio).</li>
 * </ul>
 * Tabular agents take the option index as their state, so this task gives int states rather than the
 * observation vectors of {@link BatchEnv}. Agent {@code i} draws the options of its trials from stream
 * {@code Rng.key(seed ^ SALT, 2(first+i))} (counter = trial) and those of its internal rollouts from
 * {@code Rng.key(seed ^ SALT, 2(first+i)+1)}: rollouts sample the same distribution the task shows.
 */
public final class MemoryTask {
  public static final long SALT = 0x3E30_0D7AL;
  public static final int OPTIONS = 12, SETS = 4, PER_SET = 3, ACTIONS = 2;

  /** What differs between the sets. */
  public enum Manipulation {
    FREQUENCY,
    STAKES
  }

  private final Manipulation manipulation;
  private final double ratio;
  private final double[] frequency = new double[OPTIONS], stake = new double[OPTIONS];
  private final float[] cumulative = new float[OPTIONS];
  private final int[] trialKeys, rolloutKeys;

  public MemoryTask(Manipulation manipulation, double ratio, int agents, long seed, long firstAgent) {
    if (manipulation == null) {
      throw new IllegalArgumentException("manipulation is null; allowed: FREQUENCY or STAKES");
    }
    if (!(ratio >= 1 && ratio <= 1000)) {
      throw new IllegalArgumentException("ratio = " + ratio + "; allowed: 1 to 1000");
    }
    Checks.range("agents", agents, 1, 1 << 24);
    this.manipulation = manipulation;
    this.ratio = ratio;
    double total = 0;
    for (int s = 0; s < OPTIONS; s++) {
      double level = Math.pow(ratio, (s / PER_SET) / (double) (SETS - 1));
      frequency[s] = manipulation == Manipulation.FREQUENCY ? level : 1;
      stake[s] = manipulation == Manipulation.STAKES ? level : 1;
      total += frequency[s];
    }
    double c = 0;
    for (int s = 0; s < OPTIONS; s++) {
      frequency[s] /= total;
      c += frequency[s];
      cumulative[s] = (float) c;
    }
    cumulative[OPTIONS - 1] = 1f;
    trialKeys = new int[agents];
    rolloutKeys = new int[agents];
    for (int i = 0; i < agents; i++) {
      trialKeys[i] = Rng.key(seed ^ SALT, 2 * (firstAgent + i));
      rolloutKeys[i] = Rng.key(seed ^ SALT, 2 * (firstAgent + i) + 1);
    }
  }

  public Manipulation manipulation() {
    return manipulation;
  }

  public double ratio() {
    return ratio;
  }

  public int agents() {
    return trialKeys.length;
  }

  /** Probability that option s is shown on a trial. */
  public double frequency(int s) {
    return frequency[s];
  }

  /** Reward of the correct answer to option s. */
  public double stake(int s) {
    return stake[s];
  }

  public static int set(int s) {
    return s / PER_SET;
  }

  public static int correctAction(int s) {
    return s % 2;
  }

  public float reward(int s, int action) {
    return action == correctAction(s) ? (float) stake[s] : 0f;
  }

  /** The option every agent sees on trial {@code trial} (rollout {@code rollout} when {@code rollout}). */
  public void options(long counter, boolean rollout, int[] out) {
    int[] keys = rollout ? rolloutKeys : trialKeys;
    for (int i = 0; i < keys.length; i++) {
      float u = Rng.uniform(keys[i], (int) counter);
      int s = 0;
      while (s < OPTIONS - 1 && u >= cumulative[s]) {
        s++;
      }
      out[i] = s;
    }
  }
}
