package org.neurorl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.neurorl.agent.BatchAgent;
import org.neurorl.bandit.BayesOptimalAgent;
import org.neurorl.bandit.BayesOptimalPolicy;
import org.neurorl.bandit.GittinsAgent;
import org.neurorl.bandit.GittinsIndex;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.ThompsonKernel;
import org.neurorl.kernel.classic.Ucb1Kernel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;
import org.neurorl.kernel.stats.RegretCurveKernel;

/**
 * Runs a {@link SimulationSpec}: every agent type plays one episode per simulated agent on the same
 * bandit episodes (slot {@code i} of the population meets the same arm probabilities and reward draws
 * whichever agent plays it), in blocks of {@code blockAgents} agents so memory does not grow with the
 * number of agents. The cumulative regret {@code R_t = Σ_{k ≤ t} (max p − p_{a_k})} (MODELS.md §6)
 * of every agent streams into per-trial sums, block by block, merged in block order: the result is the
 * same bit for bit whatever the thread count.
 *
 * <p>Latent Q, tabular Q, UCB1 and Thompson run their trials inside the batched SIMD kernels (the
 * fused path: the kernel reads the environment's arm probabilities and draws rewards itself). Gittins
 * and the Bayes-optimal policy (table look-ups) step through {@link org.neurorl.env.BatchEnv#step}.
 * Both run several blocks at once, one per worker, each block on one thread.
 */
public final class BanditSimulation {
  private static final int ARMS = 2;
  /** Blocks per worker in one wave of {@link #runFused} (balance against the memory of a wave's results). */
  private static final int BLOCKS_PER_THREAD = 4;

  /** Summary of one agent type: per-trial curves (element t is after t + 1 trials) and totals. */
  public record AgentSummary(String agent, String implementation, int[] checkpoints, double[] meanRegret,
      double[] ci95, double[] sdRegret, double[] curveMean, double[] curveCi95, double meanReward,
      double suboptimalFraction, long agentsDone, double seconds, double agentTrialsPerSecond) {}

  /** The result of a run; {@code complete} is false when it was stopped early. */
  public record Result(SimulationSpec spec, List<AgentSummary> agents, boolean complete, double wallSeconds) {}

  private final SimulationSpec spec;
  private volatile boolean stopRequested;

  public BanditSimulation(SimulationSpec spec) {
    this.spec = spec;
  }

  /** Asks a running simulation to stop after the blocks in progress (for Ctrl-C). */
  public void requestStop() {
    stopRequested = true;
  }

  private long blocksPerType() {
    return (spec.agents() + spec.blockAgents() - 1) / spec.blockAgents();
  }

  /** Runs the simulation; {@code progress} is told the number of agents finished after each block. */
  public Result run(LongConsumer progress) {
    long start = System.nanoTime();
    List<AgentSummary> summaries = new ArrayList<>();
    boolean complete = true;
    try (Parallel parallel = Parallel.of(spec.threads())) {
      for (String type : spec.agentTypes()) {
        AgentSummary s = runType(type, parallel, progress);
        summaries.add(s);
        if (s.agentsDone() < spec.agents()) {
          complete = false;
          break;
        }
      }
    }
    return new Result(spec, summaries, complete, (System.nanoTime() - start) * 1e-9);
  }

  private AgentSummary runType(String type, Parallel parallel, LongConsumer progress) {
    int trials = spec.trials();
    TrialSums total = new TrialSums(trials);
    long t0 = System.nanoTime();
    String implementation;
    FusedKernel kernel = fused(type);
    if (kernel != null) {
      implementation = runFused(kernel, parallel, progress, total);
    } else {
      implementation = "java";
      runClassic(type, parallel, progress, total);
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    int[] cps = spec.checkpoints();
    double[] mean = new double[cps.length], ci = new double[cps.length], sd = new double[cps.length];
    for (int c = 0; c < cps.length; c++) {
      mean[c] = total.mean(cps[c] - 1);
      ci[c] = total.ci95(cps[c] - 1);
      sd[c] = total.sd(cps[c] - 1);
    }
    double[] curve = new double[trials], curveCi = new double[trials];
    for (int t = 0; t < trials; t++) {
      curve[t] = total.mean(t);
      curveCi[t] = total.ci95(t);
    }
    long n = total.agents;
    return new AgentSummary(label(type), implementation, cps.clone(), mean, ci, sd, curve, curveCi,
        n == 0 ? Double.NaN : total.rewardFraction / n, n == 0 ? Double.NaN : total.suboptimalFraction / n, n,
        seconds, seconds > 0 ? n * (double) trials / seconds : Double.NaN);
  }

  private String label(String type) {
    return type.equals("bayes-optimal") ? "bayes-optimal(" + bayesPrior().label() + ")" : type;
  }

  private BernoulliBandit environment(long block) {
    long first = block * spec.blockAgents();
    int n = (int) Math.min(spec.blockAgents(), spec.agents() - first);
    BernoulliBandit env = new BernoulliBandit(n, ARMS, spec.trials(), spec.prior(), spec.probabilities(),
        false, spec.seed(), first);
    env.reset(0, null);
    return env;
  }

  /**
   * One agent type's batched kernel: plays a whole episode for a block of agents on the given pool and
   * adds the block's per-trial regret sums and totals to {@code out}.
   */
  private interface FusedKernel {
    String implementation();

    void play(int n, long first, float[] probabilities, Parallel parallel, BlockScratch sc, TrialSums out);
  }

  private FusedKernel fused(String type) {
    int trials = spec.trials();
    switch (type) {
      case "latent-q", "tabular-q" -> {
        float init = type.equals("latent-q") ? spec.initScale() : 0f;
        QParams params = spec.epsilon() == null
            ? QParams.softmax(spec.learningRate(), spec.beta(), init)
            : QParams.epsilonGreedy(spec.learningRate(), spec.epsilon(), init);
        if (type.equals("latent-q")) {
          LatentQKernel k = LatentQKernel.create();
          return new FusedKernel() {
            public String implementation() {
              return k.implementation();
            }

            public void play(int n, long first, float[] p, Parallel pool, BlockScratch sc, TrialSums out) {
              QBatch b = k.newBatch(n, 1, spec.latentUnits(), ARMS, params, spec.seed(), first);
              b.setRewardProbabilities(p);
              k.runRegretSums(b, trials, pool, out.sum, out.sumSquares);
              b.rewardSums(sc.rewards);
              b.suboptimalPulls(sc.suboptimal);
              totals(n, trials, sc, out);
            }
          };
        }
        TabularQKernel k = TabularQKernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, BlockScratch sc, TrialSums out) {
            QBatch b = k.newBatch(n, 1, ARMS, params, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.runRegretSums(b, trials, pool, out.sum, out.sumSquares);
            b.rewardSums(sc.rewards);
            b.suboptimalPulls(sc.suboptimal);
            totals(n, trials, sc, out);
          }
        };
      }
      case "ucb1" -> {
        Ucb1Kernel k = Ucb1Kernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, BlockScratch sc, TrialSums out) {
            ClassicBatch b = k.newBatch(n, ARMS, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.run(b, trials, pool, sc.actions(trials), null);
            sc.curves.accumulate(n, trials, ARMS, p, sc.actions, sc.cumulative, out.sum, out.sumSquares);
            b.rewardSums(sc.rewards);
            b.suboptimalPulls(sc.suboptimal);
            totals(n, trials, sc, out);
          }
        };
      }
      case "thompson" -> {
        ThompsonKernel k = ThompsonKernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, BlockScratch sc, TrialSums out) {
            ClassicBatch b = k.newBatch(n, ARMS, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.run(b, trials, pool, sc.actions(trials), null);
            sc.curves.accumulate(n, trials, ARMS, p, sc.actions, sc.cumulative, out.sum, out.sumSquares);
            b.rewardSums(sc.rewards);
            b.suboptimalPulls(sc.suboptimal);
            totals(n, trials, sc, out);
          }
        };
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * A block's totals from the kernel's per-agent accumulators (reward sums and suboptimal pulls are
   * whole numbers, so their float64 sums are exact in any order).
   */
  private static void totals(int n, int trials, BlockScratch sc, TrialSums out) {
    double reward = 0, wrong = 0;
    for (int i = 0; i < n; i++) {
      reward += sc.rewards[i];
      wrong += sc.suboptimal[i];
    }
    out.agents += n;
    out.rewardFraction += reward / trials;
    out.suboptimalFraction += wrong / trials;
  }

  /**
   * Runs the blocks of one agent type in waves of {@value #BLOCKS_PER_THREAD} blocks per worker: a
   * worker builds a block's episodes, plays them with the kernel on its own thread
   * ({@link Parallel#serial()}) and sums them; the block sums are merged in block order, so the numbers
   * do not depend on the thread count. Set-up and bookkeeping thus run on every core, not only the
   * kernel (with the kernel parallel within a block, they ran on one core while the others waited),
   * and several blocks per worker and wave keep a worker that the system pauses from holding up the
   * others for long.
   */
  private String runFused(FusedKernel kernel, Parallel parallel, LongConsumer progress, TrialSums total) {
    int trials = spec.trials();
    int maxBlock = (int) Math.min(spec.agents(), spec.blockAgents());
    long blocks = blocksPerType();
    int wave = parallel.threads() * BLOCKS_PER_THREAD;
    BlockScratch[] scratch = new BlockScratch[parallel.threads()];
    TrialSums[] partial = new TrialSums[wave];
    for (int w = 0; w < wave; w++) {
      partial[w] = new TrialSums(trials);
    }
    for (long b0 = 0; b0 < blocks && !stopRequested; b0 += wave) {
      int inWave = (int) Math.min(wave, blocks - b0);
      long base = b0;
      parallel.forEachBlock(inWave, (worker, i) -> {
        BlockScratch sc = scratch[worker];
        if (sc == null) {
          sc = new BlockScratch(maxBlock);
          scratch[worker] = sc;
        }
        long b = base + i;
        BernoulliBandit env = environment(b);
        int n = env.batchSize();
        partial[i].clear();
        kernel.play(n, b * spec.blockAgents(), env.armProbabilities(), Parallel.serial(), sc, partial[i]);
      });
      for (int i = 0; i < inWave; i++) {
        total.merge(partial[i]);
        progress.accept(partial[i].agents);
      }
    }
    return kernel.implementation();
  }

  /**
   * A block's scratch: per-agent accumulators read back from the kernel, and for the kernels without
   * built-in regret sums the recorded actions (allocated on first use) and a regret-curve kernel.
   */
  private static final class BlockScratch {
    final double[] rewards;
    final double[] suboptimal;
    final float[] cumulative;
    final RegretCurveKernel curves = RegretCurveKernel.create();
    private final int maxBlock;
    int[] actions;

    BlockScratch(int maxBlock) {
      this.maxBlock = maxBlock;
      rewards = new double[maxBlock];
      suboptimal = new double[maxBlock];
      cumulative = new float[maxBlock];
    }

    int[] actions(int trials) {
      if (actions == null) {
        actions = new int[trials * maxBlock];
      }
      return actions;
    }
  }

  private BanditPrior bayesPrior() {
    return spec.prior() == BanditPrior.CORRELATED ? BanditPrior.CORRELATED : BanditPrior.INDEPENDENT;
  }

  private void runClassic(String type, Parallel parallel, LongConsumer progress, TrialSums total) {
    int trials = spec.trials();
    GittinsIndex gittins = type.equals("gittins") ? GittinsIndex.load(spec.gittinsDiscount(), trials) : null;
    BayesOptimalPolicy bayes = type.equals("bayes-optimal") ? BayesOptimalPolicy.load(bayesPrior(), trials) : null;
    int wave = parallel.threads();
    TrialSums[] partial = new TrialSums[wave];
    for (int w = 0; w < wave; w++) {
      partial[w] = new TrialSums(trials);
    }
    long blocks = blocksPerType();
    for (long b0 = 0; b0 < blocks && !stopRequested; b0 += wave) {
      int inWave = (int) Math.min(wave, blocks - b0);
      long base = b0;
      parallel.forEachBlock(inWave, (worker, i) -> {
        long b = base + i;
        BernoulliBandit env = environment(b);
        int n = env.batchSize();
        long first = b * spec.blockAgents();
        BatchAgent agent = switch (type) {
          case "gittins" -> new GittinsAgent(n, ARMS, gittins);
          case "bayes-optimal" -> new BayesOptimalAgent(n, bayes);
          default -> throw new IllegalArgumentException("agent = " + type + "; allowed: "
              + SimulationSpec.AGENT_TYPES);
        };
        partial[i].clear();
        play(env, agent, partial[i]);
      });
      for (int i = 0; i < inWave; i++) {
        total.merge(partial[i]);
        progress.accept(partial[i].agents);
      }
    }
  }

  private static void play(BernoulliBandit env, BatchAgent agent, TrialSums out) {
    int n = env.batchSize();
    int trials = env.trials();
    int[] actions = new int[n];
    float[] rewards = new float[n];
    boolean[] truncated = new boolean[n];
    double[] regret = new double[n];
    agent.reset(0);
    long wrong = 0;
    double reward = 0;
    for (int t = 0; t < trials; t++) {
      agent.act(null, actions);
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) {
        float r = env.expectedRegret(i, actions[i]);
        if (r > 0f) {
          wrong++;
        }
        double cum = regret[i] + r;
        regret[i] = cum;
        s += cum;
        s2 += cum * cum;
      }
      env.step(actions, null, rewards, null, truncated);
      for (int i = 0; i < n; i++) {
        reward += rewards[i];
      }
      agent.observe(actions, rewards, truncated);
      out.sum[t] += s;
      out.sumSquares[t] += s2;
    }
    out.agents += n;
    out.rewardFraction += reward / trials;
    out.suboptimalFraction += (double) wrong / trials;
  }
}
