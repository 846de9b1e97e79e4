package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Inline natural logarithm, cos(2πu) and sin(2πu) for float vectors, for the Gamma sampler of
 * {@link SimdThompson} (Box–Muller normals and the Marsaglia–Tsang acceptance test) and the ln t of
 * {@link SimdUcb1}. The Vector API's own {@code LOG} and {@code COS} are out-of-line calls that spill
 * registers; these are short FMA chains C2 inlines. Square roots use the lanewise {@code SQRT}, which C2
 * compiles to one correctly rounded instruction (no approximation needed).
 *
 * <p>{@link #log}: x = m·2^e with m in [√½, √2) taken from the bits, then Cephes' {@code logf}
 * polynomial in f = m − 1 and ln 2 in two parts (Cody–Waite). For positive normal x it is within a few
 * ulp of {@link Math#log} (tested); zero, negatives, subnormals, ∞ and NaN give meaningless finite
 * values (callers mask such lanes out).
 *
 * <p>{@link #cos2pi}: for u in [0, 1) (any float works, with lower accuracy for large |u|):
 * w = u − round(u) ∈ [−½, ½], cos 2πu = sin(2π(¼ − |w|)), and sin on [−π/2, π/2] is its Taylor series to
 * the x¹³ term (truncation below 7e-10). For u = m·2⁻²⁴ every step before the last multiply is exact.
 */
public final class ClassicMath {
  private static final float SQRT_HALF_BITS_FLOAT = 0.70710677f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float L1 = 7.0376836292e-2f, L2 = -1.1514610310e-1f, L3 = 1.1676998740e-1f;
  private static final float L4 = -1.2420140846e-1f, L5 = 1.4249322787e-1f, L6 = -1.6668057665e-1f;
  private static final float L7 = 2.0000714765e-1f, L8 = -2.4999993993e-1f, L9 = 3.3333331174e-1f;
  private static final float TWO_PI = (float) (2 * Math.PI);
  private static final float S3 = (float) (-1.0 / 6), S5 = (float) (1.0 / 120), S7 = (float) (-1.0 / 5040);
  private static final float S9 = (float) (1.0 / 362880), S11 = (float) (-1.0 / 39916800);
  private static final float S13 = (float) (1.0 / 6227020800.0);
  private static final float ROUND = 12582912f; // 1.5·2²³: x + ROUND − ROUND rounds |x| < 2²² to an integer

  private ClassicMath() {}

  /** ln x lane by lane (x positive and normal). */
  public static FloatVector log(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    // e = exponent of x relative to [√½, √2): subtracting √½'s bits makes the mantissa carry decide
    IntVector e = bits.sub(Float.floatToRawIntBits(SQRT_HALF_BITS_FLOAT)).lanewise(ASHR, 23);
    FloatVector m = bits.sub(e.lanewise(LSHL, 23)).reinterpretAsFloats();
    FloatVector f = m.sub(1f);
    FloatVector ef = (FloatVector) e.castShape(SimdSpecies.F, 0);
    FloatVector z = f.mul(f);
    FloatVector y = f.fma(x.broadcast(L1), x.broadcast(L2));
    y = y.fma(f, x.broadcast(L3));
    y = y.fma(f, x.broadcast(L4));
    y = y.fma(f, x.broadcast(L5));
    y = y.fma(f, x.broadcast(L6));
    y = y.fma(f, x.broadcast(L7));
    y = y.fma(f, x.broadcast(L8));
    y = y.fma(f, x.broadcast(L9));
    y = y.mul(f).mul(z);
    y = ef.fma(x.broadcast(LN2_LO), y);
    y = z.fma(x.broadcast(-0.5f), y);
    return ef.fma(x.broadcast(LN2_HI), f.add(y));
  }

  /**
   * sin(2πu) lane by lane: w = u − round(u) ∈ [−½, ½], folded into [−¼, ¼] by sin 2πw = sin 2π(±½ − w)
   * for |w| &gt; ¼ (exact by Sterbenz), then the same polynomial as {@link #cos2pi}.
   */
  public static FloatVector sin2pi(FloatVector u) {
    FloatVector w = u.sub(u.add(ROUND).sub(ROUND));
    FloatVector half = u.broadcast(0.5f).blend(u.broadcast(-0.5f), w.compare(VectorOperators.LT, 0f));
    FloatVector s = w.blend(half.sub(w), w.abs().compare(VectorOperators.GT, 0.25f));
    FloatVector x = s.mul(TWO_PI);
    FloatVector x2 = x.mul(x);
    FloatVector p = x2.fma(u.broadcast(S13), u.broadcast(S11));
    p = p.fma(x2, u.broadcast(S9));
    p = p.fma(x2, u.broadcast(S7));
    p = p.fma(x2, u.broadcast(S5));
    p = p.fma(x2, u.broadcast(S3));
    return p.mul(x2).fma(x, x);
  }

  /** cos(2πu) lane by lane. */
  public static FloatVector cos2pi(FloatVector u) {
    FloatVector w = u.sub(u.add(ROUND).sub(ROUND));
    FloatVector s = u.broadcast(0.25f).sub(w.abs());
    FloatVector x = s.mul(TWO_PI);
    FloatVector x2 = x.mul(x);
    FloatVector p = x2.fma(u.broadcast(S13), u.broadcast(S11));
    p = p.fma(x2, u.broadcast(S9));
    p = p.fma(x2, u.broadcast(S7));
    p = p.fma(x2, u.broadcast(S5));
    p = p.fma(x2, u.broadcast(S3));
    return p.mul(x2).fma(x, x);
  }
}
