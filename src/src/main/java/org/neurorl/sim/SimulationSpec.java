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
 * @param task how arm probabilities are drawn: independent, correlated or fixed; or {@code cue-action}, the
 *     cue–action task of MODELS.md §5 (parameters in {@code cueAction}; latent-q and tabular-q only)
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
 * @param arms arms of the bandit, 2 to {@value #MAX_ARMS} (null: 2; the correlated prior needs 2)
 * @param reversal null for a stationary bandit, else the reversal bandit of MODELS.md §5: the arm
 *     probabilities reverse in rank at a trial drawn per episode uniformly from {@code [min, max]}
 *     (given as {@code [r]} or {@code [min, max]}, within 1 … trials − 1)
 * @param cueAction the cue–action task's parameters when {@code task} is {@code cue-action} (null there:
 *     the defaults of {@link CueActionSpec#defaults()}); null on the bandit tasks, so older specs read
 *     unchanged
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
    int blockAgents,
    Integer arms,
    int[] reversal,
    @JsonInclude(JsonInclude.Include.NON_NULL) CueActionSpec cueAction) {

  public static final List<String> AGENT_TYPES =
      List.of("latent-q", "tabular-q", "ucb1", "thompson", "gittins", "bayes-optimal");
  /** Most arms a simulation takes (the classic kernels' limit; the Q kernels take up to 16). */
  public static final int MAX_ARMS = 8;

  /** A stationary two-armed bandit (the fields before {@code arms} and {@code reversal}). */
  public SimulationSpec(List<String> agentTypes, long agents, int trials, String task, float[] probabilities,
      float learningRate, float beta, Float epsilon, int latentUnits, float initScale, float gittinsDiscount,
      int[] checkpoints, long seed, int threads, int blockAgents) {
    this(agentTypes, agents, trials, task, probabilities, learningRate, beta, epsilon, latentUnits, initScale,
        gittinsDiscount, checkpoints, seed, threads, blockAgents, null, null);
  }

  /** A bandit task (the fields before {@code cueAction}). */
  public SimulationSpec(List<String> agentTypes, long agents, int trials, String task, float[] probabilities,
      float learningRate, float beta, Float epsilon, int latentUnits, float initScale, float gittinsDiscount,
      int[] checkpoints, long seed, int threads, int blockAgents, Integer arms, int[] reversal) {
    this(agentTypes, agents, trials, task, probabilities, learningRate, beta, epsilon, latentUnits, initScale,
        gittinsDiscount, checkpoints, seed, threads, blockAgents, arms, reversal, null);
  }

  /** The agent types that apply to the cue–action task (the bandit strategies do not: see the refusal). */
  public static final List<String> CUE_AGENT_TYPES = List.of("latent-q", "tabular-q");

  /** Why a bandit strategy does not apply to the cue–action task. */
  private static String cueRefusal(String agent) {
    return switch (agent) {
      case "ucb1", "thompson" -> "it treats the actions as the arms of one bandit with Bernoulli rewards and"
          + " ignores the cue, so it cannot learn a rewarded action per cue";
      case "gittins", "bayes-optimal" -> "its index / dynamic programme is computed for Bernoulli arms with a"
          + " Beta prior and no cue, not for cue-dependent rewarded actions with a penalty";
      default -> null;
    };
  }
  @com.fasterxml.jackson.annotation.JsonCreator
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
    if (task != null && task.trim().toLowerCase(Locale.ROOT).equals(CueActionSpec.TASK)) {
      task = CueActionSpec.TASK;
      cueAction = (cueAction == null ? CueActionSpec.defaults() : cueAction).resolve(trials);
      if (arms != null && arms != cueAction.actions()) {
        throw new IllegalArgumentException("arms = " + arms + "; allowed on the cue-action task: none, or the"
            + " number of actions (" + cueAction.actions() + "; set it with actions)");
      }
      arms = cueAction.actions();
      if (probabilities != null) {
        throw new IllegalArgumentException("probabilities = " + Arrays.toString(probabilities)
            + "; allowed: none on the cue-action task (rewards are correctReward / wrongReward)");
      }
      if (reversal != null) {
        throw new IllegalArgumentException("reversal = " + Arrays.toString(reversal) + "; allowed: none on the"
            + " cue-action task (its change is the cue replacement at switchTrial)");
      }
      if (epsilon != null) {
        throw new IllegalArgumentException("epsilon = " + epsilon + "; allowed: none on the cue-action task"
            + " (its learners choose by softmax, beta)");
      }
      for (String a : agentTypes) {
        String why = cueRefusal(a);
        if (why != null) {
          throw new IllegalArgumentException("agent = " + a + " does not apply to the cue-action task (" + why
              + "); allowed here: " + CUE_AGENT_TYPES);
        }
      }
    } else if (cueAction != null) {
      throw new IllegalArgumentException("cueAction = " + cueAction + "; allowed only with task = "
          + CueActionSpec.TASK);
    }
    boolean cue = cueAction != null;
    BanditPrior prior = cue ? null : BanditPrior.parse(task);
    task = cue ? task : prior.label();
    if (arms == null) {
      arms = 2;
    }
    if (!cue) {
      Checks.range("arms", arms, 2, MAX_ARMS);
    }
    if (prior == BanditPrior.CORRELATED && arms != 2) {
      throw new IllegalArgumentException("arms = " + arms + "; allowed: 2 with the correlated task (p2 = 1 - p1)");
    }
    if (prior == BanditPrior.FIXED) {
      if (probabilities == null || probabilities.length != arms) {
        throw new IllegalArgumentException("probabilities = " + Arrays.toString(probabilities)
            + "; allowed: " + arms + " probabilities in [0, 1] for the fixed task with " + arms
            + " arms, e.g. " + example(arms));
      }
      for (int a = 0; a < arms; a++) {
        Checks.probability("probabilities[" + a + "]", probabilities[a]);
      }
    }
    if (reversal != null) {
      if (reversal.length == 1) {
        reversal = new int[] {reversal[0], reversal[0]};
      }
      if (reversal.length != 2 || reversal[0] < 1 || reversal[1] < reversal[0] || reversal[1] > trials - 1) {
        throw new IllegalArgumentException("reversal = " + Arrays.toString(reversal) + "; allowed: one trial r"
            + " or a range min,max with 1 <= min <= max <= trials - 1 = " + (trials - 1));
      }
    }
    for (String a : agentTypes) {
      String why = a.equals("bayes-optimal") && arms != 2
          ? "its exact dynamic programme is for two arms"
          : (a.equals("bayes-optimal") || a.equals("gittins")) && reversal != null
              ? "it assumes arm probabilities that stay fixed within an episode"
              : null;
      if (why != null) {
        throw new IllegalArgumentException("agent = " + a + " does not apply to the " + describeTask(task, arms,
            reversal) + " (" + why + "); allowed here: " + applicableAgents(arms, reversal));
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
        1 << 14, 2, null);
  }

  /** The agent types that apply to a bandit with {@code arms} arms and the given reversal (null: none). */
  public static List<String> applicableAgents(int arms, int[] reversal) {
    return AGENT_TYPES.stream()
        .filter(a -> !(a.equals("bayes-optimal") && (arms != 2 || reversal != null)))
        .filter(a -> !(a.equals("gittins") && reversal != null))
        .toList();
  }

  /** "independent two-armed bandit", "fixed 3-armed reversal bandit (reversal at trial 50)", ... */
  public static String describeTask(String task, int arms, int[] reversal) {
    String k = arms == 2 ? "two-armed" : arms + "-armed";
    if (reversal == null) {
      return task + " " + k + " bandit";
    }
    return task + " " + k + " reversal bandit (reversal at trial " + (reversal[0] == reversal[1]
        ? Integer.toString(reversal[0]) : reversal[0] + " to " + reversal[1]) + ")";
  }

  /** Evenly spaced probabilities for {@code arms} arms, as an example in messages. */
  private static String example(int arms) {
    StringBuilder sb = new StringBuilder();
    for (int a = 0; a < arms; a++) {
      sb.append(a == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", (a + 1.0) / (arms + 1)));
    }
    return sb.toString();
  }

  /** The task in words. */
  public String describeTask() {
    return cueAction != null ? cueAction.describe() : describeTask(task, arms, reversal);
  }

  /** Whether this is the cue–action task (else a bandit). */
  public boolean onCueActionTask() {
    return cueAction != null;
  }

  /** The bandit prior; null on the cue–action task. */
  public BanditPrior prior() {
    return cueAction != null ? null : BanditPrior.parse(task);
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
        + ", threads=" + threads + ", blockAgents=" + blockAgents + ", arms=" + arms + ", reversal="
        + Arrays.toString(reversal) + (cueAction == null ? "" : ", cueAction=" + cueAction) + "]";
  }
}
