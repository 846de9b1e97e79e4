package org.neurorl.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Accuracy of the inline exp/logistic/tanh against float64 Math, and lane = scalar-twin identity. */
@Tag("simd-width")
class VectorMathTest {
  private static final int L = SimdSpecies.F.length();

  private static void check(java.util.function.UnaryOperator<FloatVector> v,
      java.util.function.DoubleUnaryOperator scalarTwin, java.util.function.DoubleUnaryOperator exact,
      float lo, float hi, double relTol, double absTol) {
    int n = 200_003;
    float[] x = new float[L], y = new float[L];
    double worst = 0;
    for (int i = 0; i < n; i += L) {
      for (int l = 0; l < L; l++) {
        x[l] = Math.min(hi, lo + (hi - lo) * ((i + l) % n) / (n - 1));
      }
      v.apply(FloatVector.fromArray(SimdSpecies.F, x, 0)).intoArray(y, 0);
      for (int l = 0; l < L; l++) {
        double e = exact.applyAsDouble(x[l]);
        double err = Math.abs(y[l] - e);
        assertTrue(err <= relTol * Math.abs(e) + absTol, "x = " + x[l] + ": " + y[l] + " vs " + e);
        assertEquals((float) scalarTwin.applyAsDouble(x[l]), y[l], 0f, "scalar twin at x = " + x[l]);
        worst = Math.max(worst, err / (Math.abs(e) + 1e-30));
      }
    }
  }

  @Test
  void expIsWithinFourUlpOfMathExp() {
    // 4 ulp of float32 = 2.4e-7 relative: degree-6 Taylor truncation (1.2e-7) plus rounding of p and r
    check(VectorMath::exp, x -> VectorMath.expScalar((float) x), Math::exp, -87f, 88f, 4.8e-7, 0);
  }

  @Test
  void expSaturatesInsteadOfOverflowing() {
    float[] x = new float[L];
    java.util.Arrays.fill(x, 1e4f);
    float[] y = new float[L];
    VectorMath.exp(FloatVector.fromArray(SimdSpecies.F, x, 0)).intoArray(y, 0);
    assertTrue(Float.isFinite(y[0]) && y[0] > 1e38f, "exp(1e4) = " + y[0]);
    java.util.Arrays.fill(x, -1e4f);
    VectorMath.exp(FloatVector.fromArray(SimdSpecies.F, x, 0)).intoArray(y, 0);
    assertTrue(y[0] > 0 && y[0] < 1e-37f, "exp(-1e4) = " + y[0]);
  }

  @Test
  void sigmoidAndTanhAreAccurate() {
    // absolute tolerance 3e-7: a few float32 ulps of values in (0, 1) after one division
    check(VectorMath::sigmoid, x -> VectorMath.sigmoidScalar((float) x), x -> 1 / (1 + Math.exp(-x)),
        -30f, 30f, 6e-7, 3e-7);
    check(VectorMath::tanh, x -> VectorMath.tanhScalar((float) x), Math::tanh, -20f, 20f, 6e-7, 3e-7);
  }
}
