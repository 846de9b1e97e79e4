package org.neurorl.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.neurorl.kernel.Parallel;

/**
 * Maximum-likelihood (η, β) of the softmax Q-learner (MODELS.md §4), one subject at a time.
 *
 * <p>The search, all deterministic:
 * <ol>
 *   <li>the NLL on a fixed grid (η in {0.01 … 1}, β doubling from 0.1 up to βmax, plus βmax);</li>
 *   <li>from each of the {@code starts} best grid points, BOBYQA (Commons Math, derivative-free, bounded)
 *       in the unit square u = (η, log-scaled β), where a single trust radius suits both parameters
 *       (β acts multiplicatively, so a log scale keeps small and large β equally resolved);</li>
 *   <li>a projected Newton polish with the analytic gradient and Hessian of {@link QLikelihood}, which
 *       takes the optimum to rounding precision (variables held at a bound are fixed when the gradient
 *       pushes outwards);</li>
 *   <li>the lowest NLL wins (the earlier start on a tie).</li>
 * </ol>
 * Standard errors are √diag(H⁻¹) with H the analytic Hessian of the NLL at the optimum (the observed
 * information). They are NaN with a warning when H is not positive definite, and flagged when the
 * optimum lies on a bound (the quadratic approximation behind them then does not hold).
 */
public final class QFit {
  /** Smallest η searched: the open end of (0, 1]. */
  public static final double ETA_MIN = 1e-6;
  /** Smallest β searched: the open end of (0, βmax]. */
  public static final double BETA_MIN = 1e-6;
  /** A parameter this close to a bound (relative to its range) counts as on the bound. */
  static final double BOUND_TOLERANCE = 1e-6;
  private static final double[] ETA_GRID = {0.01, 0.03, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.0};
  private static final int BOBYQA_MAX_EVALUATIONS = 2000;
  /** BOBYQA only has to land in the Newton polish's basin; the polish converges quadratically from there. */
  private static final double BOBYQA_STOP_RADIUS = 1e-6;
  private static final int NEWTON_ITERATIONS = 30;

  private QFit() {}

  /** Fits one subject. */
  public static FitResult fit(ChoiceData data, FitOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(options, "options");
    Search s = new Search(new QLikelihood(data, options.initialValue()), options.betaMax());
    return s.run(options.starts());
  }

  /**
   * Fits every subject, results in the order of {@code subjects}. Each subject is one block of the pool
   * and its fit does not depend on any other, so the results are identical whatever the thread count.
   */
  public static List<FitResult> fitAll(List<ChoiceData> subjects, FitOptions options, Parallel parallel) {
    Objects.requireNonNull(subjects, "subjects");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(parallel, "parallel");
    FitResult[] results = new FitResult[subjects.size()];
    for (int i = 0; i < results.length; i++) {
      Objects.requireNonNull(subjects.get(i), "subjects[" + i + "]");
    }
    parallel.forEachBlock(results.length, (worker, block) -> results[block] = fit(subjects.get(block), options));
    return List.of(results);
  }

  /** The β grid: 0.1 · 2^k below βmax, then βmax. */
  static double[] betaGrid(double betaMax) {
    List<Double> grid = new ArrayList<>();
    for (double b = 0.1; b < betaMax; b *= 2) {
      grid.add(b);
    }
    grid.add(betaMax);
    return grid.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** One subject's search; holds the likelihood (with its scratch) and counts evaluations. */
  private static final class Search {
    final QLikelihood likelihood;
    final double betaMax;
    final double logBetaMin = Math.log(BETA_MIN);
    final double logBetaRange;
    int evaluations;

    Search(QLikelihood likelihood, double betaMax) {
      this.likelihood = likelihood;
      this.betaMax = betaMax;
      this.logBetaRange = Math.log(betaMax) - logBetaMin;
    }

    double nll(double eta, double beta) {
      evaluations++;
      return likelihood.nll(eta, beta);
    }

    QLikelihood.Evaluation evaluate(double eta, double beta) {
      evaluations++;
      return likelihood.evaluate(eta, beta);
    }

    double etaOf(double u) {
      return Math.min(1, Math.max(ETA_MIN, u));
    }

    double betaOf(double u) {
      return Math.min(betaMax, Math.max(BETA_MIN, Math.exp(logBetaMin + u * logBetaRange)));
    }

    double uOfBeta(double beta) {
      return (Math.log(beta) - logBetaMin) / logBetaRange;
    }

    FitResult run(int starts) {
      double[] betas = betaGrid(betaMax);
      int points = ETA_GRID.length * betas.length;
      double[] gridNll = new double[points];
      Integer[] order = new Integer[points];
      for (int i = 0; i < ETA_GRID.length; i++) {
        for (int j = 0; j < betas.length; j++) {
          int k = i * betas.length + j;
          gridNll[k] = nll(ETA_GRID[i], betas[j]);
          order[k] = k;
        }
      }
      // A stable sort keeps grid order among equal values, so the choice of starts is deterministic.
      Arrays.sort(order, (x, y) -> Double.compare(gridNll[x], gridNll[y]));
      double bestEta = Double.NaN, bestBeta = Double.NaN, bestNll = Double.POSITIVE_INFINITY;
      for (int k = 0; k < Math.min(starts, points); k++) {
        int g = order[k];
        double[] local = localSearch(ETA_GRID[g / betas.length], betas[g % betas.length]);
        if (local[2] < bestNll) {
          bestEta = local[0];
          bestBeta = local[1];
          bestNll = local[2];
        }
      }
      return summarise(bestEta, bestBeta);
    }

    /** BOBYQA from one start, then the Newton polish; returns {η, β, NLL}. */
    double[] localSearch(double eta0, double beta0) {
      MultivariateFunction f = u -> nll(etaOf(u[0]), betaOf(u[1]));
      double[] start = {Math.min(1, Math.max(0, eta0)), Math.min(1, Math.max(0, uOfBeta(beta0)))};
      double eta = eta0, beta = beta0;
      try {
        PointValuePair best = new BOBYQAOptimizer(5, 0.05, BOBYQA_STOP_RADIUS).optimize(new MaxEval(BOBYQA_MAX_EVALUATIONS),
            new ObjectiveFunction(f), GoalType.MINIMIZE, new InitialGuess(start),
            new SimpleBounds(new double[] {ETA_MIN, 0}, new double[] {1, 1}));
        eta = etaOf(best.getPoint()[0]);
        beta = betaOf(best.getPoint()[1]);
      } catch (TooManyEvaluationsException e) {
        // the polish below still improves on the start; the result carries no special flag because the
        // Newton step's own convergence decides the precision
      }
      return polish(eta, beta);
    }

    /** Projected Newton with backtracking in (η, β), bounded by the box; returns {η, β, NLL}. */
    double[] polish(double eta, double beta) {
      QLikelihood.Evaluation e = evaluate(eta, beta);
      for (int it = 0; it < NEWTON_ITERATIONS; it++) {
        boolean fixEta = (eta <= ETA_MIN && e.gradEta() > 0) || (eta >= 1 && e.gradEta() < 0);
        boolean fixBeta = (beta <= BETA_MIN && e.gradBeta() > 0) || (beta >= betaMax && e.gradBeta() < 0);
        double stepEta = 0, stepBeta = 0;
        if (!fixEta && !fixBeta) {
          double det = e.hessEtaEta() * e.hessBetaBeta() - e.hessEtaBeta() * e.hessEtaBeta();
          if (!(e.hessEtaEta() > 0 && det > 0)) {
            break;
          }
          stepEta = -(e.hessBetaBeta() * e.gradEta() - e.hessEtaBeta() * e.gradBeta()) / det;
          stepBeta = -(e.hessEtaEta() * e.gradBeta() - e.hessEtaBeta() * e.gradEta()) / det;
        } else if (!fixEta) {
          if (!(e.hessEtaEta() > 0)) {
            break;
          }
          stepEta = -e.gradEta() / e.hessEtaEta();
        } else if (!fixBeta) {
          if (!(e.hessBetaBeta() > 0)) {
            break;
          }
          stepBeta = -e.gradBeta() / e.hessBetaBeta();
        } else {
          break;
        }
        boolean improved = false;
        for (double scale = 1; scale > 1e-6; scale *= 0.5) {
          double etaNew = Math.min(1, Math.max(ETA_MIN, eta + scale * stepEta));
          double betaNew = Math.min(betaMax, Math.max(BETA_MIN, beta + scale * stepBeta));
          if (etaNew == eta && betaNew == beta) {
            break;
          }
          QLikelihood.Evaluation next = evaluate(etaNew, betaNew);
          if (next.nll() <= e.nll()) {
            improved = next.nll() < e.nll();
            eta = etaNew;
            beta = betaNew;
            e = next;
            break;
          }
        }
        if (!improved) {
          break;
        }
      }
      return new double[] {eta, beta, e.nll()};
    }

    FitResult summarise(double eta, double beta) {
      QLikelihood.Evaluation e = evaluate(eta, beta);
      ChoiceData d = likelihood.data();
      List<String> warnings = new ArrayList<>();
      double det = e.hessEtaEta() * e.hessBetaBeta() - e.hessEtaBeta() * e.hessEtaBeta();
      boolean pd = e.hessEtaEta() > 0 && e.hessBetaBeta() > 0 && det > 0 && Double.isFinite(det);
      double seEta = Double.NaN, seBeta = Double.NaN, corr = Double.NaN;
      if (pd) {
        double varEta = e.hessBetaBeta() / det, varBeta = e.hessEtaEta() / det, cov = -e.hessEtaBeta() / det;
        seEta = Math.sqrt(varEta);
        seBeta = Math.sqrt(varBeta);
        corr = cov / (seEta * seBeta);
      } else {
        warnings.add(String.format(Locale.ROOT,
            "Hessian not positive definite (H_eta,eta = %.4g, H_beta,beta = %.4g, det = %.4g): no standard errors",
            e.hessEtaEta(), e.hessBetaBeta(), det));
      }
      boolean etaLow = eta - ETA_MIN <= BOUND_TOLERANCE, etaHigh = 1 - eta <= BOUND_TOLERANCE;
      boolean betaLow = beta - BETA_MIN <= BOUND_TOLERANCE * betaMax;
      boolean betaHigh = betaMax - beta <= BOUND_TOLERANCE * betaMax;
      if (etaLow || etaHigh) {
        warnings.add("eta on its bound " + (etaHigh ? "1" : "0") + ": the standard error assumes an interior optimum");
      }
      if (betaLow || betaHigh) {
        warnings.add("beta on its bound " + (betaHigh ? "betaMax = " + betaMax : "0")
            + ": the standard error assumes an interior optimum" + (betaHigh ? " (raise --beta-max?)" : ""));
      }
      return new FitResult(d.subject(), d.trials(), d.sessions(), eta, beta, seEta, seBeta, corr, e.nll(),
          evaluations, pd, etaLow || etaHigh, betaLow || betaHigh, warnings);
    }
  }
}
