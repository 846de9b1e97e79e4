package org.neurorl.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Inline exp, logistic, tanh, log and cos 2πu for float vectors. The Vector API's own {@code EXP} is an
 * out-of-line call that spills registers (about 1.3× slower in the bandit kernels); these are short polynomials C2
 * inlines. Each method is small on purpose: a large method that C2 refuses to inline boxes every vector.
 *
 * <p>{@link #exp}: {@code e^x = 2^n · p(r)}, {@code n = round(x·log2 e)}, {@code r = x − n·ln 2} split
 * in two constants (Cody–Waite), {@code p} a degree-6 Taylor polynomial on |r| ≤ ln2/2, which is within
 * 2 ulp of {@link Math#exp} for x in [−87, 88]; inputs are clamped to that range first (so the result
 * saturates at about 1.6e38 or 1.6e-38 instead of overflowing). The scalar twin {@link #expScalar}
 * performs the same float operations in the same order, so lane-by-lane results are identical.
 *
 * <p>{@link #log} (for Box–Muller normals): {@code x = 2^e·m}, m in [√½, √2) taken from the bits,
 * {@code log x = e·ln 2 + log1p(f)}, f = m − 1 exact, the Cephes {@code logf} degree-9 minimax polynomial
 * and a split ln 2. Domain: positive normal floats (no checks for 0, subnormals, NaN or ∞).
 * {@link #cos2pi}: {@code cos 2πu} with an exact reduction (4u and its rounding to the nearest quadrant
 * q are exact, r = 4u − q in [−½, ½]) to θ = r·π/2 in [−π/4, π/4], then the Cephes {@code sinf}/{@code
 * cosf} polynomials; domain |u| < 2²⁰. Measured against float64 {@link Math} in {@code
 * VectorMathLogCosTest}: log ≤ 0.82 ulp on every u in (0, 1] of 24 bits and ≤ 0.77 ulp on sampled
 * positive normals; cos2pi ≤ 1.95 ulp where |cos| ≥ 2⁻¹⁰ and ≤ 8.5e-8 absolute on every u in [0, 1) of
 * 24 bits. Scalar twins {@link #logScalar} and {@link #cos2piScalar} give the identical floats.
 */
public final class VectorMath {
  static final float LOG2E = 1.44269504088896341f;
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float MAX_X = 88.0f;
  static final float MIN_X = -87.0f;
  static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

  static final float SQRT_HALF = 0.707106781186547524f;
  static final float L9 = 7.0376836292e-2f, L8 = -1.1514610310e-1f, L7 = 1.1676998740e-1f,
      L6 = -1.2420140846e-1f, L5 = 1.4249322787e-1f, L4 = -1.6668057665e-1f, L3 = 2.0000714765e-1f,
      L2 = -2.4999993993e-1f, L1 = 3.3333331174e-1f;
  static final float HALF_PI = 1.57079632679489662f;
  static final float S3 = -1.9515295891e-4f, S2 = 8.3321608736e-3f, S1 = -1.6666654611e-1f;
  static final float K3 = 2.443315711809948e-5f, K2 = -1.388731625493765e-3f, K1 = 4.166664568298827e-2f;

  private VectorMath() {}

  /** Natural logarithm of positive normal floats (see the class comment). */
  public static FloatVector log(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // [½, 1)
    FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126)
        .convertShape(VectorOperators.I2F, SimdSpecies.F, 0);
    VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
    FloatVector f = m.sub(1f).blend(m.add(m).sub(1f), small);
    e = e.blend(e.sub(1f), small);
    FloatVector z = f.mul(f);
    FloatVector y = f.fma(x.broadcast(L9), x.broadcast(L8));
    y = y.fma(f, x.broadcast(L7));
    y = y.fma(f, x.broadcast(L6));
    y = y.fma(f, x.broadcast(L5));
    y = y.fma(f, x.broadcast(L4));
    y = y.fma(f, x.broadcast(L3));
    y = y.fma(f, x.broadcast(L2));
    y = y.fma(f, x.broadcast(L1));
    y = y.mul(f).mul(z);
    y = e.fma(x.broadcast(LN2_LO), y); // ln 2 = LN2_HI + LN2_LO
    y = z.fma(x.broadcast(-0.5f), y);
    return e.fma(x.broadcast(LN2_HI), f.add(y));
  }

  /** Scalar twin of {@link #log}: same operations, same order, same float result. */
  public static float logScalar(float x) {
    int bits = Float.floatToRawIntBits(x);
    float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);
    float e = (bits >>> 23) - 126;
    boolean small = m < SQRT_HALF;
    float f = small ? m + m - 1f : m - 1f;
    e = small ? e - 1f : e;
    float z = f * f;
    float y = Math.fma(f, L9, L8);
    y = Math.fma(y, f, L7);
    y = Math.fma(y, f, L6);
    y = Math.fma(y, f, L5);
    y = Math.fma(y, f, L4);
    y = Math.fma(y, f, L3);
    y = Math.fma(y, f, L2);
    y = Math.fma(y, f, L1);
    y = y * f * z;
    y = Math.fma(e, LN2_LO, y);
    y = Math.fma(z, -0.5f, y);
    return Math.fma(e, LN2_HI, f + y);
  }

  /** {@code cos 2πu} for |u| < 2²⁰ (see the class comment). */
  public static FloatVector cos2pi(FloatVector u) {
    FloatVector x = u.mul(4f);
    FloatVector shifted = x.add(12582912f); // 1.5·2²³: its low mantissa bits are q = round(4u)
    FloatVector r = x.sub(shifted.sub(12582912f));
    IntVector q = shifted.reinterpretAsInts();
    FloatVector t = r.mul(HALF_PI);
    FloatVector z = t.mul(t);
    FloatVector s = z.fma(u.broadcast(S3), u.broadcast(S2)).fma(z, u.broadcast(S1)).mul(z).fma(t, t);
    FloatVector c = z.fma(u.broadcast(K3), u.broadcast(K2)).fma(z, u.broadcast(K1)).fma(z, u.broadcast(-0.5f))
        .fma(z, u.broadcast(1f));
    // quadrant q mod 4 = 0: cos θ, 1: −sin θ, 2: −cos θ, 3: sin θ (θ = r·π/2); chosen and signed on the bits
    IntVector odd = q.and(1).neg(); // all ones where q is odd
    IntVector ci = c.reinterpretAsInts(), si = s.reinterpretAsInts();
    IntVector v = ci.lanewise(VectorOperators.XOR, ci.lanewise(VectorOperators.XOR, si).and(odd));
    IntVector sign = q.add(1).and(2).lanewise(VectorOperators.LSHL, 30);
    return v.lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
  }

  /** Scalar twin of {@link #cos2pi}: same operations, same order, same float result. */
  public static float cos2piScalar(float u) {
    float x = u * 4f;
    float shifted = x + 12582912f;
    float r = x - (shifted - 12582912f);
    int q = Float.floatToRawIntBits(shifted);
    float t = r * HALF_PI;
    float z = t * t;
    float s = Math.fma(Math.fma(Math.fma(z, S3, S2), z, S1) * z, t, t);
    float c = Math.fma(Math.fma(Math.fma(Math.fma(z, K3, K2), z, K1), z, -0.5f), z, 1f);
    float v = (q & 1) != 0 ? s : c;
    return Float.intBitsToFloat(Float.floatToRawIntBits(v) ^ (((q + 1) & 2) << 30));
  }

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
