package org.neurorl.dra;

import org.neurorl.kernel.dra.DraParams;

/**
 * Choice probabilities of the two-action agents in float64, for likelihoods and for the final policies.
 *
 * <p>DRA's choice given its memory is random through ζ; the probability of choosing action 1 given the
 * means and noises is the expectation over ζ: with Δ = q̄₁ − q̄₀ and z = (σ₁ζ₁ − σ₀ζ₀)/s standard normal,
 * s = √(σ₀² + σ₁²), {@code P(1) = E_z[logistic(β(Δ + s z))]}. The expectation is a 161-point trapezoid
 * rule (step 0.1) on z ∈ [−8, 8] weighted by the normal density: for an integrand analytic in a strip
 * of half-width d the trapezoid error is ~exp(−2πd/h); logistic(βs z) has d = π/(βs) ≥ 0.27 for βs ≤ 12,
 * giving ≲ 4e-8, and the normal mass beyond ±8 is below 1e-15. ChoiceMathTest checks it against a
 * 4001-point rule.
 */
public final class ChoiceMath {
  private static final int NODES = 161;
  private static final double[] Z = new double[NODES], W = new double[NODES];

  static {
    double h = 16.0 / (NODES - 1), sum = 0;
    for (int k = 0; k < NODES; k++) {
      Z[k] = -8 + k * h;
      W[k] = Math.exp(-0.5 * Z[k] * Z[k]);
      sum += W[k];
    }
    for (int k = 0; k < NODES; k++) {
      W[k] /= sum;
    }
  }

  private ChoiceMath() {}

  public static double logistic(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  /** P(action 1) of a noisy-memory agent: E_ζ logistic(β(Δ + σ₁ζ₁ − σ₀ζ₀)). */
  public static double noisyProbability(double beta, double delta, double sigma0, double sigma1) {
    double s = Math.sqrt(sigma0 * sigma0 + sigma1 * sigma1);
    if (s == 0) {
      return logistic(beta * delta);
    }
    double p = 0;
    for (int k = 0; k < NODES; k++) {
      p += W[k] * logistic(beta * (delta + s * Z[k]));
    }
    return p;
  }

  /** P(action 1) of any of the four agents, given Δ = q₁ − q₀ and (for the noisy ones) σ₀, σ₁. */
  public static double probabilityOfAction1(DraParams p, double delta, double sigma0, double sigma1) {
    return switch (p.model()) {
      case DRA, EQUAL_PRECISION -> noisyProbability(p.beta(), delta, sigma0, sigma1);
      case SOFT_Q -> logistic(delta / p.alpha());
      case SOFTMAX_Q -> logistic(p.beta() * delta);
    };
  }

  /** Binary entropy in bits. */
  public static double entropyBits(double p) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
  }
}
