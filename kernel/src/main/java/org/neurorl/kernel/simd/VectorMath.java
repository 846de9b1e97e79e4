package org.neurorl.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Inline exp, logistic and tanh for float vectors. The Vector API's own {@code EXP} is an out-of-line
 * call that spills registers (about 1.3× slower in the bandit kernels); these are short polynomials C2
 * inlines. Each method is small on purpose: a large method that C2 refuses to inline boxes every vector.
 *
 * <p>{@link #exp}: {@code e^x = 2^n · p(r)}, {@code n = round(x·log2 e)}, {@code r = x − n·ln 2} split
 * in two constants (Cody–Waite), {@code p} a degree-6 Taylor polynomial on |r| ≤ ln2/2, which is within
 * 2 ulp of {@link Math#exp} for x in [−87, 88]; inputs are clamped to that range first (so the result
 * saturates at about 1.6e38 or 1.6e-38 instead of overflowing). The scalar twin {@link #expScalar}
 * performs the same float operations in the same order, so lane-by-lane results are identical.
 */
public final class VectorMath {
  static final float LOG2E = 1.44269504088896341f;
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float MAX_X = 88.0f;
  static final float MIN_X = -87.0f;
  static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

  private VectorMath() {}

  public static FloatVector exp(FloatVector x) {
    x = x.max(MIN_X).min(MAX_X);
    // n = round(x·log2 e) by the 1.5·2²³ trick (exact for |n| < 2²²)
    FloatVector n = x.fma(LOG2E, 12582912f).sub(12582912f);
    FloatVector r = n.fma(x.broadcast(-LN2_HI), x);
    r = n.fma(x.broadcast(-LN2_LO), r);
    FloatVector p = r.fma(x.broadcast(C6), x.broadcast(C5));
    p = p.fma(r, x.broadcast(C4));
    p = p.fma(r, x.broadcast(C3));
    p = p.fma(r, x.broadcast(C2));
    FloatVector one = x.broadcast(1f);
    p = p.fma(r, one);
    p = p.fma(r, one);
    IntVector bits = ((IntVector) n.convertShape(VectorOperators.F2I, SimdSpecies.I, 0))
        .add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }

  /** Logistic function {@code 1 / (1 + e^{-x})}. */
  public static FloatVector sigmoid(FloatVector x) {
    return x.broadcast(1f).div(exp(x.neg()).add(1f));
  }

  /** {@code tanh x = 1 − 2 / (e^{2x} + 1)}. */
  public static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.add(x));
    return e.broadcast(1f).sub(e.broadcast(2f).div(e.add(1f)));
  }

  /** Scalar twin of {@link #sigmoid}. */
  public static float sigmoidScalar(float x) {
    return 1f / (expScalar(-x) + 1f);
  }

  /** Scalar twin of {@link #tanh}. */
  public static float tanhScalar(float x) {
    float e = expScalar(x + x);
    return 1f - 2f / (e + 1f);
  }

  /** Scalar twin of {@link #exp}: same operations, same order, same float result. */
  public static float expScalar(float x) {
    x = Math.min(Math.max(x, MIN_X), MAX_X);
    float n = Math.fma(x, LOG2E, 12582912f) - 12582912f;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(r, C6, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    return p * Float.intBitsToFloat(((int) n + 127) << 23);
  }
}
