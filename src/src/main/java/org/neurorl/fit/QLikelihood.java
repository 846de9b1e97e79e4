package org.neurorl.fit;

import java.util.Arrays;
import java.util.Objects;

/**
 * The exact float64 negative log-likelihood of one subject's choices under the softmax Q-learner, with
 * its analytic gradient and Hessian in (η, β).
 *
 * <p>Derivatives are carried forward through the learning rule instead of being taken by finite
 * differences, so they are exact up to rounding: with D = ∂Q/∂η and H = ∂²Q/∂η² (both 0 at a session
 * start, because the initial value does not depend on η), the update Q' = (1 − η) Q + η r gives
 * D' = (1 − η) D + (r − Q) and H' = (1 − η) H − 2 D for the chosen value. Per trial the NLL term is
 * −x_a + logsumexp(x) with x_b = β Q(s, b); its gradient is −∂x_a + E_P[∂x] and its Hessian
 * −∂²x_a + E_P[∂²x] + Cov_P(∂x), where ∂x/∂η = β D, ∂x/∂β = Q, ∂²x/∂η² = β H, ∂²x/∂η∂β = D and
 * ∂²x/∂β² = 0. The covariance is summed in centred form to avoid cancellation.
 *
 * <p>Not thread-safe (it keeps scratch arrays); make one per thread.
 */
public final class QLikelihood {
  /** Value, gradient and Hessian of the NLL at one (η, β). */
  public record Evaluation(double eta, double beta, double nll, double gradEta, double gradBeta,
      double hessEtaEta, double hessEtaBeta, double hessBetaBeta) {
    /** The gradient {dNLL/dη, dNLL/dβ}. */
    public double[] gradient() {
      return new double[] {gradEta, gradBeta};
    }

    /** The 2×2 Hessian, row-major {ηη, ηβ, βη, ββ}. */
    public double[][] hessian() {
      return new double[][] {{hessEtaEta, hessEtaBeta}, {hessEtaBeta, hessBetaBeta}};
    }
  }

  private final ChoiceData data;
  private final double initialValue;
  private final double[] q;
  private final double[] dq;
  private final double[] hq;
  private final double[] p;
  private final int[] sessionStarts;

  /**
   * @param data the subject's choices
   * @param initialValue Q(s, a) at every session start (finite; 0 in MODELS.md §4)
   */
  public QLikelihood(ChoiceData data, double initialValue) {
    this.data = Objects.requireNonNull(data, "data");
    if (!Double.isFinite(initialValue)) {
      throw new IllegalArgumentException("initialValue = " + initialValue + "; allowed: a finite number");
    }
    this.initialValue = initialValue;
    int values = data.cues() * data.actions();
    this.q = new double[values];
    this.dq = new double[values];
    this.hq = new double[values];
    this.p = new double[data.actions()];
    this.sessionStarts = data.sessionStarts();
  }

  public ChoiceData data() {
    return data;
  }

  public double initialValue() {
    return initialValue;
  }

  /** The NLL alone (the same number {@link #evaluate} returns). */
  public double nll(double eta, double beta) {
    return run(eta, beta, false).nll();
  }

  /** The NLL, its gradient and its Hessian. */
  public Evaluation evaluate(double eta, double beta) {
    return run(eta, beta, true);
  }

  private static void checkParameters(double eta, double beta) {
    if (!(eta > 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta = " + eta + "; allowed: a learning rate in (0, 1]");
    }
    if (!(beta > 0) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("beta = " + beta + "; allowed: a finite inverse temperature > 0");
    }
  }

  private Evaluation run(double eta, double beta, boolean derivatives) {
    checkParameters(eta, beta);
    int aa = data.actions();
    int[] cue = data.cue, action = data.action;
    double[] reward = data.reward;
    int n = action.length;
    double nll = 0, gE = 0, gB = 0, hEE = 0, hEB = 0, hBB = 0;
    int nextSession = 0;
    for (int t = 0; t < n; t++) {
      if (nextSession < sessionStarts.length && sessionStarts[nextSession] == t) {
        Arrays.fill(q, initialValue);
        Arrays.fill(dq, 0);
        Arrays.fill(hq, 0);
        nextSession++;
      }
      int row = cue[t] * aa;
      int a = action[t];
      if (aa == 2) {
        // Two arms: −log P(a) = softplus(β (Q_other − Q_a)), one exp and one log instead of two and one;
        // used with and without derivatives, so nll() and evaluate() give the same bits.
        double x = beta * (q[row + 1 - a] - q[row + a]);
        nll += Math.max(x, 0) + Math.log(1 + Math.exp(-Math.abs(x)));
        if (!derivatives) {
          int i = row + a;
          q[i] += eta * (reward[t] - q[i]);
          continue;
        }
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int b = 0; b < aa; b++) {
        max = Math.max(max, beta * q[row + b]);
      }
      double z = 0;
      for (int b = 0; b < aa; b++) {
        double e = Math.exp(beta * q[row + b] - max);
        p[b] = e;
        z += e;
      }
      if (aa != 2) {
        nll += max + Math.log(z) - beta * q[row + a];
      }
      if (derivatives) {
        double meanXe = 0, meanXb = 0, meanXee = 0, meanXeb = 0;
        for (int b = 0; b < aa; b++) {
          double pb = p[b] / z;
          p[b] = pb;
          meanXe += pb * beta * dq[row + b];
          meanXb += pb * q[row + b];
          meanXee += pb * beta * hq[row + b];
          meanXeb += pb * dq[row + b];
        }
        double covEE = 0, covEB = 0, covBB = 0;
        for (int b = 0; b < aa; b++) {
          double ce = beta * dq[row + b] - meanXe;
          double cb = q[row + b] - meanXb;
          covEE += p[b] * ce * ce;
          covEB += p[b] * ce * cb;
          covBB += p[b] * cb * cb;
        }
        gE += meanXe - beta * dq[row + a];
        gB += meanXb - q[row + a];
        hEE += meanXee - beta * hq[row + a] + covEE;
        hEB += meanXeb - dq[row + a] + covEB;
        hBB += covBB;
      }
      int i = row + a;
      double delta = reward[t] - q[i];
      if (derivatives) {
        hq[i] = (1 - eta) * hq[i] - 2 * dq[i];
        dq[i] = (1 - eta) * dq[i] + delta;
      }
      q[i] += eta * delta;
    }
    return new Evaluation(eta, beta, nll, gE, gB, hEE, hEB, hBB);
  }
}
