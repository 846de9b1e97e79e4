package org.neurorl.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Checks;

/**
 * Everything that determines an A2C training run on the two-armed bandit (A2C-SPEC.md), as data: the
 * same config gives the same parameters bit for bit, whatever the thread count and however often the
 * run is interrupted and resumed. Serialised as JSON ({@code train --spec}, the checkpoint, the
 * parameter manifest).
 *
 * @param network           "lstm" (MODELS.md §2) or "plastic" (§1, modulated rule)
 * @param hidden            hidden units N
 * @param trialInput        whether the input carries t/T after the previous action and reward
 * @param traceRate         plastic only: τe, rate of the eligibility trace e
 * @param stdpRate          plastic only: τE, rate of the antisymmetric STDP term E
 * @param plasticityRate    plastic only: τU, rate of the fast weights dU
 * @param plasticityClip    plastic only: c, the clip of dU
 * @param task              how each episode's arm probabilities are drawn: independent, correlated, fixed
 * @param probabilities     the two probabilities of the fixed task
 * @param trials            trials per episode T
 * @param gamma             discount γ of the returns
 * @param valueCoefficient  c_v, weight of ½ (R − V)²
 * @param entropyCoefficient c_e at the first update
 * @param entropyFinal      c_e at the last update (annealed linearly in between); null: constant c_e
 * @param optimizer         "adam" or "rmsprop" (torch.optim defaults)
 * @param learningRate      step size of the optimizer
 * @param maxGradNorm       global L2 norm the gradient is clipped to
 * @param batch             episodes per update B
 * @param episodes          episodes in the whole run, a multiple of {@code batch}
 * @param seed              seeds the initial parameters and every episode's random stream
 * @param checkpointEvery   updates between checkpoints; 0: only when the run stops or ends
 * @param initialValueBias  initial bias bv of the value head ({@code train --value-bias}); null (or absent
 *                          from the JSON, as in files written before it existed): the network's own
 *                          initialisation. Only the initial parameters depend on it, so a checkpoint
 *                          already holds its effect.
 */
@JsonPropertyOrder(alphabetic = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record A2cConfig(
    String network,
    int hidden,
    boolean trialInput,
    float traceRate,
    float stdpRate,
    float plasticityRate,
    float plasticityClip,
    String task,
    float[] probabilities,
    int trials,
    float gamma,
    float valueCoefficient,
    float entropyCoefficient,
    Float entropyFinal,
    String optimizer,
    float learningRate,
    float maxGradNorm,
    int batch,
    long episodes,
    long seed,
    int checkpointEvery,
    Float initialValueBias) {

  public static final List<String> NETWORKS = List.of("lstm", "plastic");
  public static final List<String> OPTIMIZERS = List.of("adam", "rmsprop");
  /** Two arms: the bandit of Wang et al. 2018. */
  public static final int ACTIONS = 2;

  /** Jackson and the validation use this one; a missing {@code initialValueBias} reads as null. */
  @JsonCreator
  public A2cConfig {
    network = choice("network", network, NETWORKS);
    Checks.range("hidden", hidden, 1, 4096);
    Checks.rate("traceRate", traceRate);
    Checks.rate("stdpRate", stdpRate);
    Checks.rate("plasticityRate", plasticityRate);
    Checks.positive("plasticityClip", plasticityClip);
    if (task == null) {
      throw new IllegalArgumentException("task = null; allowed: independent, correlated, fixed");
    }
    BanditPrior prior = BanditPrior.parse(task);
    task = prior.label();
    if (prior == BanditPrior.FIXED) {
      if (probabilities == null || probabilities.length != ACTIONS) {
        throw new IllegalArgumentException("probabilities = " + Arrays.toString(probabilities)
            + "; allowed: two probabilities in [0, 1] for the fixed task, e.g. 0.1,0.9");
      }
      for (int a = 0; a < ACTIONS; a++) {
        Checks.probability("probabilities[" + a + "]", probabilities[a]);
      }
    }
    probabilities = probabilities == null ? null : probabilities.clone();
    Checks.range("trials", trials, 1, 100_000);
    if (!(gamma >= 0f && gamma <= 1f)) {
      throw new IllegalArgumentException("gamma = " + gamma + "; allowed: a discount in [0, 1]");
    }
    Checks.nonNegative("valueCoefficient", valueCoefficient);
    Checks.nonNegative("entropyCoefficient", entropyCoefficient);
    if (entropyFinal != null) {
      Checks.nonNegative("entropyFinal", entropyFinal);
    }
    optimizer = choice("optimizer", optimizer, OPTIMIZERS);
    Checks.positive("learningRate", learningRate);
    Checks.positive("maxGradNorm", maxGradNorm);
    Checks.range("batch", batch, 1, 1 << 16);
    if (episodes < batch || episodes % batch != 0 || episodes / batch > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("episodes = " + episodes + "; allowed: a positive multiple of batch = "
          + batch + " (each update runs batch episodes)");
    }
    if ((long) batch * trials * Math.max(ACTIONS, hidden) > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("batch x trials x hidden = " + batch + " x " + trials + " x " + hidden
          + "; allowed: below 2^30 (the recorded episode must fit in Java arrays)");
    }
    Checks.range("checkpointEvery", checkpointEvery, 0, Integer.MAX_VALUE);
    if (initialValueBias != null && !Float.isFinite(initialValueBias)) {
      throw new IllegalArgumentException("initialValueBias (--value-bias) = " + initialValueBias
          + "; allowed: a finite number (or leave it out for the network's own initialisation)");
    }
  }

  /** A config without {@code initialValueBias}: the network's own initialisation of the value head. */
  public A2cConfig(String network, int hidden, boolean trialInput, float traceRate, float stdpRate,
      float plasticityRate, float plasticityClip, String task, float[] probabilities, int trials, float gamma,
      float valueCoefficient, float entropyCoefficient, Float entropyFinal, String optimizer, float learningRate,
      float maxGradNorm, int batch, long episodes, long seed, int checkpointEvery) {
    this(network, hidden, trialInput, traceRate, stdpRate, plasticityRate, plasticityClip, task, probabilities,
        trials, gamma, valueCoefficient, entropyCoefficient, entropyFinal, optimizer, learningRate, maxGradNorm,
        batch, episodes, seed, checkpointEvery, null);
  }

  /** This config with another {@code initialValueBias} (null: the network's own initialisation). */
  public A2cConfig withInitialValueBias(Float bias) {
    return new A2cConfig(network, hidden, trialInput, traceRate, stdpRate, plasticityRate, plasticityClip, task,
        probabilities, trials, gamma, valueCoefficient, entropyCoefficient, entropyFinal, optimizer, learningRate,
        maxGradNorm, batch, episodes, seed, checkpointEvery, bias);
  }

  private static String choice(String name, String value, List<String> allowed) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(name + " = " + value + "; allowed: " + String.join(", ", allowed));
    }
    return v;
  }

  /**
   * The settings peers use for Wang et al. 2018 Fig. 1: 48-unit LSTM, independent bandit, 100 trials,
   * γ 0.9, c_v 0.05, c_e 0.05, Adam 7e-4, clip 50, 32 episodes per update, 20,000 episodes.
   */
  public static A2cConfig defaults() {
    return new A2cConfig("lstm", 48, false, 0.1f, 0.1f, 0.1f, 1f, "independent", new float[] {0.25f, 0.75f},
        100, 0.9f, 0.05f, 0.05f, null, "adam", 7e-4f, 50f, 32, 20_000, 1, 50);
  }

  /** Network inputs: one-hot previous action, previous reward, optionally t/T. */
  @JsonIgnore
  public int inputs() {
    return ACTIONS + 1 + (trialInput ? 1 : 0);
  }

  @JsonIgnore
  public int actions() {
    return ACTIONS;
  }

  @JsonIgnore
  public BanditPrior prior() {
    return BanditPrior.parse(task);
  }

  /** Updates in the whole run. */
  @JsonIgnore
  public int updates() {
    return (int) (episodes / batch);
  }

  /** c_e at update {@code u} (0-based): linear from entropyCoefficient to entropyFinal over the run. */
  public float entropyCoefficientAt(int u) {
    if (entropyFinal == null || updates() == 1) {
      return entropyCoefficient;
    }
    double f = (double) u / (updates() - 1);
    return (float) (entropyCoefficient + (entropyFinal - entropyCoefficient) * f);
  }

  @Override
  public float[] probabilities() {
    return probabilities == null ? null : probabilities.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof A2cConfig c && c.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "A2cConfig[network=" + network + ", hidden=" + hidden + ", trialInput=" + trialInput + ", traceRate="
        + traceRate + ", stdpRate=" + stdpRate + ", plasticityRate=" + plasticityRate + ", plasticityClip="
        + plasticityClip + ", task=" + task + ", probabilities=" + Arrays.toString(probabilities) + ", trials="
        + trials + ", gamma=" + gamma + ", valueCoefficient=" + valueCoefficient + ", entropyCoefficient="
        + entropyCoefficient + ", entropyFinal=" + entropyFinal + ", optimizer=" + optimizer + ", learningRate="
        + learningRate + ", maxGradNorm=" + maxGradNorm + ", batch=" + batch + ", episodes=" + episodes
        + ", seed=" + seed + ", checkpointEvery=" + checkpointEvery + ", initialValueBias=" + initialValueBias + "]";
  }
}
