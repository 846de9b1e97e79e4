package org.neurorl.kernel.classic;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * The state of a batch of B independent count-based bandit agents (UCB1 or Thompson sampling) on a
 * k-armed Bernoulli bandit, in structure-of-arrays layout: arm {@code a} of agent {@code i} at
 * {@code [a*B + i]}, so one vector holds one arm of consecutive agents.
 *
 * <ul>
 *   <li>successes s_a and failures f_a since the episode start (pulls n_a = s_a + f_a);</li>
 *   <li>reward probabilities p_a, set by the task: {@code [a*B + i]};</li>
 *   <li>per-agent accumulators since the episode start: cumulative expected regret
 *       Σ (max_a p_a − p_{a_t}), reward sum, suboptimal pulls (p_{a_t} &lt; max_a p_a).</li>
 * </ul>
 *
 * <p><b>Random numbers.</b> Agent {@code i} owns the stream {@code Rng.key(seed, firstAgentIndex + i)},
 * so its trajectory does not depend on the batch or block it runs in. Draw numbers (counters), with
 * {@code k} the number of arms:
 * <pre>
 *   episode base          E(e)    = e · {@value #EPISODE_STRIDE}
 *   trial t base          T(e, t) = E(e) + t · (1 + k·{@value #DRAWS_PER_ARM})
 *   reward uniform        T(e, t)                 r = 1 when u &lt; p[a_t]   (both agents)
 *   Thompson, arm a       A = T(e, t) + 1 + a·{@value #DRAWS_PER_ARM}
 *     proposal j &lt; {@value #PROPOSALS}   A + 4j (u₁), A + 4j + 1 (u₂): one Box–Muller pair R = √(−2 ln u₁),
 *                                   z_X = R cos 2πu₂ for X ~ Gamma(1 + s_a), z_Y = R sin 2πu₂ for
 *                                   Y ~ Gamma(1 + f_a);
 *                         A + 4j + 2 (u₃ of X), A + 4j + 3 (u₃ of Y)
 * </pre>
 * with u₁ = (m₁ + 1)·2⁻²⁴ ∈ (0, 1], u₂ = m₂·2⁻²⁴ and u₃ = (m₃ + 1)·2⁻²⁴ ∈ (0, 1] (m the top 24 bits of
 * the draw). The two normals of a Box–Muller pair are independent, so X and Y stay independent and
 * exactly Gamma-distributed while one logarithm and one square root serve both. θ_a = X/(X + Y) ~
 * Beta(1 + s_a, 1 + f_a). If all {@value #PROPOSALS} proposals of a Gamma are rejected (each is accepted
 * with probability ≥ 0.95 for shapes ≥ 1, so this happens with probability below 0.05⁴ ≈ 6e-6),
 * proposal j ≥ {@value #PROPOSALS} uses the same counters with j − {@value #PROPOSALS} on the fallback
 * stream {@code Rng.hash(key ^ }{@value #FALLBACK}{@code )}, on and on until one is accepted: every sample
 * stays exactly Gamma-distributed and independent of the batch. UCB1 uses only the reward draw, so both
 * agents see the same reward uniforms under one seed (common random numbers).
 *
 * <p>Up to {@value #MAX_EPISODES} episodes of up to {@value #MAX_TRIALS_PER_EPISODE} trials use disjoint
 * draws of a stream (for k ≤ {@value #MAX_ARMS}). A batch is made by its kernel ({@code newBatch}),
 * starts in episode 0 with zero counts, and is run only by that kernel. Not thread-safe: one call at a
 * time.
 */
public abstract class ClassicBatch {
  public static final int MAX_ARMS = 8;
  /** Largest count {@link #setCounts} accepts; with the trial limit every count stays exact in float32. */
  public static final int MAX_COUNT = 1 << 20;
  public static final int PROPOSALS = 4;
  /** u₁, u₂ (a Box–Muller pair shared by X and Y), u₃ of X, u₃ of Y. */
  public static final int DRAWS_PER_PROPOSAL = 4;
  public static final int DRAWS_PER_ARM = PROPOSALS * DRAWS_PER_PROPOSAL;
  public static final int EPISODE_STRIDE = 1 << 20;
  public static final int MAX_TRIALS_PER_EPISODE = 4096;
  public static final int MAX_EPISODES = 4096;
  /** Salt of the fallback stream of a Gamma sample whose {@value #PROPOSALS} proposals were all rejected. */
  public static final int FALLBACK = 0x2545F491;

  /** Which agent the state belongs to (a kernel refuses the other's batch). */
  public enum Strategy { UCB1, THOMPSON }

  private final Strategy strategy;
  private final int agents;
  private final int arms;
  private final long seed;
  private final long firstAgentIndex;
  /** Stream key per agent (computed once: Rng.key costs two 64-bit mixes). */
  protected final int[] keys;
  /** p_a per agent, [a*B + i]; exact float values shared by both implementations. */
  protected final float[] rewardProbabilities;
  private boolean probabilitiesSet;
  private int episode;
  private int trial;

  protected ClassicBatch(Strategy strategy, int agents, int arms, long seed, long firstAgentIndex) {
    this.strategy = strategy;
    this.agents = Checks.range("agents (batch)", agents, 1, Integer.MAX_VALUE / (4 * MAX_ARMS));
    this.arms = Checks.range("arms (k)", arms, 2, MAX_ARMS);
    if (firstAgentIndex < 0) {
      throw new IllegalArgumentException("firstAgentIndex = " + firstAgentIndex + "; allowed: >= 0");
    }
    this.seed = seed;
    this.firstAgentIndex = firstAgentIndex;
    this.keys = new int[agents];
    for (int i = 0; i < agents; i++) {
      keys[i] = Rng.key(seed, firstAgentIndex + i);
    }
    this.rewardProbabilities = new float[arms * agents];
  }

  public final Strategy strategy() {
    return strategy;
  }

  /** B. */
  public final int agents() {
    return agents;
  }

  /** k. */
  public final int arms() {
    return arms;
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

  /** Length of the count and probability arrays: k·B. */
  public final int countsLength() {
    return arms * agents;
  }

  /** Sets p_a of every agent from {@code p[a*B + i]}, each in [0, 1] (copied). */
  public final void setRewardProbabilities(float[] p) {
    Checks.probabilities("rewardProbabilities", p, countsLength());
    System.arraycopy(p, 0, rewardProbabilities, 0, p.length);
    probabilitiesSet = true;
  }

  /** Copies p_a into {@code out[a*B + i]}. */
  public final void rewardProbabilities(float[] out) {
    Checks.length("out", out, countsLength());
    System.arraycopy(rewardProbabilities, 0, out, 0, rewardProbabilities.length);
  }

  /** Starts the next episode: zero counts and accumulators, trial 0, fresh draws. */
  public final void reset() {
    reset(episode + 1);
  }

  /** Starts episode {@code episode} in [0, {@value #MAX_EPISODES}): same episode, same draws. */
  public final void reset(int episode) {
    Checks.range("episode", episode, 0, MAX_EPISODES - 1);
    this.episode = episode;
    this.trial = 0;
    clear();
  }

  /** Draw number of the first draw of trial {@code trial} of episode {@code episode} with {@code arms} arms. */
  public static int trialCounter(int episode, int trial, int arms) {
    return episode * EPISODE_STRIDE + trial * (1 + arms * DRAWS_PER_ARM);
  }

  /** Draw number of the first draw of the Beta sample of arm {@code arm} (Thompson). */
  public static int armCounter(int episode, int trial, int arms, int arm) {
    return trialCounter(episode, trial, arms) + 1 + arm * DRAWS_PER_ARM;
  }

  /** Bytes of the per-agent arrays this batch holds; divide by {@link #agents()} for bytes per agent. */
  public abstract long stateBytes();

  /** Zeroes the counts and the accumulators. */
  protected abstract void clear();

  /** Successes s_a since the episode start, {@code out[a*B + i]}. */
  public abstract void successes(double[] out);

  /** Failures f_a since the episode start, {@code out[a*B + i]}. */
  public abstract void failures(double[] out);

  /**
   * Sets the counts of every agent and arm ({@code [a*B + i]}, integers in [0, {@value #MAX_COUNT}]),
   * e.g. to start from a prior or to compare implementations from the same state. Accumulators and
   * the trial number are kept. UCB1 takes t = Σ_a n_a of each agent, so it continues correctly.
   */
  public final void setCounts(double[] successes, double[] failures) {
    checkCounts("successes", successes);
    checkCounts("failures", failures);
    storeCounts(successes, failures);
  }

  protected abstract void storeCounts(double[] successes, double[] failures);

  /** Cumulative expected regret of each agent since the episode start, {@code out[i]}. */
  public abstract void cumulativeRegret(double[] out);

  /** Rewards collected since the episode start, {@code out[i]}. */
  public abstract void rewardSums(double[] out);

  /** Pulls of a suboptimal arm since the episode start, {@code out[i]}. */
  public abstract void suboptimalPulls(double[] out);

  /** Checks that the batch can run {@code trials} more trials and that the record arrays fit. */
  protected final void checkRun(Strategy expected, int trials, int[] actionsOut, float[] rewardsOut) {
    if (strategy != expected) {
      throw new IllegalArgumentException("batch strategy = " + strategy + "; allowed: " + expected);
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

  /** Marks {@code trials} trials as played. */
  protected final void advance(int trials) {
    trial += trials;
  }

  private void checkCounts(String name, double[] a) {
    if (a == null || a.length != countsLength()) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: exactly " + countsLength() + " (arms × agents)");
    }
    for (int i = 0; i < a.length; i++) {
      double v = a[i];
      if (!(v >= 0 && v <= MAX_COUNT && v == Math.rint(v))) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + v + "; allowed: an integer in [0, "
            + MAX_COUNT + "]");
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
