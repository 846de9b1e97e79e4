package org.neurorl.dra;

import org.neurorl.kernel.dra.DraParams;

/**
 * Choice probabilities of the two-action agents in float64, for likelihoods and for the final policies.
 *
 * <p>DRA's choice given its memory is random through ζ; the probability of choosing action 1 given the
 * means and noises is the expectation over ζ: with Δ = q̄₁ − q̄₀ and z = (σ₁ζ₁ − σ₀ζ₀)/s standard normal,
 * s = √(σ₀² + σ₁²), {@code P(1) = E_z[logistic(β(Δ + s z))]}. The expectation is a trapezoid rule on
 * z ∈ [−8, 8] weighted by the normal density (the mass beyond ±8 is below 1e-15). For an integrand
 * analytic in a strip of half-width d the trapezoid error is ~exp(−2πd/h), and logistic(βs z) has its
 * poles at d = π/(βs); the step is halved from 0.1 until 2πd/h ≥ 36 (error ≲ 1e-15·scale, in practice
 * ≲ 1e-9), down to 0.1/64 (enough for βs ≤ 110). ChoiceMathTest checks it against a 4001-point rule.
 */
public final class ChoiceMath {
  private static final int LEVELS = 7;
  private static final double[][] Z = new double[LEVELS][], W = new double[LEVELS][];

  static {
    for (int l = 0; l < LEVELS; l++) {
      double h = 0.1 / (1 << l);
      int n = (int) Math.round(16 / h) + 1;
      Z[l] = new double[n];
      W[l] = new double[n];
      double sum = 0;
      for (int k = 0; k < n; k++) {
        Z[l][k] = -8 + k * h;
        W[l][k] = Math.exp(-0.5 * Z[l][k] * Z[l][k]);
        sum += W[l][k];
      }
      for (int k = 0; k < n; k++) {
        W[l][k] /= sum;
      }
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
    double d = Math.PI / (beta * s);
    int l = 0;
    while (l < LEVELS - 1 && 2 * Math.PI * d / (0.1 / (1 << l)) < 36) {
      l++;
    }
    double[] z = Z[l], w = W[l];
    double p = 0;
    for (int k = 0; k < z.length; k++) {
      p += w[k] * logistic(beta * (delta + s * z[k]));
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
