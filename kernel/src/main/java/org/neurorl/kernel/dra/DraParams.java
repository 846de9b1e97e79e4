package org.neurorl.kernel.dra;

import org.neurorl.kernel.Checks;

/**
 * Parameters of one batch of value-based agents (MODELS.md §4b), validated at construction.
 *
 * @param model        which agent
 * @param beta         inverse temperature β of the softmax (DRA, equal precision, softmax Q); > 0
 * @param alpha        temperature α of soft Q-learning; > 0 (unused by the other models)
 * @param learningRate α_q (DRA) or η (Q-learners), in (0, 1]
 * @param gamma        discount γ in [0, 1]
 * @param sigmaBase    σ_base, the prior (free) memory noise, > 0; the upper clip of σ
 * @param sigmaMin     σ_min ≥ 0, the lower clip of σ; must be > 0 when λ > 0 (the cost gradient has 1/σ)
 * @param sigmaInit    σ at the start, in [σ_min, σ_base] (Patel et al. start every memory at σ_base)
 * @param sigmaRate    α_σ ≥ 0, step size of the σ update (0 keeps σ fixed)
 * @param lambda       λ ≥ 0, price of precision (weight of KL(N(q̄, σ²) ‖ N(q̄, σ_base²)))
 * @param rollouts     N_traj ≥ 1, rollouts per σ update (read by the driver that runs the rollouts)
 * @param psi          ψ of the score-function gradient: the advantage or the return
 */
public record DraParams(Model model, float beta, float alpha, float learningRate, float gamma, float sigmaBase,
    float sigmaMin, float sigmaInit, float sigmaRate, float lambda, int rollouts, Psi psi) {

  /** The four agents of the comparison. */
  public enum Model {
    /** Dynamic resource allocation: a noisy memory per (s, a) with its own σ, updated from rollouts. */
    DRA,
    /** The DRA policy with one σ per agent shared by every (s, a), set from outside (not learned). */
    EQUAL_PRECISION,
    /** Soft (maximum-entropy) Q-learning at temperature α. */
    SOFT_Q,
    /** Plain Q-learning with a softmax policy at inverse temperature β. */
    SOFTMAX_Q
  }

  /** What multiplies the score in the σ gradient. */
  public enum Psi {
    /** ψ = q̄(s, a) − Σ_b π(b|s) q̄(s, b), the advantage of the taken action under the agent's memory. */
    ADVANTAGE,
    /** ψ = Σ_{k ≥ t} γ^{k−t} r_k, the discounted return of the rollout from that step on. */
    RETURN
  }

  public DraParams {
    if (model == null) {
      throw new IllegalArgumentException("model is null; allowed: " + java.util.Arrays.toString(Model.values()));
    }
    if (psi == null) {
      throw new IllegalArgumentException("psi is null; allowed: ADVANTAGE or RETURN");
    }
    if (model == Model.SOFT_Q) {
      Checks.positive("alpha", alpha);
    } else {
      Checks.positive("beta", beta);
    }
    Checks.rate("learningRate", learningRate);
    Checks.probability("gamma", gamma);
    if (model == Model.DRA || model == Model.EQUAL_PRECISION) {
      Checks.positive("sigmaBase", sigmaBase);
      Checks.nonNegative("sigmaMin", sigmaMin);
      if (sigmaBase < sigmaMin) {
        throw new IllegalArgumentException("sigmaBase = " + sigmaBase + " is below sigmaMin = " + sigmaMin
            + "; allowed: sigmaBase >= sigmaMin");
      }
      Checks.nonNegative("lambda", lambda);
      if (lambda > 0f && sigmaMin <= 0f) {
        throw new IllegalArgumentException("sigmaMin = " + sigmaMin + " with lambda = " + lambda
            + "; allowed: sigmaMin > 0 when lambda > 0 (the cost gradient contains 1/sigma)");
      }
      if (!(sigmaInit >= sigmaMin && sigmaInit <= sigmaBase)) {
        throw new IllegalArgumentException("sigmaInit = " + sigmaInit + "; allowed: " + sigmaMin + " to "
            + sigmaBase + " (sigmaMin to sigmaBase)");
      }
      Checks.nonNegative("sigmaRate", sigmaRate);
      Checks.range("rollouts", rollouts, 1, 1 << 20);
    }
  }

  /** A DRA agent starting at σ = σ_base. */
  public static DraParams dra(float beta, float learningRate, float gamma, float sigmaBase, float sigmaMin,
      float sigmaRate, float lambda, int rollouts, Psi psi) {
    return new DraParams(Model.DRA, beta, 1f, learningRate, gamma, sigmaBase, sigmaMin, sigmaBase, sigmaRate, lambda,
        rollouts, psi);
  }

  /** The equal-precision control: σ fixed, one value per agent set by {@link DraBatch#setSharedSigma}. */
  public static DraParams equalPrecision(float beta, float learningRate, float gamma, float sigmaBase,
      float sigmaMin) {
    return new DraParams(Model.EQUAL_PRECISION, beta, 1f, learningRate, gamma, sigmaBase, sigmaMin, sigmaBase, 0f,
        0f, 1, Psi.ADVANTAGE);
  }

  /** Soft Q-learning at temperature α. */
  public static DraParams softQ(float alpha, float learningRate, float gamma) {
    return new DraParams(Model.SOFT_Q, 1f, alpha, learningRate, gamma, 1f, 0f, 0f, 0f, 0f, 1, Psi.ADVANTAGE);
  }

  /** Plain softmax Q-learning (target r + γ max_a' q(s', a')). */
  public static DraParams softmaxQ(float beta, float learningRate, float gamma) {
    return new DraParams(Model.SOFTMAX_Q, beta, 1f, learningRate, gamma, 1f, 0f, 0f, 0f, 0f, 1, Psi.ADVANTAGE);
  }

  /** The same parameters starting from σ = {@code sigma}. */
  public DraParams withSigmaInit(float sigma) {
    return new DraParams(model, beta, alpha, learningRate, gamma, sigmaBase, sigmaMin, sigma, sigmaRate, lambda,
        rollouts, psi);
  }

  /** True for the two models whose policy adds memory noise ζσ. */
  public boolean noisy() {
    return model == Model.DRA || model == Model.EQUAL_PRECISION;
  }

  /** KL(N(m, σ²) ‖ N(m, σ_base²)) of one memory: log(σ_base/σ) + σ²/(2σ_base²) − ½. */
  public static double klCost(double sigma, double sigmaBase) {
    return Math.log(sigmaBase / sigma) + sigma * sigma / (2 * sigmaBase * sigmaBase) - 0.5;
  }

  /**
   * The σ in (0, σ_base] whose KL cost, paid by {@code memories} memories, equals {@code totalCost}: the
   * shared σ of the equal-precision control "tuned to the same total cost" as a DRA agent. The cost is
   * decreasing in σ on (0, σ_base], so bisection on log σ finds it.
   */
  public static double equalCostSigma(double totalCost, int memories, double sigmaBase) {
    if (!(totalCost >= 0) || !Double.isFinite(totalCost)) {
      throw new IllegalArgumentException("totalCost = " + totalCost + "; allowed: a finite value >= 0");
    }
    Checks.range("memories", memories, 1, Integer.MAX_VALUE);
    double perMemory = totalCost / memories;
    double lo = Math.log(sigmaBase) - 60, hi = Math.log(sigmaBase);
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      if (klCost(Math.exp(mid), sigmaBase) > perMemory) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.exp(0.5 * (lo + hi));
  }
}
