package org.neurorl.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Checks;

/**
 * Everything that determines a bandit simulation, as data: the same spec (and the same neurorl
 * version) gives the same numbers bit for bit, whatever the thread count. Serialised as JSON by
 * {@code simulate --write-spec} and read back by {@code simulate --spec}.
 *
 * @param agentTypes agents to simulate, each on the same episodes: {@code latent-q}, {@code tabular-q},
 *     {@code ucb1}, {@code thompson}, {@code gittins}, {@code bayes-optimal} (for the independent prior,
 *     or the correlated prior on the correlated task)
 * @param agents simulated agents per type (one episode each; each agent starts naive)
 * @param trials trials per episode
 * @param task how arm probabilities are drawn: independent, correlated or fixed
 * @param probabilities the two arm probabilities of the fixed task
 * @param learningRate η in (0, 1]
 * @param beta softmax inverse temperature β > 0 (used when epsilon is null)
 * @param epsilon ε in [0, 1] for ε-greedy choice instead of softmax; null for softmax
 * @param latentUnits K, the latent units of latent Q-learning (2 or 3 in the models of MODELS.md §3)
 * @param initScale scale of the random initial values of latent Q's W and Q
 * @param gittinsDiscount discount γ in (0, 1) of the Gittins index
 * @param checkpoints trials at which cumulative regret is summarised (1-based, ascending, ≤ trials)
 * @param seed the run's seed
 * @param threads worker threads (results do not depend on it)
 * @param blockAgents agents simulated at once (memory is bounded by this, not by {@code agents})
 */
@JsonPropertyOrder(alphabetic = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SimulationSpec(
    List<String> agentTypes,
    long agents,
    int trials,
    String task,
    float[] probabilities,
    float learningRate,
    float beta,
    Float epsilon,
    int latentUnits,
    float initScale,
    float gittinsDiscount,
    int[] checkpoints,
    long seed,
    int threads,
    int blockAgents) {

  public static final List<String> AGENT_TYPES =
      List.of("latent-q", "tabular-q", "ucb1", "thompson", "gittins", "bayes-optimal");

  public SimulationSpec {
    if (agentTypes == null || agentTypes.isEmpty()) {
      throw new IllegalArgumentException("agentTypes = " + agentTypes + "; allowed: one or more of "
          + AGENT_TYPES);
    }
    agentTypes = agentTypes.stream().map(a -> a.trim().toLowerCase(Locale.ROOT)).toList();
    for (String a : agentTypes) {
      if (!AGENT_TYPES.contains(a)) {
        throw new IllegalArgumentException("agent = " + a + "; allowed: " + AGENT_TYPES);
      }
    }
    if (agents < 1 || agents > 1L << 40) {
      throw new IllegalArgumentException("agents = " + agents + "; allowed: 1 to 2^40");
    }
    Checks.range("trials", trials, 1, 100_000);
    BanditPrior prior = BanditPrior.parse(task);
    task = prior.label();
    if (prior == BanditPrior.FIXED) {
      if (probabilities == null || probabilities.length != 2) {
        throw new IllegalArgumentException("probabilities = " + Arrays.toString(probabilities)
            + "; allowed: two probabilities in [0, 1] for the fixed task, e.g. 0.25,0.75");
      }
      for (int a = 0; a < 2; a++) {
        Checks.probability("probabilities[" + a + "]", probabilities[a]);
      }
    }
    Checks.rate("learningRate", learningRate);
    Checks.positive("beta", beta);
    if (epsilon != null) {
      Checks.probability("epsilon", epsilon);
    }
    Checks.range("latentUnits", latentUnits, 1, 16);
    Checks.nonNegative("initScale", initScale);
    if (!(gittinsDiscount > 0f && gittinsDiscount < 1f)) {
      throw new IllegalArgumentException("gittinsDiscount = " + gittinsDiscount + "; allowed: (0, 1)");
    }
    if (trials > 200 && agentTypes.contains("bayes-optimal")) {
      throw new IllegalArgumentException("trials = " + trials + "; allowed: 1 to 200 with bayes-optimal"
          + " (its exact table grows as trials^4)");
    }
    if (checkpoints == null || checkpoints.length == 0) {
      checkpoints = new int[] {trials};
    }
    for (int i = 0; i < checkpoints.length; i++) {
      if (checkpoints[i] < 1 || checkpoints[i] > trials || (i > 0 && checkpoints[i] <= checkpoints[i - 1])) {
        throw new IllegalArgumentException("checkpoints = " + Arrays.toString(checkpoints)
            + "; allowed: ascending trials from 1 to " + trials);
      }
    }
    Checks.range("threads", threads, 1, 1024);
    Checks.range("blockAgents", blockAgents, 1, 1 << 24);
  }

  /** The defaults of {@code neurorl simulate}. */
  public static SimulationSpec defaults() {
    return new SimulationSpec(AGENT_TYPES, 100_000, 100, "independent", new float[] {0.25f, 0.75f},
        0.1f, 5f, null, 2, 0.5f, 0.95f, new int[] {10, 50, 100}, 1, Runtime.getRuntime().availableProcessors(),
        1 << 14);
  }

  public BanditPrior prior() {
    return BanditPrior.parse(task);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimulationSpec s && s.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "SimulationSpec[agentTypes=" + agentTypes + ", agents=" + agents + ", trials=" + trials
        + ", task=" + task + ", probabilities=" + Arrays.toString(probabilities) + ", learningRate="
        + learningRate + ", beta=" + beta + ", epsilon=" + epsilon + ", latentUnits=" + latentUnits
        + ", initScale=" + initScale + ", gittinsDiscount=" + gittinsDiscount + ", checkpoints=" + Arrays.toString(checkpoints) + ", seed=" + seed
        + ", threads=" + threads + ", blockAgents=" + blockAgents + "]";
  }
}
