package org.neurorl.kernel.qlearn;

import java.util.Objects;
import org.neurorl.kernel.Checks;

/**
 * Parameters shared by every agent of a Q batch (MODELS.md §3 and §4).
 *
 * @param policy how an action is drawn from the action values q
 * @param learningRate η in (0, 1]
 * @param inverseTemperature β > 0 of {@code softmax(β q)} (used by {@link Policy#SOFTMAX}; must be
 *     finite and ≥ 0 otherwise)
 * @param epsilon exploration probability in [0, 1] (used by {@link Policy#EPSILON_GREEDY}; must be a
 *     probability otherwise too, usually 0)
 * @param initScale σ ≥ 0: at every episode start each learned value (latent: every entry of W and Q;
 *     tabular: every Q(s, a)) is drawn uniformly from [−σ, σ) out of the agent's own random stream.
 *     The latent model needs σ > 0: W = Q = 0 is a saddle point where every gradient is zero, so it
 *     would never learn. A good default is {@link #DEFAULT_LATENT_INIT_SCALE}; tabular agents usually
 *     start at 0 or use a tiny σ to break greedy ties.
 */
public record QParams(Policy policy, float learningRate, float inverseTemperature, float epsilon, float initScale) {
  /** Initial scale for latent W and Q: q = zQ then starts at about ±σ²·K, and learning is not slowed much. */
  public static final float DEFAULT_LATENT_INIT_SCALE = 0.5f;

  /** Action selection. */
  public enum Policy {
    /** P(a) = exp(β q_a) / Σ_b exp(β q_b). */
    SOFTMAX,
    /** With probability ε a uniformly random arm, else the first arm of largest q. */
    EPSILON_GREEDY
  }

  public QParams {
    Objects.requireNonNull(policy, "policy");
    Checks.rate("learningRate (eta)", learningRate);
    if (policy == Policy.SOFTMAX) {
      Checks.positive("inverseTemperature (beta)", inverseTemperature);
    } else {
      Checks.nonNegative("inverseTemperature (beta)", inverseTemperature);
    }
    Checks.probability("epsilon", epsilon);
    Checks.nonNegative("initScale", initScale);
  }

  /** Softmax action selection with inverse temperature β. */
  public static QParams softmax(float learningRate, float inverseTemperature, float initScale) {
    return new QParams(Policy.SOFTMAX, learningRate, inverseTemperature, 0f, initScale);
  }

  /** ε-greedy action selection. */
  public static QParams epsilonGreedy(float learningRate, float epsilon, float initScale) {
    return new QParams(Policy.EPSILON_GREEDY, learningRate, 0f, epsilon, initScale);
  }
}
