package org.neurorl.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurorl.bandit.BanditRunner;
import org.neurorl.bandit.BayesOptimalAgent;
import org.neurorl.bandit.BayesOptimalPolicy;
import org.neurorl.bandit.GittinsAgent;
import org.neurorl.bandit.GittinsIndex;
import org.neurorl.bandit.ThompsonAgent;
import org.neurorl.bandit.Ucb1Agent;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.qlearn.QParams;

/**
 * The agents a figure compares and their parameters: the table-driven agents of {@code org.neurorl.bandit}
 * ({@code gittins}, {@code bayes-optimal}) run through {@link BanditRunner}; the Q-learners
 * ({@code tabular-q}, {@code latent-q}), UCB1 and Thompson run in the batched kernels, exactly as
 * {@code simulate} runs them, so a figure and a simulation with the same seed show the same numbers.
 *
 * @param agents agent names, in legend order
 * @param gittinsGamma discount γ of the Gittins index, in (0, 1)
 * @param bayesPrior the prior the Bayes-optimal table is optimal for (independent or correlated)
 * @param learningRate η of both Q-learners, in (0, 1]
 * @param beta softmax inverse temperature β of both Q-learners, > 0
 * @param latentUnits K of latent Q
 * @param initScale latent Q's initial W, Q ~ U(−s, s), > 0
 */
public record FigureAgents(List<String> agents, double gittinsGamma, BanditPrior bayesPrior, float learningRate,
    float beta, int latentUnits, float initScale) {
  public static final List<String> ALL = List.of("ucb1", "thompson", "gittins", "bayes-optimal", "tabular-q",
      "latent-q");
  public static final List<String> KERNEL_AGENTS = List.of("tabular-q", "latent-q", "ucb1", "thompson");
  public static final double DEFAULT_GAMMA = 0.95;
  public static final float DEFAULT_LEARNING_RATE = 0.1f;
  public static final float DEFAULT_BETA = 5f;
  public static final int DEFAULT_LATENT_UNITS = 2;
  public static final float DEFAULT_INIT_SCALE = org.neurorl.kernel.qlearn.QParams.DEFAULT_LATENT_INIT_SCALE;

  public FigureAgents {
    if (agents == null || agents.isEmpty()) {
      throw new IllegalArgumentException("agents = " + agents + "; allowed: one or more of " + ALL);
    }
    List<String> clean = new ArrayList<>();
    for (String a : agents) {
      String name = a.trim().toLowerCase(Locale.ROOT);
      if (!ALL.contains(name)) {
        throw new IllegalArgumentException("agent = " + a + "; allowed: " + String.join(", ", ALL));
      }
      if (clean.contains(name)) {
        throw new IllegalArgumentException("agent = " + a + " is listed twice; allowed: each agent once");
      }
      clean.add(name);
    }
    agents = List.copyOf(clean);
    if (!(gittinsGamma > 0 && gittinsGamma < 1)) {
      throw new IllegalArgumentException("gamma = " + gittinsGamma + "; allowed: a discount in (0, 1)");
    }
    if (bayesPrior == null || bayesPrior == BanditPrior.FIXED) {
      throw new IllegalArgumentException("bayes prior = " + (bayesPrior == null ? null : bayesPrior.label())
          + "; allowed: independent, correlated");
    }
    Checks.rate("learningRate", learningRate);
    Checks.positive("beta", beta);
    Checks.range("latentUnits", latentUnits, 1, 16);
    Checks.positive("initScale", initScale);
  }

  /** All six agents with the default parameters and the given Bayes-optimal prior. */
  public static FigureAgents defaults(BanditPrior bayesPrior) {
    return new FigureAgents(ALL, DEFAULT_GAMMA, bayesPrior, DEFAULT_LEARNING_RATE, DEFAULT_BETA,
        DEFAULT_LATENT_UNITS, DEFAULT_INIT_SCALE);
  }

  public static boolean runsInKernel(String agent) {
    return KERNEL_AGENTS.contains(agent);
  }

  /** The legend text: the agent and the parameters that define it. */
  public String label(String agent) {
    return switch (agent) {
      case "ucb1" -> "UCB1";
      case "thompson" -> "Thompson (Beta(1,1))";
      case "gittins" -> String.format(Locale.ROOT, "Gittins (γ = %s)", gittinsGamma);
      case "bayes-optimal" -> "Bayes-optimal (" + bayesPrior.label() + " prior)";
      case "tabular-q" -> String.format(Locale.ROOT, "tabular Q (softmax, η = %s, β = %s)", learningRate, beta);
      case "latent-q" -> String.format(Locale.ROOT, "latent Q (K = %d, η = %s, β = %s)", latentUnits,
          learningRate, beta);
      default -> throw new IllegalArgumentException("agent = " + agent + "; allowed: " + ALL);
    };
  }

  /** Softmax parameters of a kernel agent, as {@link org.neurorl.sim.BanditSimulation} builds them. */
  public QParams qParams(String agent) {
    return QParams.softmax(learningRate, beta, agent.equals("latent-q") ? initScale : 0f);
  }

  /**
   * The factory of a classic agent for two-armed episodes of {@code trials} trials; tables (Gittins,
   * Bayes-optimal) are loaded from the on-disk cache or built once. The figures use it for Gittins and
   * Bayes-optimal; UCB1 and Thompson are here for step-by-step use ({@link BanditRunner}), but the figures
   * run their kernels (other random streams: same distributions, different numbers).
   */
  public BanditRunner.AgentFactory classicFactory(String agent, int trials, long seed) {
    return switch (agent) {
      case "ucb1" -> (n, first) -> new Ucb1Agent(n, 2);
      case "thompson" -> (n, first) -> new ThompsonAgent(n, 2, trials, seed, first);
      case "gittins" -> {
        GittinsIndex table = GittinsIndex.load(gittinsGamma, trials);
        yield (n, first) -> new GittinsAgent(n, 2, table);
      }
      case "bayes-optimal" -> {
        BayesOptimalPolicy policy = BayesOptimalPolicy.load(bayesPrior, trials);
        yield (n, first) -> new BayesOptimalAgent(n, policy);
      }
      default -> throw new IllegalArgumentException("agent = " + agent
          + " runs in a kernel, not through BanditRunner; allowed here: ucb1, thompson, gittins, bayes-optimal");
    };
  }
}
