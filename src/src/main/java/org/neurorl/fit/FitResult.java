package org.neurorl.fit;

import java.util.List;

/**
 * One subject's maximum-likelihood fit.
 *
 * @param subject the subject's name
 * @param trials trials in all sessions
 * @param sessions sessions
 * @param eta the estimate of η
 * @param beta the estimate of β
 * @param etaStandardError √[(Hessian⁻¹)_ηη], NaN when the Hessian is not positive definite
 * @param betaStandardError √[(Hessian⁻¹)_ββ], NaN when the Hessian is not positive definite
 * @param correlation the estimates' correlation from the inverse Hessian (NaN likewise)
 * @param nll the negative log-likelihood at the estimate
 * @param evaluations likelihood evaluations spent
 * @param hessianPositiveDefinite whether the observed information is positive definite (else no SE)
 * @param etaOnBound whether η̂ is at (within 1e-6 of) a bound of its box, so the SE is not valid
 * @param betaOnBound whether β̂ is at (within 1e-6 relative to βmax of) a bound of its box
 * @param warnings readable reasons to distrust the SEs (empty when none)
 */
public record FitResult(String subject, int trials, int sessions, double eta, double beta,
    double etaStandardError, double betaStandardError, double correlation, double nll, int evaluations,
    boolean hessianPositiveDefinite, boolean etaOnBound, boolean betaOnBound, List<String> warnings) {
  public FitResult {
    warnings = List.copyOf(warnings);
  }

  /** NLL per trial (mean −log P of the chosen action). */
  public double nllPerTrial() {
    return nll / trials;
  }

  /** True when the SEs can be trusted: positive-definite Hessian, interior optimum. */
  public boolean ok() {
    return warnings.isEmpty();
  }
}
