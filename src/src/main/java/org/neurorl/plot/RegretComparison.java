package org.neurorl.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.neurorl.bandit.BanditRunner;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.ThompsonKernel;
import org.neurorl.kernel.classic.Ucb1Kernel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.TabularQKernel;
import org.neurorl.sim.BanditSimulation;
import org.neurorl.sim.Json;
import org.neurorl.sim.RunningStats;
import org.neurorl.sim.SimulationSpec;

/**
 * Wang et al. (2018) Fig. 1d: cumulative regret against trial for several agents on the same episodes,
 * and the probability of choosing the better arm against trial.
 *
 * <p>Episode {@code i} is population slot {@code i}: every agent meets the arm probabilities the
 * {@link BernoulliBandit} draws for slot {@code i} (the same (p₁, p₂) in every episode on the fixed
 * task). The classic agents run in {@link BanditRunner}, whose reward draws are common to all of them;
 * the Q-learners run in their kernels through {@link BanditSimulation}, which draw the rewards from the
 * same probabilities but from each learner's own stream. The regret curve of each agent is the runner's
 * output, unchanged; the better-arm curve comes from the same trajectories, recorded on the way.
 */
public final class RegretComparison {
  /** Largest episode count: the figure is a picture of a mean, not a scale benchmark. */
  public static final int MAX_EPISODES = 1 << 22;
  /** Agents simulated at once (memory bound; results do not depend on it). */
  static final int BLOCK = 4096;

  /**
   * @param agents the agents and their parameters
   * @param episodes episodes per agent (one per population slot)
   * @param trials trials per episode
   * @param task how the arm probabilities are drawn (fixed: {@code probabilities} in every episode)
   * @param probabilities (p₁, p₂) of the fixed task
   * @param seed the run's seed
   * @param threads worker threads of the Q kernels (the numbers do not depend on it)
   */
  public record Options(FigureAgents agents, int episodes, int trials, BanditPrior task, float[] probabilities,
      long seed, int threads) {
    public Options {
      if (agents == null) {
        throw new IllegalArgumentException("agents is null; allowed: a FigureAgents");
      }
      Checks.range("episodes", episodes, 2, MAX_EPISODES);
      Checks.range("trials", trials, 1, 200);
      if (task == null) {
        throw new IllegalArgumentException("task is null; allowed: independent, correlated, fixed");
      }
      if (task == BanditPrior.FIXED) {
        if (probabilities == null || probabilities.length != 2) {
          throw new IllegalArgumentException("p = " + Arrays.toString(probabilities)
              + "; allowed: two probabilities in [0, 1] for the fixed task, e.g. 0.25,0.75");
        }
        for (int a = 0; a < 2; a++) {
          Checks.probability("p[" + a + "]", probabilities[a]);
        }
      }
      probabilities = probabilities == null ? null : probabilities.clone();
      Checks.range("threads", threads, 1, 1024);
    }

    /** Fig. 1d of Wang et al.: 300 episodes of 100 trials at (0.25, 0.75), all six agents. */
    public static Options defaults() {
      return new Options(FigureAgents.defaults(BanditPrior.INDEPENDENT), 300, 100, BanditPrior.FIXED,
          new float[] {0.25f, 0.75f}, 1, 1);
    }

    @Override
    public float[] probabilities() {
      return probabilities == null ? null : probabilities.clone();
    }

    String taskText() {
      return task == BanditPrior.FIXED
          ? String.format(Locale.ROOT, "p = (%s, %s)", probabilities[0], probabilities[1])
          : task.label() + " task";
    }
  }

  /** One agent's curves. */
  public record AgentCurves(String agent, TrialCurve cumulativeRegret, TrialCurve betterArm) {}

  /** All curves, in the order of {@code options.agents().agents()}. */
  public record Result(Options options, List<AgentCurves> agents) {}

  private RegretComparison() {}

  public static Result compute(Options o) {
    List<AgentCurves> curves = new ArrayList<>();
    for (String agent : o.agents().agents()) {
      curves.add(FigureAgents.runsInKernel(agent) ? kernelAgent(o, agent) : classicAgent(o, agent));
    }
    return new Result(o, curves);
  }

  /** The setup {@link BanditRunner} runs: {@code episodes} slots, one episode each. */
  public static BanditRunner.Setup runnerSetup(Options o) {
    return new BanditRunner.Setup(2, o.trials(), o.task(), o.task() == BanditPrior.FIXED ? o.probabilities() : null,
        o.seed(), o.episodes(), 1, BLOCK);
  }

  /** The spec {@link BanditSimulation} runs for a kernel agent: regret summarised after every trial. */
  public static SimulationSpec simulationSpec(Options o, String agent) {
    int[] every = new int[o.trials()];
    for (int t = 0; t < every.length; t++) {
      every[t] = t + 1;
    }
    FigureAgents a = o.agents();
    return new SimulationSpec(List.of(agent), o.episodes(), o.trials(), o.task().label(),
        o.probabilities() == null ? new float[] {0.25f, 0.75f} : o.probabilities(), a.learningRate(), a.beta(),
        null, a.latentUnits(), a.initScale(), (float) a.gittinsGamma(), every, o.seed(), o.threads(), BLOCK);
  }

  /** For each slot of a block, whether each arm is a best arm (zero expected regret). */
  private static boolean[] bestArms(Options o, int n, long first) {
    BernoulliBandit env = new BernoulliBandit(n, 2, o.trials(), o.task(),
        o.task() == BanditPrior.FIXED ? o.probabilities() : null, false, o.seed(), first);
    env.reset(0, null);
    boolean[] best = new boolean[2 * n];
    for (int b = 0; b < n; b++) {
      for (int a = 0; a < 2; a++) {
        best[a * n + b] = env.expectedRegret(b, a) == 0f;
      }
    }
    return best;
  }

  private static RunningStats[] stats(int trials) {
    RunningStats[] s = new RunningStats[trials];
    for (int t = 0; t < trials; t++) {
      s[t] = new RunningStats();
    }
    return s;
  }

  private static TrialCurve curve(String agent, String label, RunningStats[] s) {
    double[] mean = new double[s.length], ci = new double[s.length];
    for (int t = 0; t < s.length; t++) {
      mean[t] = s[t].mean();
      ci[t] = s[t].ci95();
    }
    return new TrialCurve(agent, label, mean, ci, s[s.length - 1].count());
  }

  private static AgentCurves classicAgent(Options o, String agent) {
    RunningStats[] better = stats(o.trials());
    BanditRunner.AgentFactory inner = o.agents().classicFactory(agent, o.trials(), o.seed());
    BanditRunner.RegretCurve regret = BanditRunner.run(runnerSetup(o), (n, first) -> {
      boolean[] best = bestArms(o, n, first);
      return new RecordingAgent(inner.create(n, first), (trial, actions) -> {
        for (int b = 0; b < n; b++) {
          better[trial].add(best[actions[b] * n + b] ? 1 : 0);
        }
      });
    });
    String label = o.agents().label(agent);
    return new AgentCurves(agent, new TrialCurve(agent, label, regret.meanCumulativeRegret(), regret.ci95(),
        regret.samples()), curve(agent, label, better));
  }

  private static AgentCurves kernelAgent(Options o, String agent) {
    SimulationSpec spec = simulationSpec(o, agent);
    BanditSimulation.AgentSummary summary = new BanditSimulation(spec).run(n -> { }).agents().get(0);
    String label = o.agents().label(agent);
    TrialCurve regret = new TrialCurve(agent, label, summary.meanRegret(), summary.ci95(), summary.agentsDone());
    return new AgentCurves(agent, regret, curve(agent, label, kernelBetterArm(o, agent)));
  }

  /**
   * Replays the kernel agent's episodes exactly as {@link BanditSimulation} plays them (same seed, slots
   * and probabilities, hence the same draws) and records its actions to count better-arm choices.
   */
  private static RunningStats[] kernelBetterArm(Options o, String agent) {
    RunningStats[] better = stats(o.trials());
    try (Parallel parallel = Parallel.of(o.threads())) {
      for (long first = 0; first < o.episodes(); first += BLOCK) {
        int n = (int) Math.min(BLOCK, o.episodes() - first);
        int[] actions = kernelActions(o.agents(), agent, probabilitiesOf(o, n, first), n, o.trials(), o.seed(),
            first, parallel);
        boolean[] best = bestArms(o, n, first);
        for (int t = 0; t < o.trials(); t++) {
          for (int b = 0; b < n; b++) {
            better[t].add(best[actions[t * n + b] * n + b] ? 1 : 0);
          }
        }
      }
    }
    return better;
  }

  private static float[] probabilitiesOf(Options o, int n, long first) {
    BernoulliBandit env = new BernoulliBandit(n, 2, o.trials(), o.task(),
        o.task() == BanditPrior.FIXED ? o.probabilities() : null, false, o.seed(), first);
    env.reset(0, null);
    return env.armProbabilities().clone();
  }

  /**
   * Plays one episode of {@code trials} trials of a kernel agent for slots {@code first .. first + n − 1}
   * with arm probabilities {@code p[arm * n + slot]} and returns the actions, {@code [trial * n + slot]}.
   */
  static int[] kernelActions(FigureAgents agents, String agent, float[] p, int n, int trials, long seed, long first,
      Parallel parallel) {
    int[] actions = new int[trials * n];
    if (agent.equals("latent-q")) {
      LatentQKernel kernel = LatentQKernel.create();
      QBatch batch = kernel.newBatch(n, 1, agents.latentUnits(), 2, agents.qParams(agent), seed, first);
      batch.setRewardProbabilities(p);
      kernel.run(batch, trials, parallel, actions, null);
    } else if (agent.equals("tabular-q")) {
      TabularQKernel kernel = TabularQKernel.create();
      QBatch batch = kernel.newBatch(n, 1, 2, agents.qParams(agent), seed, first);
      batch.setRewardProbabilities(p);
      kernel.run(batch, trials, parallel, actions, null);
    } else if (agent.equals("ucb1")) {
      Ucb1Kernel kernel = Ucb1Kernel.create();
      ClassicBatch batch = kernel.newBatch(n, 2, seed, first);
      batch.setRewardProbabilities(p);
      kernel.run(batch, trials, parallel, actions, null);
    } else if (agent.equals("thompson")) {
      ThompsonKernel kernel = ThompsonKernel.create();
      ClassicBatch batch = kernel.newBatch(n, 2, seed, first);
      batch.setRewardProbabilities(p);
      kernel.run(batch, trials, parallel, actions, null);
    } else {
      throw new IllegalArgumentException("agent = " + agent + "; allowed: " + FigureAgents.KERNEL_AGENTS);
    }
    return actions;
  }

  /**
   * The regret figure: {@code regret.png}, {@code regret.csv}, {@code regret.json} in {@code dir}.
   * {@code provenance} (e.g. the command and the machine) is copied into the JSON.
   */
  public static List<Path> writeRegret(Result r, Path dir, int width, int height, Map<String, Object> provenance)
      throws IOException {
    List<TrialCurve> curves = r.agents().stream().map(AgentCurves::cumulativeRegret).toList();
    Options o = r.options();
    XYChart chart = Charts.linesWithBands(String.format(Locale.ROOT,
        "Cumulative regret, %s, %d episodes (mean, shaded 95%% interval)", o.taskText(), o.episodes()),
        "cumulative expected regret", curves, width, height);
    return write(r, dir, "regret", chart, curves, provenance);
  }

  /** The better-arm figure: {@code better-arm.png/.csv/.json}. */
  public static List<Path> writeBetterArm(Result r, Path dir, int width, int height,
      Map<String, Object> provenance) throws IOException {
    List<TrialCurve> curves = r.agents().stream().map(AgentCurves::betterArm).toList();
    Options o = r.options();
    XYChart chart = Charts.linesWithBands(String.format(Locale.ROOT,
        "P(better arm chosen), %s, %d episodes (mean, shaded 95%% interval)", o.taskText(), o.episodes()),
        "fraction of episodes choosing the better arm", curves, width, height);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    return write(r, dir, "better-arm", chart, curves, provenance);
  }

  private static List<Path> write(Result r, Path dir, String name, XYChart chart, List<TrialCurve> curves,
      Map<String, Object> provenance) throws IOException {
    Path png = dir.resolve(name + ".png");
    Path csv = dir.resolve(name + ".csv");
    Path json = dir.resolve(name + ".json");
    Charts.writePng(chart, png);
    Charts.writeText(csv, FigureData.curvesCsv(curves));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("figure", name);
    meta.putAll(provenance);
    meta.put("options", optionsMap(r.options()));
    meta.put("curves", FigureData.curvesJson(curves));
    Json.writeAtomically(json, meta);
    return List.of(png, csv, json);
  }

  static Map<String, Object> optionsMap(Options o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("episodes", o.episodes());
    m.put("trials", o.trials());
    m.put("task", o.task().label());
    m.put("p", o.task() == BanditPrior.FIXED ? o.probabilities() : null);
    m.put("seed", o.seed());
    m.putAll(FigureData.agentsMap(o.agents()));
    m.put("rewardDraws", "classic agents share the environment's reward draws (BanditRunner); tabular-q and"
        + " latent-q draw rewards from the same probabilities in their kernels (BanditSimulation)");
    return m;
  }
}
