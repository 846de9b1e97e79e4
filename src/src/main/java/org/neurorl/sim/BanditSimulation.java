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

/**
 * Runs a {@link SimulationSpec}: every agent type plays one episode per simulated agent on the same
 * bandit episodes (slot {@code i} of the population meets the same arm probabilities and reward draws
 * whichever agent plays it), in blocks of {@code blockAgents} agents so memory does not grow with the
 * number of agents. The cumulative regret {@code R_t = Σ_{k ≤ t} (max p − p_{a_k})} (MODELS.md §6)
 * of every agent streams into per-trial sums, block by block, merged in block order: the result is the
 * same bit for bit whatever the thread count.
 *
 * <p>Latent Q, tabular Q, UCB1 and Thompson run their trials inside the batched SIMD kernels (the
 * fused path: the kernel reads the environment's arm probabilities and draws rewards itself; the pool
 * parallelises within a block). Gittins and the Bayes-optimal policy (table look-ups) step through
 * {@link org.neurorl.env.BatchEnv#step} and run several blocks at once, one per worker.
 */
public final class BanditSimulation {
  private static final int ARMS = 2;

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

  /** One agent type's batched kernel: plays a whole episode for a block, recording actions and rewards. */
  private interface FusedKernel {
    String implementation();

    void play(int n, long first, float[] probabilities, Parallel parallel, int[] actions, float[] rewards);
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

            public void play(int n, long first, float[] p, Parallel pool, int[] actions, float[] rewards) {
              QBatch b = k.newBatch(n, 1, spec.latentUnits(), ARMS, params, spec.seed(), first);
              b.setRewardProbabilities(p);
              k.run(b, trials, pool, actions, rewards);
            }
          };
        }
        TabularQKernel k = TabularQKernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, int[] actions, float[] rewards) {
            QBatch b = k.newBatch(n, 1, ARMS, params, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.run(b, trials, pool, actions, rewards);
          }
        };
      }
      case "ucb1" -> {
        Ucb1Kernel k = Ucb1Kernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, int[] actions, float[] rewards) {
            ClassicBatch b = k.newBatch(n, ARMS, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.run(b, trials, pool, actions, rewards);
          }
        };
      }
      case "thompson" -> {
        ThompsonKernel k = ThompsonKernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public void play(int n, long first, float[] p, Parallel pool, int[] actions, float[] rewards) {
            ClassicBatch b = k.newBatch(n, ARMS, spec.seed(), first);
            b.setRewardProbabilities(p);
            k.run(b, trials, pool, actions, rewards);
          }
        };
      }
      default -> {
        return null;
      }
    }
  }

  private String runFused(FusedKernel kernel, Parallel parallel, LongConsumer progress, TrialSums total) {
    int trials = spec.trials();
    int maxBlock = (int) Math.min(spec.agents(), spec.blockAgents());
    int[] actions = new int[trials * maxBlock];
    float[] rewards = new float[trials * maxBlock];
    double[] regret = new double[maxBlock];
    float[] regretOf = new float[ARMS * maxBlock];
    TrialSums block = new TrialSums(trials);
    for (long b = 0; b < blocksPerType() && !stopRequested; b++) {
      BernoulliBandit env = environment(b);
      int n = env.batchSize();
      kernel.play(n, b * spec.blockAgents(), env.armProbabilities(), parallel, actions, rewards);
      block.clear();
      accumulate(env, n, actions, rewards, regret, regretOf, block);
      total.merge(block);
      progress.accept(n);
    }
    return kernel.implementation();
  }

  /**
   * Per-trial sums from recorded actions ({@code [trial * n + slot]}) and the episode's probabilities.
   * Branch-free, with four partial sums per quantity (a single running double sum is a 4-cycle
   * dependency chain per agent-trial, which made this loop, not the kernel, the bottleneck of a run);
   * the partial sums are combined in a fixed order, so results do not depend on the thread count.
   */
  private static void accumulate(BernoulliBandit env, int n, int[] actions, float[] rewards, double[] regret,
      float[] regretOf, TrialSums out) {
    float[] p = env.armProbabilities();
    for (int i = 0; i < n; i++) {
      float best = Math.max(p[i], p[n + i]);
      regretOf[i] = best - p[i];          // regret of arm 0
      regretOf[n + i] = best - p[n + i];  // regret of arm 1
    }
    java.util.Arrays.fill(regret, 0, n, 0.0);
    long wrong = 0;
    int trials = env.trials();
    int n4 = n & ~3;
    for (int t = 0; t < trials; t++) {
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
      int row = t * n;
      int i = 0;
      for (; i < n4; i += 4) {
        float r0 = regretOf[actions[row + i] * n + i];
        float r1 = regretOf[actions[row + i + 1] * n + i + 1];
        float r2 = regretOf[actions[row + i + 2] * n + i + 2];
        float r3 = regretOf[actions[row + i + 3] * n + i + 3];
        wrong += (r0 > 0f ? 1 : 0) + (r1 > 0f ? 1 : 0) + (r2 > 0f ? 1 : 0) + (r3 > 0f ? 1 : 0);
        double c0 = regret[i] + r0, c1 = regret[i + 1] + r1, c2 = regret[i + 2] + r2, c3 = regret[i + 3] + r3;
        regret[i] = c0;
        regret[i + 1] = c1;
        regret[i + 2] = c2;
        regret[i + 3] = c3;
        s0 += c0;
        s1 += c1;
        s2 += c2;
        s3 += c3;
        q0 = Math.fma(c0, c0, q0);
        q1 = Math.fma(c1, c1, q1);
        q2 = Math.fma(c2, c2, q2);
        q3 = Math.fma(c3, c3, q3);
      }
      for (; i < n; i++) {
        float r = regretOf[actions[row + i] * n + i];
        wrong += r > 0f ? 1 : 0;
        double c = regret[i] + r;
        regret[i] = c;
        s0 += c;
        q0 = Math.fma(c, c, q0);
      }
      out.sum[t] += (s0 + s1) + (s2 + s3);
      out.sumSquares[t] += (q0 + q1) + (q2 + q3);
    }
    double r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    int total = trials * n;
    int total4 = total & ~3;
    int k = 0;
    for (; k < total4; k += 4) {
      r0 += rewards[k];
      r1 += rewards[k + 1];
      r2 += rewards[k + 2];
      r3 += rewards[k + 3];
    }
    for (; k < total; k++) {
      r0 += rewards[k];
    }
    out.agents += n;
    out.rewardFraction += ((r0 + r1) + (r2 + r3)) / trials;
    out.suboptimalFraction += (double) wrong / trials;
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
