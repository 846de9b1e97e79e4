package org.neurorl.kernel.train;

import org.neurorl.kernel.Checks;

/**
 * Global L2-norm clipping over the whole flat gradient, as {@code torch.nn.utils.clip_grad_norm_}: when
 * the norm exceeds {@code maxNorm} every element is scaled by {@code maxNorm / (norm + 1e-6)}.
 *
 * <p>The norm is accumulated in float64 in index order: exact enough that the clip threshold does not
 * depend on summation error, and one fixed order so the result does not depend on threads.
 */
public final class GradientClipping {
  /** torch's guard against division by a zero norm. */
  public static final double EPS = 1e-6;

  private GradientClipping() {}

  /** The global L2 norm (NaN if any element is NaN, ∞ if any is infinite). */
  public static double norm(float[] gradient) {
    double sum = 0;
    for (float g : gradient) {
      sum += (double) g * g;
    }
    return Math.sqrt(sum);
  }

  /**
   * Clips {@code gradient} in place to global norm {@code maxNorm} and returns the norm before clipping.
   * A non-finite norm is returned as is and the gradient left untouched (the caller reports it).
   */
  public static double clip(float[] gradient, float maxNorm) {
    Checks.positive("maxNorm", maxNorm);
    double norm = norm(gradient);
    if (!Double.isFinite(norm)) {
      return norm;
    }
    double coefficient = maxNorm / (norm + EPS);
    if (coefficient < 1) {
      float c = (float) coefficient;
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= c;
      }
    }
    return norm;
  }
}
