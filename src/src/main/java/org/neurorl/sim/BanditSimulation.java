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
import org.neurorl.env.CueActionTask;
import org.neurorl.env.ReversalBandit;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.ThompsonKernel;
import org.neurorl.kernel.classic.Ucb1Kernel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;
import org.neurorl.kernel.stats.RegretCurveKernel;
import org.neurorl.plot.CueQLearners;

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
  /** Blocks per worker in one wave of {@link #runFused} (balance against the memory of a wave's results). */
  private static final int BLOCKS_PER_THREAD = 8;

  /** Summary of one agent type: per-trial curves (element t is after t + 1 trials) and totals. */
  public record AgentSummary(String agent, String implementation, int[] checkpoints, double[] meanRegret,
      double[] ci95, double[] sdRegret, double[] curveMean, double[] curveCi95, double meanReward,
      double suboptimalFraction, long agentsDone, double seconds, double agentTrialsPerSecond,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      CueCurves cueAction) {
    /** A bandit summary (no cue–action curves). */
    public AgentSummary(String agent, String implementation, int[] checkpoints, double[] meanRegret,
        double[] ci95, double[] sdRegret, double[] curveMean, double[] curveCi95, double meanReward,
        double suboptimalFraction, long agentsDone, double seconds, double agentTrialsPerSecond) {
      this(agent, implementation, checkpoints, meanRegret, ci95, sdRegret, curveMean, curveCi95, meanReward,
          suboptimalFraction, agentsDone, seconds, agentTrialsPerSecond, null);
    }
  }

  /**
   * Per-trial curves of the cue–action task (element t is trial t + 1): the fraction of agents choosing the
   * cue's rewarded action and the mean reward, each with the normal 95% interval of the mean. The reward is
   * {@code wrongReward + (correctReward − wrongReward) · correct}, so its curve is the accuracy's, rescaled.
   */
  public record CueCurves(double[] accuracyMean, double[] accuracyCi95, double[] rewardMean, double[] rewardCi95) {}

  /**
   * Receives per-agent summaries block by block, in agent order, on the thread that runs the simulation:
   * {@code rows[i * columns + c]} for agents {@code first .. first + n − 1} of agent type {@code type},
   * with the columns of {@link #perAgentColumns}.
   */
  @FunctionalInterface
  public interface PerAgentSink {
    void block(String type, long first, int n, int columns, double[] rows) throws java.io.IOException;
  }

  /**
   * The per-agent columns: total reward of the episode, cumulative expected regret at the last trial,
   * suboptimal pulls, then the episode's arm probabilities {@code p0, p1, ...} (as drawn, before any
   * reversal) and, on the reversal task, the trial at which they reversed.
   */
  public static List<String> perAgentColumns(SimulationSpec spec) {
    if (spec.onCueActionTask()) {
      return CUE_COLUMNS;
    }
    return perAgentColumns(spec.arms(), spec.reversal() != null);
  }

  /**
   * The per-agent columns of the cue–action task: total reward, cumulative regret at the last trial, wrong
   * choices, and the fraction of correct choices before and from the switch trial.
   */
  static final List<String> CUE_COLUMNS = List.of("total_reward", "regret_at_T", "suboptimal_pulls",
      "accuracy_before_switch", "accuracy_after_switch");

  public static List<String> perAgentColumns(int arms, boolean reversal) {
    List<String> c = new ArrayList<>(List.of("total_reward", "regret_at_T", "suboptimal_pulls"));
    for (int a = 0; a < arms; a++) {
      c.add("p" + a);
    }
    if (reversal) {
      c.add("reversal_trial");
    }
    return c;
  }

  /** The result of a run; {@code complete} is false when it was stopped early. */
  public record Result(SimulationSpec spec, List<AgentSummary> agents, boolean complete, double wallSeconds) {}

  private final SimulationSpec spec;
  private volatile boolean stopRequested;
  private PerAgentSink perAgent;

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
    return run(progress, null);
  }

  /** As {@link #run(LongConsumer)}, and hands every agent's summary to {@code perAgent} when not null. */
  public Result run(LongConsumer progress, PerAgentSink perAgent) {
    this.perAgent = perAgent;
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
    FusedKernel kernel = spec.onCueActionTask() ? null : fused(type);
    if (spec.onCueActionTask()) {
      implementation = "java-f64";
      runCue(type, parallel, progress, total);
    } else if (kernel != null) {
      implementation = runFused(type, kernel, parallel, progress, total);
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
        seconds, seconds > 0 ? n * (double) trials / seconds : Double.NaN,
        spec.onCueActionTask() ? cueCurves(total) : null);
  }

  /** Accuracy and reward per trial from the correct-choice counts (binomial: the square sums equal the sums). */
  private CueCurves cueCurves(TrialSums total) {
    int trials = spec.trials();
    CueActionSpec c = spec.cueAction();
    long n = total.agents;
    double[] acc = new double[trials], accCi = new double[trials], rew = new double[trials], rewCi = new double[trials];
    for (int t = 0; t < trials; t++) {
      double p = n == 0 ? Double.NaN : total.correct[t] / n;
      double half = n < 2 ? Double.NaN
          : 1.959963984540054 * Math.sqrt(Math.max(0, p * (1 - p) * n / (n - 1)) / n);
      acc[t] = p;
      accCi[t] = half;
      rew[t] = c.wrongReward() + c.wrongRegret() * p;
      rewCi[t] = c.wrongRegret() * half;
    }
    return new CueCurves(acc, accCi, rew, rewCi);
  }

  /**
   * The cue–action task: the learners of {@link CueQLearners} (plain float64, as {@code plot cue-values}
   * runs them) step through {@link CueActionTask} one trial at a time, block by block, several blocks at
   * once (one per worker), the block sums merged in block order. The task's and the learners' random
   * streams depend only on the seed and the agent's index in the population, so agent {@code i} plays
   * the same episode whatever the block size and thread count, and every agent type meets the same
   * cues and rewarded actions.
   */
  private void runCue(String type, Parallel parallel, LongConsumer progress, TrialSums total) {
    int trials = spec.trials();
    int wave = parallel.threads() * BLOCKS_PER_THREAD;
    TrialSums[] partial = new TrialSums[wave];
    for (int w = 0; w < wave; w++) {
      partial[w] = new TrialSums(trials);
    }
    int columns = CUE_COLUMNS.size();
    int maxBlock = (int) Math.min(spec.agents(), spec.blockAgents());
    double[][] rows = perAgent == null ? null : new double[wave][maxBlock * columns];
    long blocks = blocksPerType();
    for (long b0 = 0; b0 < blocks && !stopRequested; b0 += wave) {
      int inWave = (int) Math.min(wave, blocks - b0);
      long base = b0;
      parallel.forEachBlock(inWave, (worker, i) -> {
        partial[i].clear();
        playCue(type, base + i, partial[i], rows == null ? null : rows[i]);
      });
      for (int i = 0; i < inWave; i++) {
        total.merge(partial[i]);
        if (rows != null) {
          deliver(type, (b0 + i) * spec.blockAgents(), (int) partial[i].agents, columns, rows[i]);
        }
        progress.accept(partial[i].agents);
      }
    }
  }

  /** Plays one block of cue–action episodes; fills {@code rows} ({@link #CUE_COLUMNS}) when not null. */
  private void playCue(String type, long block, TrialSums out, double[] rows) {
    CueActionSpec c = spec.cueAction();
    long first = block * spec.blockAgents();
    int n = (int) Math.min(spec.blockAgents(), spec.agents() - first);
    int trials = spec.trials();
    CueActionTask task = new CueActionTask(n, c.actions(), c.activeCues(), c.replacedCues(), trials, c.switchTrial(),
        c.correctReward(), c.wrongReward(), null, false, spec.seed(), first);
    BatchAgent agent = CueQLearners.create(type, task, spec.latentUnits(), spec.learningRate(), spec.beta(),
        spec.initScale(), spec.seed(), first);
    float[] obs = new float[n * task.observationSize()];
    int[] actions = new int[n];
    float[] rewards = new float[n];
    boolean[] truncated = new boolean[n];
    double[] regret = new double[n];
    int[] wrongBefore = new int[n];
    int[] wrongAfter = new int[n];
    double wrongCost = c.wrongRegret();
    task.reset(0, obs);
    agent.reset(0);
    long wrong = 0;
    for (int t = 0; t < trials; t++) {
      agent.act(obs, actions);
      int[] cue = task.currentCue();
      int[] wrongCount = t < c.switchTrial() ? wrongBefore : wrongAfter;
      long right = 0;
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) {
        if (actions[i] == task.correctAction(i, cue[i])) {
          right++;
        } else {
          wrongCount[i]++;
          regret[i] += wrongCost;
        }
        double cum = regret[i];
        s += cum;
        s2 += cum * cum;
      }
      task.step(actions, obs, rewards, null, truncated);
      agent.observe(actions, rewards, truncated);
      wrong += n - right;
      out.sum[t] += s;
      out.sumSquares[t] += s2;
      out.correct[t] += right;
    }
    long right = (long) n * trials - wrong;
    out.agents += n;
    out.rewardFraction += (right * (double) c.correctReward() + wrong * (double) c.wrongReward()) / trials;
    out.suboptimalFraction += (double) wrong / trials;
    if (rows != null) {
      int before = c.switchTrial(), after = trials - c.switchTrial();
      for (int i = 0; i < n; i++) {
        int o = i * CUE_COLUMNS.size();
        int w = wrongBefore[i] + wrongAfter[i];
        rows[o] = (trials - w) * (double) c.correctReward() + w * (double) c.wrongReward();
        rows[o + 1] = regret[i];
        rows[o + 2] = w;
        rows[o + 3] = 1.0 - (double) wrongBefore[i] / before;
        rows[o + 4] = 1.0 - (double) wrongAfter[i] / after;
      }
    }
  }

  private String label(String type) {
    return type.equals("bayes-optimal") ? "bayes-optimal(" + bayesPrior().label() + ")" : type;
  }

  private BernoulliBandit environment(long block) {
    long first = block * spec.blockAgents();
    int n = (int) Math.min(spec.blockAgents(), spec.agents() - first);
    BernoulliBandit env = new BernoulliBandit(n, spec.arms(), spec.trials(), spec.prior(), spec.probabilities(),
        false, spec.seed(), first);
    env.reset(0, null);
    return env;
  }

  /** One agent type's batched kernel. */
  private interface FusedKernel {
    String implementation();

    /** A fresh batch for agents {@code first .. first + n − 1} (one episode each). */
    Play start(int n, long first);
  }

  /** One block's batch, played in phases of constant arm probabilities. */
  private interface Play {
    void setProbabilities(float[] p);

    /**
     * Plays {@code trials} trials on the given pool and adds the regret sums after each to
     * {@code out.sum[from + k]} and {@code out.sumSquares[from + k]}; {@code whole} when this call is
     * the whole episode (from trial 0, one set of probabilities).
     */
    void run(int trials, int from, boolean whole, Parallel pool, BlockScratch sc, TrialSums out);

    /** The per-agent reward sums, suboptimal pulls and cumulative regret into the scratch. */
    void accumulators(BlockScratch sc);
  }

  /** {@code newBatch(agents, arms, seed, firstAgentIndex)} of a classic kernel (UCB1, Thompson). */
  private interface ClassicFactory {
    ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex);
  }

  /** {@code run(batch, trials, pool, actionsOut, rewardsOut)} of a classic kernel (UCB1, Thompson). */
  private interface ClassicRunner {
    void run(ClassicBatch batch, int trials, Parallel pool, int[] actionsOut, float[] rewardsOut);
  }

  /** A classic kernel as a fused one: UCB1 and Thompson share the batch type and the run signature. */
  private FusedKernel classic(String implementation, ClassicFactory factory, ClassicRunner runner) {
    int arms = spec.arms();
    return new FusedKernel() {
      public String implementation() {
        return implementation;
      }

      public Play start(int n, long first) {
        ClassicBatch b = factory.newBatch(n, arms, spec.seed(), first);
        return new ClassicPlay(b, (t, pool, actions) -> runner.run(b, t, pool, actions, null));
      }
    };
  }

  private FusedKernel fused(String type) {
    int arms = spec.arms();
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

            public Play start(int n, long first) {
              QBatch b = k.newBatch(n, 1, spec.latentUnits(), arms, params, spec.seed(), first);
              return new QPlay(b, (t, pool, sum, sq) -> k.runRegretSums(b, t, pool, sum, sq));
            }
          };
        }
        TabularQKernel k = TabularQKernel.create();
        return new FusedKernel() {
          public String implementation() {
            return k.implementation();
          }

          public Play start(int n, long first) {
            QBatch b = k.newBatch(n, 1, arms, params, spec.seed(), first);
            return new QPlay(b, (t, pool, sum, sq) -> k.runRegretSums(b, t, pool, sum, sq));
          }
        };
      }
      case "ucb1" -> {
        Ucb1Kernel k = Ucb1Kernel.create();
        return classic(k.implementation(), k::newBatch, k::run);
      }
      case "thompson" -> {
        ThompsonKernel k = ThompsonKernel.create();
        return classic(k.implementation(), k::newBatch, k::run);
      }
      default -> {
        return null;
      }
    }
  }

  @FunctionalInterface
  private interface SummedRun {
    void run(int trials, Parallel pool, double[] sum, double[] sumSquares);
  }

  @FunctionalInterface
  private interface RecordedRun {
    void run(int trials, Parallel pool, int[] actions);
  }

  /** Q kernels: the kernel sums the regret curves itself ({@code runRegretSums}). */
  private record QPlay(QBatch batch, SummedRun summed) implements Play {
    public void setProbabilities(float[] p) {
      batch.setRewardProbabilities(p);
    }

    public void run(int trials, int from, boolean whole, Parallel pool, BlockScratch sc, TrialSums out) {
      java.util.Arrays.fill(sc.phaseSum, 0, trials, 0.0);
      java.util.Arrays.fill(sc.phaseSquares, 0, trials, 0.0);
      summed.run(trials, pool, sc.phaseSum, sc.phaseSquares);
      for (int k = 0; k < trials; k++) {
        out.sum[from + k] += sc.phaseSum[k];
        out.sumSquares[from + k] += sc.phaseSquares[k];
      }
    }

    public void accumulators(BlockScratch sc) {
      batch.rewardSums(sc.rewards);
      batch.suboptimalPulls(sc.suboptimal);
      batch.cumulativeRegret(sc.regret);
    }
  }

  /**
   * UCB1 and Thompson: a whole episode records its actions and the regret-curve kernel sums them; a
   * phase of a reversal episode is played one trial at a time, summing the kernel's cumulative regret.
   */
  private static final class ClassicPlay implements Play {
    private final ClassicBatch batch;
    private final RecordedRun recorded;
    private float[] p;

    ClassicPlay(ClassicBatch batch, RecordedRun recorded) {
      this.batch = batch;
      this.recorded = recorded;
    }

    public void setProbabilities(float[] p) {
      batch.setRewardProbabilities(p);
      this.p = p;
    }

    public void run(int trials, int from, boolean whole, Parallel pool, BlockScratch sc, TrialSums out) {
      int n = batch.agents();
      if (whole) {
        recorded.run(trials, pool, sc.actions(trials));
        sc.curves.accumulate(n, trials, batch.arms(), p, sc.actions, sc.cumulative, out.sum, out.sumSquares);
        return;
      }
      for (int k = 0; k < trials; k++) {
        recorded.run(1, pool, null);
        batch.cumulativeRegret(sc.regret);
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) {
          double c = sc.regret[i];
          s += c;
          s2 += c * c;
        }
        out.sum[from + k] += s;
        out.sumSquares[from + k] += s2;
      }
    }

    public void accumulators(BlockScratch sc) {
      batch.rewardSums(sc.rewards);
      batch.suboptimalPulls(sc.suboptimal);
      batch.cumulativeRegret(sc.regret);
    }
  }

  /** Episodes of one block: the drawn probabilities and, on the reversal task, when and to what they change. */
  private record Episodes(int n, float[] drawn, float[] reversed, int[] reversalTrial) {}

  private Episodes episodes(long block) {
    long first = block * spec.blockAgents();
    int n = (int) Math.min(spec.blockAgents(), spec.agents() - first);
    if (spec.reversal() == null) {
      BernoulliBandit env = environment(block);
      return new Episodes(n, env.armProbabilities(), null, null);
    }
    int[] r = spec.reversal();
    ReversalBandit env = new ReversalBandit(n, spec.arms(), spec.trials(), spec.prior(), spec.probabilities(),
        r[0], r[1], false, spec.seed(), first);
    env.reset(0, null);
    float[] drawn = env.armProbabilities().clone();
    float[] reversed = new float[drawn.length];
    env.reversedProbabilities(drawn, reversed);
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      at[i] = env.reversalTrial(i);
    }
    return new Episodes(n, drawn, reversed, at);
  }

  /**
   * Plays one block's episodes: a stationary episode in one call; a reversal episode in phases (the drawn
   * probabilities before the earliest reversal trial, one trial at a time while slots reverse, the
   * reversed probabilities after the latest).
   */
  private void playBlock(FusedKernel kernel, long block, BlockScratch sc, TrialSums out, double[] rows) {
    Episodes e = episodes(block);
    int n = e.n(), trials = spec.trials();
    Play play = kernel.start(n, block * spec.blockAgents());
    Parallel serial = Parallel.serial();
    if (e.reversed() == null) {
      play.setProbabilities(e.drawn());
      play.run(trials, 0, true, serial, sc, out);
    } else {
      int min = spec.reversal()[0], max = spec.reversal()[1];
      play.setProbabilities(e.drawn());
      play.run(min, 0, false, serial, sc, out);
      float[] mixed = new float[e.drawn().length];
      for (int t = min; t <= max; t++) {
        for (int a = 0; a < spec.arms(); a++) {
          for (int i = 0; i < n; i++) {
            mixed[a * n + i] = t >= e.reversalTrial()[i] ? e.reversed()[a * n + i] : e.drawn()[a * n + i];
          }
        }
        play.setProbabilities(mixed);
        play.run(1, t, false, serial, sc, out);
      }
      if (max + 1 < trials) {
        play.setProbabilities(e.reversed());
        play.run(trials - max - 1, max + 1, false, serial, sc, out);
      }
    }
    play.accumulators(sc);
    totals(n, trials, sc, out);
    if (rows != null) {
      rows(n, e.drawn(), sc.rewards, sc.regret, sc.suboptimal, e.reversalTrial(), rows);
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
  private String runFused(String type, FusedKernel kernel, Parallel parallel, LongConsumer progress,
      TrialSums total) {
    int trials = spec.trials();
    int maxBlock = (int) Math.min(spec.agents(), spec.blockAgents());
    long blocks = blocksPerType();
    int wave = parallel.threads() * BLOCKS_PER_THREAD;
    BlockScratch[] scratch = new BlockScratch[parallel.threads()];
    TrialSums[] partial = new TrialSums[wave];
    for (int w = 0; w < wave; w++) {
      partial[w] = new TrialSums(trials);
    }
    int columns = perAgentColumns(spec.arms(), spec.reversal() != null).size();
    double[][] rows = perAgent == null ? null : new double[wave][maxBlock * columns];
    for (long b0 = 0; b0 < blocks && !stopRequested; b0 += wave) {
      int inWave = (int) Math.min(wave, blocks - b0);
      long base = b0;
      parallel.forEachBlock(inWave, (worker, i) -> {
        BlockScratch sc = scratch[worker];
        if (sc == null) {
          sc = new BlockScratch(maxBlock, trials);
          scratch[worker] = sc;
        }
        partial[i].clear();
        playBlock(kernel, base + i, sc, partial[i], rows == null ? null : rows[i]);
      });
      for (int i = 0; i < inWave; i++) {
        total.merge(partial[i]);
        if (rows != null) {
          deliver(type, (b0 + i) * spec.blockAgents(), (int) partial[i].agents, columns, rows[i]);
        }
        progress.accept(partial[i].agents);
      }
    }
    return kernel.implementation();
  }

  /**
   * A worker's scratch: per-agent accumulators read back from the kernel, a phase's regret sums, and for
   * the kernels without built-in regret sums the recorded actions (allocated on first use) and a
   * regret-curve kernel.
   */
  private static final class BlockScratch {
    final double[] rewards;
    final double[] suboptimal;
    final double[] regret;
    final double[] phaseSum;
    final double[] phaseSquares;
    final float[] cumulative;
    final RegretCurveKernel curves = RegretCurveKernel.create();
    private final int maxBlock;
    int[] actions;

    BlockScratch(int maxBlock, int trials) {
      this.maxBlock = maxBlock;
      rewards = new double[maxBlock];
      suboptimal = new double[maxBlock];
      regret = new double[maxBlock];
      phaseSum = new double[trials];
      phaseSquares = new double[trials];
      cumulative = new float[maxBlock];
    }

    int[] actions(int trials) {
      if (actions == null) {
        actions = new int[trials * maxBlock];
      }
      return actions;
    }
  }

  /**
   * One block's per-agent rows (see {@link #perAgentColumns}); {@code p[arm * n + slot]};
   * {@code reversalTrial} null on a stationary task.
   */
  private static void rows(int n, float[] p, double[] reward, double[] regret, double[] wrong, int[] reversalTrial,
      double[] out) {
    int arms = p.length / n;
    int columns = 3 + arms + (reversalTrial == null ? 0 : 1);
    for (int i = 0; i < n; i++) {
      int o = i * columns;
      out[o] = reward[i];
      out[o + 1] = regret[i];
      out[o + 2] = wrong[i];
      for (int a = 0; a < arms; a++) {
        out[o + 3 + a] = p[a * n + i];
      }
      if (reversalTrial != null) {
        out[o + 3 + arms] = reversalTrial[i];
      }
    }
  }

  private void deliver(String type, long first, int n, int columns, double[] rows) {
    try {
      perAgent.block(type, first, n, columns, rows);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
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
    int columns = perAgentColumns(spec.arms(), false).size();
    int maxBlock = (int) Math.min(spec.agents(), spec.blockAgents());
    double[][] rows = perAgent == null ? null : new double[wave][maxBlock * columns];
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
          case "gittins" -> new GittinsAgent(n, spec.arms(), gittins);
          case "bayes-optimal" -> new BayesOptimalAgent(n, bayes);
          default -> throw new IllegalArgumentException("agent = " + type + "; allowed: "
              + SimulationSpec.AGENT_TYPES);
        };
        partial[i].clear();
        play(env, agent, partial[i], rows == null ? null : rows[i]);
      });
      for (int i = 0; i < inWave; i++) {
        total.merge(partial[i]);
        if (rows != null) {
          deliver(type, (b0 + i) * spec.blockAgents(), (int) partial[i].agents, columns, rows[i]);
        }
        progress.accept(partial[i].agents);
      }
    }
  }

  /** Plays one block's episodes step by step; fills {@code rows} (per-agent summaries) when not null. */
  private static void play(BernoulliBandit env, BatchAgent agent, TrialSums out, double[] rows) {
    int n = env.batchSize();
    int trials = env.trials();
    int[] actions = new int[n];
    float[] rewards = new float[n];
    boolean[] truncated = new boolean[n];
    double[] regret = new double[n];
    double[] agentReward = rows == null ? null : new double[n];
    double[] agentWrong = rows == null ? null : new double[n];
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
          if (agentWrong != null) {
            agentWrong[i]++;
          }
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
      if (agentReward != null) {
        for (int i = 0; i < n; i++) {
          agentReward[i] += rewards[i];
        }
      }
      agent.observe(actions, rewards, truncated);
      out.sum[t] += s;
      out.sumSquares[t] += s2;
    }
    out.agents += n;
    out.rewardFraction += reward / trials;
    out.suboptimalFraction += (double) wrong / trials;
    if (rows != null) {
      rows(n, env.armProbabilities(), agentReward, regret, agentWrong, null, rows);
    }
  }
}
