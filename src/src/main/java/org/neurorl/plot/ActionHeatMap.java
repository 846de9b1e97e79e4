package org.neurorl.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.neurorl.agent.BatchAgent;
import org.neurorl.bandit.BanditRunner;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.sim.Json;

/**
 * Wang et al. (2018) Fig. 1c: the action heat map of the correlated two-armed bandit. Episode {@code r}
 * has {@code p₁ = r / (rows − 1)} and {@code p₂ = 1 − p₁}: a grid over the correlated task, one episode
 * per grid value, so the rows are ordered by {@code p₁} by construction. Each agent starts every episode
 * naive; the cell at (episode, trial) is the arm it chose.
 *
 * <p>Episode {@code r} is population slot {@code r} for every agent (its reward and agent draws come from
 * slot {@code r}'s streams), so an agent's row does not depend on the other rows or agents.
 */
public final class ActionHeatMap {
  /**
   * @param agents the agents and their parameters
   * @param rows episodes, i.e. grid values of p₁ from 0 to 1 (101 gives steps of 0.01)
   * @param trials trials per episode
   * @param seed the run's seed
   */
  public record Options(FigureAgents agents, int rows, int trials, long seed) {
    public Options {
      if (agents == null) {
        throw new IllegalArgumentException("agents is null; allowed: a FigureAgents");
      }
      Checks.range("rows", rows, 2, 10_001);
      Checks.range("trials", trials, 1, 200);
    }

    /** Fig. 1c: p₁ = 0.00, 0.01, …, 1.00, 100 trials, all six agents, Bayes-optimal for the correlated prior. */
    public static Options defaults() {
      return new Options(FigureAgents.defaults(BanditPrior.CORRELATED), 101, 100, 1);
    }

    /** p₁ of row {@code r} as the environment sees it (float, as the bandit stores probabilities). */
    public float p1(int r) {
      return (float) r / (rows - 1);
    }
  }

  /** One agent's chosen arms, {@code arms[row][trial]} in {0, 1}. */
  public record AgentActions(String agent, String label, int[][] arms) {
    /** Fraction of row {@code r}'s trials on arm 2 (action 1). */
    public double fractionArm2(int r) {
      int sum = 0;
      for (int a : arms[r]) {
        sum += a;
      }
      return (double) sum / arms[r].length;
    }
  }

  /** The grid and every agent's actions; {@code p1[r]} is row {@code r}'s p₁, ascending. */
  public record Result(Options options, double[] p1, List<AgentActions> agents) {}

  private ActionHeatMap() {}

  public static Result compute(Options o) {
    double[] p1 = new double[o.rows()];
    for (int r = 0; r < o.rows(); r++) {
      p1[r] = o.p1(r);
    }
    List<AgentActions> list = new ArrayList<>();
    for (String agent : o.agents().agents()) {
      int[][] arms = FigureAgents.runsInKernel(agent) ? kernelAgent(o, agent) : classicAgent(o, agent);
      list.add(new AgentActions(agent, o.agents().label(agent), arms));
    }
    return new Result(o, p1, list);
  }

  private static float[] rowProbabilities(Options o, int r) {
    float p = o.p1(r);
    return new float[] {p, 1f - p};
  }

  /** Plays each row as slot {@code r} of its own fixed-probability bandit, trial by trial. */
  private static int[][] classicAgent(Options o, String agent) {
    return playRows(o, o.agents().classicFactory(agent, o.trials(), o.seed()));
  }

  /**
   * Plays every row with the agent {@code factory} builds (for slot {@code r}, batch 1): the same
   * episodes, probabilities and reward draws as the classic agents' rows. Returns {@code arms[row][trial]}.
   * Public so other agents (e.g. trained networks, {@code org.neurorl.meta}) get exactly these rows.
   */
  public static int[][] playRows(Options o, BanditRunner.AgentFactory factory) {
    int[][] arms = new int[o.rows()][o.trials()];
    float[] observations = null;
    int[] action = new int[1];
    float[] reward = new float[1];
    boolean[] terminated = new boolean[1];
    boolean[] truncated = new boolean[1];
    boolean[] done = new boolean[1];
    for (int r = 0; r < o.rows(); r++) {
      BernoulliBandit env = new BernoulliBandit(1, 2, o.trials(), BanditPrior.FIXED, rowProbabilities(o, r), false,
          o.seed(), r);
      BatchAgent agentBatch = factory.create(1, r);
      if (observations == null) {
        observations = new float[env.observationSize()];
      }
      env.reset(0, observations);
      agentBatch.reset(0);
      for (int t = 0; t < o.trials(); t++) {
        agentBatch.act(observations, action);
        arms[r][t] = action[0];
        env.step(action, observations, reward, terminated, truncated);
        done[0] = terminated[0] || truncated[0];
        agentBatch.observe(action, reward, done);
      }
    }
    return arms;
  }

  /** All rows in one kernel batch: agent {@code r} of the batch is slot {@code r}. */
  private static int[][] kernelAgent(Options o, String agent) {
    int n = o.rows();
    float[] p = new float[2 * n];
    for (int r = 0; r < n; r++) {
      float[] pr = rowProbabilities(o, r);
      p[r] = pr[0];
      p[n + r] = pr[1];
    }
    int[] actions = RegretComparison.kernelActions(o.agents(), agent, p, n, o.trials(), o.seed(), 0,
        Parallel.serial());
    int[][] arms = new int[n][o.trials()];
    for (int r = 0; r < n; r++) {
      for (int t = 0; t < o.trials(); t++) {
        arms[r][t] = actions[t * n + r];
      }
    }
    return arms;
  }

  /**
   * One file set per agent: {@code heatmap-<agent>.png} and {@code heatmap-<agent>.csv} (columns
   * {@code p1,p2,a1..aT} with arms numbered 1 and 2), and {@code heatmap.json} with the options and
   * {@code provenance} (e.g. the command and the machine).
   */
  public static List<Path> write(Result result, Path dir, int width, int height, Map<String, Object> provenance)
      throws IOException {
    List<Path> files = new ArrayList<>();
    Options o = result.options();
    for (AgentActions a : result.agents()) {
      HeatMapChart chart = Charts.actionHeatMap(String.format(Locale.ROOT,
          "Chosen arm, %s; correlated task, p₂ = 1 − p₁", a.label()), "p₁ (one episode per row)",
          result.p1(), a.arms(), width, height);
      Path png = dir.resolve("heatmap-" + a.agent() + ".png");
      Path csv = dir.resolve("heatmap-" + a.agent() + ".csv");
      Charts.writePng(chart, png);
      Charts.writeText(csv, csv(result, a));
      files.add(png);
      files.add(csv);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("figure", "heatmap");
    meta.putAll(provenance);
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("rows", o.rows());
    opts.put("trials", o.trials());
    opts.put("task", "correlated at fixed grid values: p1 = r / (rows - 1), p2 = 1 - p1, one episode per row");
    opts.put("seed", o.seed());
    opts.putAll(FigureData.agentsMap(o.agents()));
    meta.put("options", opts);
    List<Map<String, Object>> summary = new ArrayList<>();
    for (AgentActions a : result.agents()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent", a.agent());
      m.put("label", a.label());
      m.put("png", "heatmap-" + a.agent() + ".png");
      m.put("csv", "heatmap-" + a.agent() + ".csv");
      double correct = 0;
      int counted = 0;
      for (int r = 0; r < o.rows(); r++) {
        if (result.p1()[r] != 0.5) {
          double f2 = a.fractionArm2(r);
          correct += result.p1()[r] > 0.5 ? 1 - f2 : f2;
          counted++;
        }
      }
      m.put("meanFractionBetterArm", correct / counted);
      summary.add(m);
    }
    meta.put("agents", summary);
    Path json = dir.resolve("heatmap.json");
    Json.writeAtomically(json, meta);
    files.add(json);
    return files;
  }

  static String csv(Result result, AgentActions a) {
    StringBuilder sb = new StringBuilder("p1,p2");
    int trials = result.options().trials();
    for (int t = 1; t <= trials; t++) {
      sb.append(",a").append(t);
    }
    sb.append('\n');
    for (int r = 0; r < result.p1().length; r++) {
      float p = result.options().p1(r);
      sb.append(p).append(',').append(1f - p);
      for (int t = 0; t < trials; t++) {
        sb.append(',').append(a.arms()[r][t] + 1);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
