package org.neurorl.meta;

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
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.plot.Charts;
import org.neurorl.plot.FigureAgents;
import org.neurorl.plot.FigureData;
import org.neurorl.plot.TrialCurve;
import org.neurorl.sim.RunningStats;

/**
 * Wang et al. (2018) Fig. 1d for trained networks: cumulative expected regret
 * {@code R_t = Σ_{k ≤ t} (max p − p_{a_k})} (MODELS.md §6) against trial on the fixed bandit (0.25, 0.75),
 * for each network next to UCB1, Thompson sampling, the Gittins index and the Bayes-optimal policy for
 * the prior the networks were trained on.
 *
 * <p>Every agent, network or classic, plays the SAME episodes through {@link BanditRunner}: episode
 * {@code i} is population slot {@code i}, whose reward draws are common to all agents (common random
 * numbers). So the difference of two agents' regret is paired episode by episode, and its interval
 * ({@link Gap}) is much tighter than the two curves' intervals suggest.
 */
public final class RegretEvaluation {
  /** Classic agents, in legend order after the networks. */
  public static final List<String> CLASSIC = List.of("gittins", "thompson", "ucb1", "bayes-optimal");
  /** Episodes simulated at once (memory bound; the numbers do not depend on it). */
  static final int BLOCK = 512;

  /**
   * @param episodes episodes per agent (the issue asks for 300 or more; default 500)
   * @param trials trials per episode
   * @param probabilities (p₁, p₂) of every episode
   * @param prior the prior the networks were trained on: the Bayes-optimal policy is optimal for it
   * @param gittinsGamma discount of the Gittins index
   * @param seed the evaluation's seed (rewards and the networks' action draws)
   */
  public record Options(int episodes, int trials, float[] probabilities, BanditPrior prior, double gittinsGamma,
      long seed) {
    public Options {
      Checks.range("episodes", episodes, 2, 1 << 22);
      Checks.range("trials", trials, 1, 200);
      if (probabilities == null || probabilities.length != 2) {
        throw new IllegalArgumentException("p = " + Arrays.toString(probabilities)
            + "; allowed: two probabilities in [0, 1], e.g. 0.25,0.75");
      }
      Checks.probabilities("p", probabilities, 2);
      if (prior == null || prior == BanditPrior.FIXED) {
        throw new IllegalArgumentException("prior = " + (prior == null ? null : prior.label())
            + "; allowed: independent, correlated (the prior the networks were trained on)");
      }
      if (prior == BanditPrior.CORRELATED && Math.abs(probabilities[0] + probabilities[1] - 1f) > 1e-6f) {
        throw new IllegalArgumentException("p = " + Arrays.toString(probabilities)
            + " with the correlated prior; allowed: p1 + p2 = 1 (the correlated task's support)");
      }
      if (!(gittinsGamma > 0 && gittinsGamma < 1)) {
        throw new IllegalArgumentException("gittinsGamma = " + gittinsGamma + "; allowed: a discount in (0, 1)");
      }
      probabilities = probabilities.clone();
    }

    /** 500 episodes of 100 trials at (0.25, 0.75), Gittins γ = 0.95 as in the bandit laboratory. */
    public static Options defaults(BanditPrior prior) {
      return new Options(500, 100, new float[] {0.25f, 0.75f}, prior, FigureAgents.DEFAULT_GAMMA, 1);
    }

    @Override
    public float[] probabilities() {
      return probabilities.clone();
    }

    FigureAgents classicAgents() {
      return new FigureAgents(CLASSIC, gittinsGamma, prior, FigureAgents.DEFAULT_LEARNING_RATE,
          FigureAgents.DEFAULT_BETA, FigureAgents.DEFAULT_LATENT_UNITS, FigureAgents.DEFAULT_INIT_SCALE);
    }

    BanditRunner.Setup setup() {
      return new BanditRunner.Setup(2, trials, BanditPrior.FIXED, probabilities, seed, episodes, 1,
          Math.min(BLOCK, episodes));
    }
  }

  /**
   * One agent: its regret curve (mean and 95% half-width per trial) and each episode's cumulative regret
   * at the last trial, in episode order (for paired comparisons).
   */
  public record AgentRegret(String id, TrialCurve curve, double[] finalRegret, double suboptimalFraction) {
    public double finalMean() {
      return curve.mean()[curve.trials() - 1];
    }

    public double finalCi95() {
      return curve.ci95()[curve.trials() - 1];
    }

    @Override
    public double[] finalRegret() {
      return finalRegret.clone();
    }
  }

  /**
   * The paired difference {@code agent − reference} of cumulative regret at the last trial over the
   * same episodes: mean and 95% half-width (normal approximation over episodes).
   */
  public record Gap(String agent, String reference, double mean, double ci95) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent", agent);
      m.put("reference", reference);
      m.put("meanDifference", mean);
      m.put("ci95", finite(ci95));
      m.put("lower", finite(mean - ci95));
      m.put("upper", finite(mean + ci95));
      return m;
    }

    private static Object finite(double v) {
      return Double.isFinite(v) ? v : null;
    }
  }

  /** Networks first, then the classic agents; {@code gaps}: every network against every classic agent. */
  public record Result(Options options, List<AgentRegret> agents, List<Gap> gaps) {
    public AgentRegret agent(String id) {
      for (AgentRegret a : agents) {
        if (a.id().equals(id)) {
          return a;
        }
      }
      throw new IllegalArgumentException("no agent '" + id + "' in this evaluation");
    }

    public Gap gap(String agent, String reference) {
      for (Gap g : gaps) {
        if (g.agent().equals(agent) && g.reference().equals(reference)) {
          return g;
        }
      }
      throw new IllegalArgumentException("no gap " + agent + " − " + reference + " in this evaluation");
    }
  }

  private RegretEvaluation() {}

  /** Plays every network and every classic agent on the same {@code options.episodes()} episodes. */
  public static Result evaluate(Options o, List<TrainedNetwork> networks, Parallel pool) {
    if (networks == null) {
      throw new IllegalArgumentException("networks is null; allowed: a list (possibly empty)");
    }
    List<AgentRegret> agents = new ArrayList<>();
    for (TrainedNetwork n : networks) {
      for (AgentRegret a : agents) {
        if (a.id().equals(n.id())) {
          throw new IllegalArgumentException("network id " + n.id() + " appears twice; allowed: each once");
        }
      }
      agents.add(run(o, n.id(), n.label(), (b, first) -> new NetworkAgent(n, b, o.trials(), o.seed(), first, pool)));
    }
    FigureAgents classic = o.classicAgents();
    for (String c : CLASSIC) {
      agents.add(run(o, c, classic.label(c), classic.classicFactory(c, o.trials(), o.seed())));
    }
    List<Gap> gaps = new ArrayList<>();
    for (TrainedNetwork n : networks) {
      for (String c : CLASSIC) {
        gaps.add(gap(agentById(agents, n.id()), agentById(agents, c)));
      }
    }
    return new Result(o, agents, gaps);
  }

  private static AgentRegret agentById(List<AgentRegret> agents, String id) {
    return agents.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
  }

  /** One agent through {@link BanditRunner}, keeping each episode's final regret. */
  static AgentRegret run(Options o, String id, String label, BanditRunner.AgentFactory factory) {
    double[] last = new double[o.episodes()];
    BanditRunner.RegretCurve c = BanditRunner.run(o.setup(), factory,
        (slot, episode, regret, wrong) -> last[(int) slot] = regret);
    return new AgentRegret(id, new TrialCurve(id, label, c.meanCumulativeRegret(), c.ci95(), c.samples()), last,
        c.meanSuboptimalFraction());
  }

  /** Paired difference of final regret, episode by episode. */
  static Gap gap(AgentRegret agent, AgentRegret reference) {
    double[] a = agent.finalRegret;
    double[] r = reference.finalRegret;
    RunningStats s = new RunningStats();
    for (int i = 0; i < a.length; i++) {
      s.add(a[i] - r[i]);
    }
    return new Gap(agent.id(), reference.id(), s.mean(), s.ci95());
  }

  /** The regret figure {@code <name>.png} and its numbers {@code <name>.csv}; returns the files. */
  public static List<Path> write(Result r, Path dir, String name, String title, int width, int height)
      throws IOException {
    List<TrialCurve> curves = r.agents().stream().map(AgentRegret::curve).toList();
    Options o = r.options();
    XYChart chart = Charts.linesWithBands(String.format(Locale.ROOT,
        "%s: p = (%s, %s), %d episodes (mean, shaded 95%% interval)", title, o.probabilities[0],
        o.probabilities[1], o.episodes()), "cumulative expected regret", curves, width, height);
    Path png = dir.resolve(name + ".png");
    Path csv = dir.resolve(name + ".csv");
    Charts.writePng(chart, png);
    Charts.writeText(csv, FigureData.curvesCsv(curves));
    return List.of(png, csv);
  }

  /** The numbers for the JSON: options, each agent's regret at the last trial, the gaps, the curves. */
  public static Map<String, Object> toMap(Result r) {
    Options o = r.options();
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("episodes", o.episodes());
    opts.put("trials", o.trials());
    opts.put("p", o.probabilities());
    opts.put("bayesOptimalPrior", o.prior().label());
    opts.put("gittinsGamma", o.gittinsGamma());
    opts.put("seed", o.seed());
    opts.put("actions", "networks sample from their policy (softmax), as in training; no greedy evaluation");
    opts.put("episodesShared", "every agent plays the same episodes with the same reward draws (BanditRunner"
        + " slots); gaps are paired differences over episodes");
    m.put("options", opts);
    List<Map<String, Object>> agents = new ArrayList<>();
    for (AgentRegret a : r.agents()) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("agent", a.id());
      am.put("label", a.curve().label());
      am.put("episodes", a.curve().samples());
      am.put("regretAtLastTrial", a.finalMean());
      am.put("ci95", a.finalCi95());
      am.put("lower", a.finalMean() - a.finalCi95());
      am.put("upper", a.finalMean() + a.finalCi95());
      am.put("suboptimalFraction", a.suboptimalFraction());
      am.put("meanCurve", a.curve().mean());
      am.put("ci95Curve", a.curve().ci95());
      agents.add(am);
    }
    m.put("agents", agents);
    m.put("gapsAtLastTrial", r.gaps().stream().map(Gap::toMap).toList());
    return m;
  }
}
