package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * The state of a batch of B independent Q-learning agents on a bandit with S cues and A arms, in
 * structure-of-arrays layout: element-major, agent-minor, element {@code e} of agent {@code i} at
 * {@code [e*B + i]}, so one vector holds one element of consecutive agents.
 *
 * <ul>
 *   <li>latent model (MODELS.md §3): W at {@code [(s*K + k)*B + i]}, Q at {@code [(k*A + a)*B + i]};</li>
 *   <li>tabular model (§4): Q at {@code [(s*A + a)*B + i]};</li>
 *   <li>reward probabilities p(s, a), set by the task: {@code [(s*A + a)*B + i]};</li>
 *   <li>per-agent accumulators since the episode start: cumulative expected regret
 *       Σ (max_a p[s,a] − p[s,a_t]), reward sum, suboptimal pulls (p[s,a_t] < max_a p[s,a]).</li>
 * </ul>
 *
 * <p><b>Random numbers.</b> Agent {@code i} owns the stream {@code Rng.key(seed, firstAgentIndex + i)},
 * so its trajectory does not depend on the batch or block it runs in. Draw numbers (counters):
 * <pre>
 *   episode base        E(e)        = e · {@value #EPISODE_STRIDE}
 *   initial value j     E(e) + j                      (j &lt; {@value #INIT_DRAWS}; latent: W then Q in
 *                                                      layout order, j = s*K + k, then S*K + k*A + a;
 *                                                      tabular: j = s*A + a)
 *   trial t, draw d     E(e) + {@value #INIT_DRAWS} + t·{@value #DRAWS_PER_TRIAL} + d
 *                         d = 0 cue (only when S &gt; 1): s = ⌊m·S / 2²⁴⌋ with m the top 24 bits
 *                         d = 1 action uniform u (softmax threshold, or the ε test of ε-greedy)
 *                         d = 2 random arm of ε-greedy: ⌊m·A / 2²⁴⌋
 *                         d = 3 reward uniform: r = 1 when u &lt; p[s, a]
 * </pre>
 * Unused draws are skipped, not computed; the layout is the same for every configuration. So up to
 * {@value #MAX_EPISODES} episodes of up to {@value #MAX_TRIALS_PER_EPISODE} trials each use disjoint
 * draws of an agent's stream.
 *
 * <p>A batch is made by its kernel ({@code newBatch}), starts in episode 0 with initialised values, and
 * is run only by that kernel. Not thread-safe: one call at a time.
 */
public abstract class QBatch {
  public static final int MAX_STATES = 32;
  public static final int MAX_LATENT = 16;
  public static final int MAX_ACTIONS = 16;
  public static final int DRAWS_PER_TRIAL = 4;
  public static final int DRAW_CUE = 0;
  public static final int DRAW_ACTION = 1;
  public static final int DRAW_ARM = 2;
  public static final int DRAW_REWARD = 3;
  public static final int EPISODE_STRIDE = 1 << 18;
  public static final int INIT_DRAWS = 1024;
  public static final int MAX_TRIALS_PER_EPISODE = (EPISODE_STRIDE - INIT_DRAWS) / DRAWS_PER_TRIAL;
  public static final int MAX_EPISODES = 1 << 14;

  /** Which model the state belongs to. */
  public enum Model { LATENT, TABULAR }

  private final Model model;
  private final int agents;
  private final int states;
  private final int latent;
  private final int actions;
  private final QParams params;
  private final long seed;
  private final long firstAgentIndex;
  /** Stream key per agent (computed once: Rng.key costs two 64-bit mixes). */
  protected final int[] keys;
  /** p(s, a) per agent, [(s*A + a)*B + i]; exact float values shared by both implementations. */
  protected final float[] rewardProbabilities;
  private boolean probabilitiesSet;
  private int episode;
  private int trial;
  private boolean broken;

  protected QBatch(Model model, int agents, int states, int latent, int actions, QParams params, long seed,
      long firstAgentIndex) {
    this.model = model;
    this.agents = Checks.range("agents (batch)", agents, 1, Integer.MAX_VALUE / (MAX_STATES * MAX_ACTIONS));
    this.states = Checks.range("states (S)", states, 1, MAX_STATES);
    this.actions = Checks.range("actions (A)", actions, 2, MAX_ACTIONS);
    if (model == Model.LATENT) {
      this.latent = Checks.range("latent (K)", latent, 1, MAX_LATENT);
      if (!(params.initScale() > 0f)) {
        throw new IllegalArgumentException("initScale = " + params.initScale()
            + "; allowed: > 0 for latent Q (W = Q = 0 is a saddle point that never learns)");
      }
    } else {
      this.latent = 0;
    }
    if (firstAgentIndex < 0) {
      throw new IllegalArgumentException("firstAgentIndex = " + firstAgentIndex + "; allowed: >= 0");
    }
    this.params = params;
    this.seed = seed;
    this.firstAgentIndex = firstAgentIndex;
    this.keys = new int[agents];
    for (int i = 0; i < agents; i++) {
      keys[i] = Rng.key(seed, firstAgentIndex + i);
    }
    this.rewardProbabilities = new float[states * actions * agents];
  }

  public final Model model() {
    return model;
  }

  /** B. */
  public final int agents() {
    return agents;
  }

  /** S (cues; 1 on a plain bandit). */
  public final int states() {
    return states;
  }

  /** K (latent units; 0 for the tabular model). */
  public final int latent() {
    return latent;
  }

  /** A. */
  public final int actions() {
    return actions;
  }

  public final QParams params() {
    return params;
  }

  public final long seed() {
    return seed;
  }

  public final long firstAgentIndex() {
    return firstAgentIndex;
  }

  /** The current episode (0 after creation). */
  public final int episode() {
    return episode;
  }

  /** Trials played in the current episode. */
  public final int trial() {
    return trial;
  }

  /** Length of the W array (S·K·B; 0 for the tabular model). */
  public final int weightsLength() {
    return states * latent * agents;
  }

  /** Length of the Q array (latent K·A·B, tabular S·A·B). */
  public final int valuesLength() {
    return (model == Model.LATENT ? latent : states) * actions * agents;
  }

  /** Length of the reward-probability array and of {@link #actionValues}: S·A·B. */
  public final int probabilitiesLength() {
    return states * actions * agents;
  }

  /**
   * Sets p(s, a) of every agent from {@code p[(s*A + a)*B + i]}, each in [0, 1] (copied). Call before
   * the first run and whenever the task draws new probabilities (usually with {@link #reset()}).
   */
  public final void setRewardProbabilities(float[] p) {
    Checks.probabilities("rewardProbabilities", p, probabilitiesLength());
    System.arraycopy(p, 0, rewardProbabilities, 0, p.length);
    probabilitiesSet = true;
  }

  /** Copies p(s, a) into {@code out[(s*A + a)*B + i]}. */
  public final void rewardProbabilities(float[] out) {
    Checks.length("out", out, probabilitiesLength());
    System.arraycopy(rewardProbabilities, 0, out, 0, rewardProbabilities.length);
  }

  /** Starts the next episode: new initial values (new draws), accumulators and trial count at 0. */
  public final void reset() {
    reset(episode + 1);
  }

  /** Starts episode {@code episode} in [0, {@value #MAX_EPISODES}): same episode, same initial values. */
  public final void reset(int episode) {
    Checks.range("episode", episode, 0, MAX_EPISODES - 1);
    this.episode = episode;
    this.trial = 0;
    this.broken = false;
    initialise();
  }

  /** The initial value of element {@code element} of agent {@code agent} in float (σ·(2u − 1), u exact). */
  protected final float initialValue(int agent, int element) {
    float u = Rng.uniform(keys[agent], initCounter(episode, element));
    return (u * 2f - 1f) * params.initScale();
  }

  /** Draw number of initial value {@code element} of episode {@code episode}. */
  public static int initCounter(int episode, int element) {
    return episode * EPISODE_STRIDE + element;
  }

  /** Draw number of draw {@code d} of trial {@code trial} of episode {@code episode}. */
  public static int trialCounter(int episode, int trial, int d) {
    return episode * EPISODE_STRIDE + INIT_DRAWS + trial * DRAWS_PER_TRIAL + d;
  }

  /**
   * Bytes of the per-agent arrays this batch holds (W, Q, p, stream keys, accumulators), not counting
   * the fixed per-worker block scratch; divide by {@link #agents()} for bytes per agent.
   */
  public abstract long stateBytes();

  /** Re-draws the initial values of the current episode and zeroes the accumulators. */
  protected abstract void initialise();

  /** Copies W into {@code out[(s*K + k)*B + i]} (latent model only). */
  public abstract void weights(double[] out);

  /** Copies Q into {@code out} (latent {@code [(k*A + a)*B + i]}, tabular {@code [(s*A + a)*B + i]}). */
  public abstract void values(double[] out);

  /** Sets W (latent model only; finite values, rounded to the implementation's precision). */
  public abstract void setWeights(double[] w);

  /** Sets Q (finite values, rounded to the implementation's precision). */
  public abstract void setValues(double[] q);

  /** The action values q(s, a) = W[s,:]·Q[:,a] (latent) or Q(s, a) (tabular) into {@code out[(s*A + a)*B + i]}. */
  public abstract void actionValues(double[] out);

  /** Cumulative expected regret of each agent since the episode start, {@code out[i]}. */
  public abstract void cumulativeRegret(double[] out);

  /** Rewards collected since the episode start, {@code out[i]}. */
  public abstract void rewardSums(double[] out);

  /** Pulls of a suboptimal arm since the episode start, {@code out[i]}. */
  public abstract void suboptimalPulls(double[] out);

  /** Checks that the batch can run {@code trials} more trials and that the record arrays fit. */
  protected final void checkRun(Model expected, int trials, int[] actionsOut, float[] rewardsOut) {
    if (model != expected) {
      throw new IllegalArgumentException("batch model = " + model + "; allowed: " + expected);
    }
    if (broken) {
      throw new IllegalStateException(
          "the batch blew up numerically in an earlier run; call reset() before running it again");
    }
    if (!probabilitiesSet) {
      throw new IllegalStateException("set the reward probabilities (setRewardProbabilities) before run");
    }
    Checks.range("trials", trials, 0, MAX_TRIALS_PER_EPISODE - trial);
    long need = (long) (trial + trials) * agents;
    if (actionsOut != null) {
      Checks.length("actions (record, [trial*B + agent])", actionsOut, need);
    }
    if (rewardsOut != null) {
      Checks.length("rewards (record, [trial*B + agent])", rewardsOut, need);
    }
  }

  /** Checks the per-trial sum arrays of a {@code runRegretSums} call of {@code trials} trials. */
  protected static void checkSums(int trials, double[] sum, double[] sumSquares) {
    checkOut("sum", sum, trials);
    checkOut("sumSquares", sumSquares, trials);
  }

  /** Marks {@code trials} trials as played. */
  protected final void advance(int trials) {
    trial += trials;
  }

  /** Marks the batch as unusable until {@link #reset()} (a run blew up part-way). */
  protected final void markBroken() {
    broken = true;
  }

  protected static void checkLength(String name, double[] a, int length) {
    if (a == null || a.length != length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: exactly " + length);
    }
  }

  protected static void checkFinite(String name, double[] a, int length) {
    checkLength(name, a, length);
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + "; allowed: finite numbers");
      }
    }
  }

  protected static void checkOut(String name, double[] a, int length) {
    if (a == null || a.length < length) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: a double array of length >= " + length);
    }
  }
}
