package org.neurorl.bandit;

import org.neurorl.agent.BatchAgent;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Checks;
import org.neurorl.sim.RunningStats;

/**
 * Plays a {@link BernoulliBandit} with a {@link BatchAgent} for a number of agents and episodes and
 * streams the per-trial cumulative regret {@code R_t = Σ_{k ≤ t} (max(p) − p_{a_k})} (MODELS.md §6)
 * into running means: memory is {@code O(trials + block)}, not {@code O(agents · episodes · trials)}.
 *
 * <p>Agents are cut into blocks of {@code blockSize} slots; each block gets a fresh environment and a
 * fresh agent built for the slots {@code first .. first + n − 1} of the population, so slot {@code i}
 * meets the same arm probabilities, reward draws and agent draws whatever the block size. Statistics
 * are accumulated episode by episode and, within an episode, in slot order, so the curves are the same
 * bit for bit whatever the block size.
 */
public final class BanditRunner {
  /** Builds the agent for population slots {@code firstSlot .. firstSlot + batch − 1}. */
  @FunctionalInterface
  public interface AgentFactory {
    BatchAgent create(int batch, long firstSlot);
  }

  /** Told the per-slot outcome of every episode (for paired comparisons and per-agent summaries). */
  @FunctionalInterface
  public interface EpisodeListener {
    void episodeDone(long slot, long episode, double cumulativeRegret, int suboptimalPulls);
  }

  /**
   * The task and the population: {@code arms}-armed Bernoulli bandit, {@code trials} per episode,
   * probabilities drawn by {@code prior} ({@code fixed} for {@link BanditPrior#FIXED}), {@code agents}
   * slots each playing {@code episodes} episodes, simulated {@code blockSize} slots at a time.
   */
  public record Setup(int arms, int trials, BanditPrior prior, float[] fixed, long seed, long agents,
      int episodes, int blockSize) {
    public Setup {
      Checks.range("arms", arms, 2, 64);
      Checks.range("trials", trials, 1, 1 << 20);
      if (prior == null) {
        throw new IllegalArgumentException("prior is null; allowed: independent, correlated, fixed");
      }
      if (agents < 1) {
        throw new IllegalArgumentException("agents = " + agents + "; allowed: >= 1");
      }
      Checks.range("episodes", episodes, 1, Integer.MAX_VALUE);
      Checks.range("blockSize", blockSize, 1, 1 << 24);
      fixed = fixed == null ? null : fixed.clone();
    }
  }

  /**
   * Per-trial statistics of cumulative regret over all (agent, episode) pairs: element {@code t} is
   * after {@code t + 1} trials; {@code ci95} is the half-width of the normal 95% interval of the mean.
   */
  public record RegretCurve(String agent, long samples, double[] meanCumulativeRegret, double[] ci95,
      double[] sd, double meanSuboptimalFraction) {
    public double finalMean() {
      return meanCumulativeRegret[meanCumulativeRegret.length - 1];
    }

    public double finalCi95() {
      return ci95[ci95.length - 1];
    }

    /** Standard error of the final mean. */
    public double finalStandardError() {
      return sd[sd.length - 1] / Math.sqrt(samples);
    }
  }

  private BanditRunner() {}

  public static RegretCurve run(Setup setup, AgentFactory factory) {
    return run(setup, factory, null);
  }

  public static RegretCurve run(Setup setup, AgentFactory factory, EpisodeListener listener) {
    int trials = setup.trials();
    RunningStats[] stats = new RunningStats[trials];
    for (int t = 0; t < trials; t++) {
      stats[t] = new RunningStats();
    }
    RunningStats suboptimal = new RunningStats();
    String name = null;
    for (int e = 0; e < setup.episodes(); e++) {
      for (long first = 0; first < setup.agents(); first += setup.blockSize()) {
        int n = (int) Math.min(setup.blockSize(), setup.agents() - first);
        BernoulliBandit env = new BernoulliBandit(n, setup.arms(), trials, setup.prior(), setup.fixed(), false,
            setup.seed(), first);
        BatchAgent agent = factory.create(n, first);
        if (agent.batchSize() != n || agent.actionCount() != setup.arms()) {
          throw new IllegalArgumentException("agent " + agent.name() + " has batch " + agent.batchSize()
              + " and " + agent.actionCount() + " actions; allowed: batch " + n + " and " + setup.arms()
              + " actions");
        }
        name = agent.name();
        playEpisode(env, agent, e, first, stats, suboptimal, listener);
      }
    }
    double[] mean = new double[trials], ci = new double[trials], sd = new double[trials];
    for (int t = 0; t < trials; t++) {
      mean[t] = stats[t].mean();
      ci[t] = stats[t].ci95();
      sd[t] = stats[t].sd();
    }
    return new RegretCurve(name, stats[trials - 1].count(), mean, ci, sd, suboptimal.mean());
  }

  private static void playEpisode(BernoulliBandit env, BatchAgent agent, long episode, long first,
      RunningStats[] stats, RunningStats suboptimal, EpisodeListener listener) {
    int n = env.batchSize();
    int trials = env.trials();
    float[] observations = new float[n * env.observationSize()];
    int[] actions = new int[n];
    float[] rewards = new float[n];
    boolean[] terminated = new boolean[n];
    boolean[] truncated = new boolean[n];
    boolean[] done = new boolean[n];
    double[] regret = new double[n];
    int[] wrong = new int[n];
    env.reset(episode, observations);
    agent.reset(episode);
    for (int t = 0; t < trials; t++) {
      agent.act(observations, actions);
      for (int b = 0; b < n; b++) {
        float r = env.expectedRegret(b, actions[b]);
        regret[b] += r;
        if (r > 0f) {
          wrong[b]++;
        }
      }
      env.step(actions, observations, rewards, terminated, truncated);
      for (int b = 0; b < n; b++) {
        done[b] = terminated[b] || truncated[b];
        stats[t].add(regret[b]);
      }
      agent.observe(actions, rewards, done);
    }
    for (int b = 0; b < n; b++) {
      suboptimal.add((double) wrong[b] / trials);
      if (listener != null) {
        listener.episodeDone(first + b, episode, regret[b], wrong[b]);
      }
    }
  }
}
