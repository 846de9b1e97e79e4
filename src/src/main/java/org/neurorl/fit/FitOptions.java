package org.neurorl.fit;

/**
 * How {@link QFit} fits.
 *
 * @param betaMax upper bound of β, finite and > {@link QFit#BETA_MIN} (default {@value #DEFAULT_BETA_MAX})
 * @param initialValue Q(s, a) at every session start (finite; default 0 as in MODELS.md §4)
 * @param starts how many of the best grid points start a local search, 1 to {@value #MAX_STARTS}
 *     (default {@value #DEFAULT_STARTS})
 */
public record FitOptions(double betaMax, double initialValue, int starts) {
  public static final double DEFAULT_BETA_MAX = 50;
  public static final int DEFAULT_STARTS = 4;
  public static final int MAX_STARTS = 32;
  /** Smallest βmax accepted (far above {@link QFit#BETA_MIN}, so the box is never degenerate). */
  public static final double MIN_BETA_MAX = 0.01;

  public FitOptions {
    if (!(betaMax >= MIN_BETA_MAX) || !Double.isFinite(betaMax)) {
      throw new IllegalArgumentException("betaMax = " + betaMax + "; allowed: a finite number >= "
          + MIN_BETA_MAX);
    }
    if (!Double.isFinite(initialValue)) {
      throw new IllegalArgumentException("initialValue = " + initialValue + "; allowed: a finite number");
    }
    if (starts < 1 || starts > MAX_STARTS) {
      throw new IllegalArgumentException("starts = " + starts + "; allowed: 1 to " + MAX_STARTS);
    }
  }

  public static FitOptions defaults() {
    return new FitOptions(DEFAULT_BETA_MAX, 0, DEFAULT_STARTS);
  }

  public FitOptions withBetaMax(double value) {
    return new FitOptions(value, initialValue, starts);
  }

  public FitOptions withInitialValue(double value) {
    return new FitOptions(betaMax, value, starts);
  }

  public FitOptions withStarts(int value) {
    return new FitOptions(betaMax, initialValue, value);
  }
}
