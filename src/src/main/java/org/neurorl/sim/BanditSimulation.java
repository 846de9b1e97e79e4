package org.neurorl.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;

/**
 * Runs a {@link SimulationSpec}: every agent type plays one episode per simulated agent on the same
 * bandit episodes (slot {@code i} of the population sees the same arm probabilities and reward draws
 * whichever agent type plays it), in blocks of {@code blockAgents} agents so memory does not grow with
 * the number of agents. Per-agent cumulative regret is summarised at each checkpoint trial as it
 * streams by, in agent order, so the summary is the same bit for bit whatever the thread count.
 *
 * <p>The trials of a block run inside the batched Q kernels (the fused path: the kernel reads the
 * environment's arm probabilities and draws rewards itself), not trial by trial through
 * {@link org.neurorl.env.BatchEnv#step}.
 */
public final class BanditSimulation {
  private static final int ARMS = 2;

  /** Summary of one agent type. */
  public record AgentSummary(String agent, String implementation, int[] checkpoints, double[] meanRegret,
      double[] ci95, double[] sdRegret, double meanReward, double suboptimalFraction, long agentsDone,
      double kernelSeconds, double agentTrialsPerSecond) {}

  /** The result of a run; {@code complete} is false when it was stopped early. */
  public record Result(SimulationSpec spec, List<AgentSummary> agents, boolean complete, double wallSeconds) {}

  private final SimulationSpec spec;
  private volatile boolean stopRequested;

  public BanditSimulation(SimulationSpec spec) {
    this.spec = spec;
  }

  /** Asks a running simulation to stop after the block in progress (for Ctrl-C). */
  public void requestStop() {
    stopRequested = true;
  }

  /** Total blocks of work (agent types × agent blocks), for progress reporting. */
  public long totalBlocks() {
    return spec.agentTypes().size() * blocksPerType();
  }

  private long blocksPerType() {
    return (spec.agents() + spec.blockAgents() - 1) / spec.blockAgents();
  }

  /**
   * Runs the simulation. {@code progress} is told the number of agents finished after each block.
   */
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

  private QParams params(String type) {
    float init = type.equals("latent-q") ? spec.initScale() : 0f;
    return spec.epsilon() == null
        ? QParams.softmax(spec.learningRate(), spec.beta(), init)
        : QParams.epsilonGreedy(spec.learningRate(), spec.epsilon(), init);
  }

  private AgentSummary runType(String type, Parallel parallel, LongConsumer progress) {
    int[] cps = spec.checkpoints();
    RunningStats[] regret = new RunningStats[cps.length];
    for (int i = 0; i < cps.length; i++) {
      regret[i] = new RunningStats();
    }
    RunningStats reward = new RunningStats();
    RunningStats suboptimal = new RunningStats();
    QParams params = params(type);
    LatentQKernel latent = type.equals("latent-q") ? LatentQKernel.create() : null;
    TabularQKernel tabular = type.equals("tabular-q") ? TabularQKernel.create() : null;
    String implementation = latent != null ? latent.implementation() : tabular.implementation();
    double[] buffer = new double[(int) Math.min(spec.agents(), spec.blockAgents())];
    long done = 0;
    long kernelNanos = 0;
    for (long block = 0; block < blocksPerType() && !stopRequested; block++) {
      long first = block * spec.blockAgents();
      int n = (int) Math.min(spec.blockAgents(), spec.agents() - first);
      BernoulliBandit env = new BernoulliBandit(n, ARMS, spec.trials(), spec.prior(), spec.probabilities(),
          false, spec.seed(), first);
      env.reset(0, null);
      QBatch batch = latent != null
          ? latent.newBatch(n, 1, spec.latentUnits(), ARMS, params, spec.seed(), first)
          : tabular.newBatch(n, 1, ARMS, params, spec.seed(), first);
      batch.setRewardProbabilities(env.armProbabilities());
      int played = 0;
      for (int c = 0; c < cps.length; c++) {
        long t0 = System.nanoTime();
        if (latent != null) {
          latent.run(batch, cps[c] - played, parallel);
        } else {
          tabular.run(batch, cps[c] - played, parallel);
        }
        kernelNanos += System.nanoTime() - t0;
        played = cps[c];
        batch.cumulativeRegret(buffer);
        for (int i = 0; i < n; i++) {
          regret[c].add(buffer[i]);
        }
      }
      if (played < spec.trials()) {
        long t0 = System.nanoTime();
        if (latent != null) {
          latent.run(batch, spec.trials() - played, parallel);
        } else {
          tabular.run(batch, spec.trials() - played, parallel);
        }
        kernelNanos += System.nanoTime() - t0;
      }
      batch.rewardSums(buffer);
      for (int i = 0; i < n; i++) {
        reward.add(buffer[i] / spec.trials());
      }
      batch.suboptimalPulls(buffer);
      for (int i = 0; i < n; i++) {
        suboptimal.add(buffer[i] / spec.trials());
      }
      done += n;
      progress.accept(n);
    }
    double[] mean = new double[cps.length], ci = new double[cps.length], sd = new double[cps.length];
    for (int c = 0; c < cps.length; c++) {
      mean[c] = regret[c].mean();
      ci[c] = regret[c].ci95();
      sd[c] = regret[c].sd();
    }
    double seconds = kernelNanos * 1e-9;
    return new AgentSummary(type, implementation, cps.clone(), mean, ci, sd, reward.mean(), suboptimal.mean(),
        done, seconds, seconds > 0 ? done * (double) spec.trials() / seconds : Double.NaN);
  }
}
