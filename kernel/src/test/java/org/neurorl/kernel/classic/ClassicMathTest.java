package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.simd.ClassicMath;
import org.neurorl.kernel.simd.SimdSpecies;

/** Accuracy of the inline log and cos(2πu) of the SIMD Thompson and UCB1 kernels against Math. */
@Tag("simd-width")
class ClassicMathTest {
  private static final int L = SimdSpecies.F.length();

  /** Runs the vector function over {@code x} (length a multiple of L) into a new array. */
  private static float[] apply(float[] x, java.util.function.UnaryOperator<FloatVector> fn) {
    float[] y = new float[x.length];
    for (int j = 0; j < x.length; j += L) {
      fn.apply(FloatVector.fromArray(SimdSpecies.F, x, j)).intoArray(y, j);
    }
    return y;
  }

  /**
   * ln x within 3e-7 relative (about 5 float ulps; |ln x| &lt; 1 counts as 1) or 1e-7 absolute, on
   * the uniforms the sampler feeds it ((m + 1)·2⁻²⁴, the whole grid near 1 and a sample elsewhere) and
   * on random positive normal floats from 1e-30 to 1e30 (the v = (1 + cz)³ and t of the kernels).
   */
  @Test
  void logIsAccurate() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 1 << 16;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      if (i < n / 4) {
        x[i] = ((1 << 24) - i) * 0x1p-24f; // the uniforms nearest 1
      } else if (i < n / 2) {
        x[i] = (r.nextInt(1 << 24) + 1) * 0x1p-24f;
      } else {
        x[i] = (float) Math.exp(r.nextDouble(Math.log(1e-30), Math.log(1e30)));
      }
    }
    x[n / 4] = 0x1p-24f;
    x[n / 4 + 1] = 1f;
    x[n / 4 + 2] = 2f;
    float[] y = apply(x, ClassicMath::log);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double exact = Math.log(x[i]);
      double err = Math.abs(y[i] - exact) / Math.max(Math.abs(exact), 1.0);
      worst = Math.max(worst, err);
      assertTrue(err <= 3e-7 || Math.abs(y[i] - exact) <= 1e-7,
          "log(" + x[i] + ") = " + y[i] + ", Math.log = " + exact);
    }
    assertTrue(worst > 0, "the comparison ran");
  }

  /** cos(2πu) and sin(2πu) within 2e-7 absolute (about 3 ulp of 1) for u = m·2⁻²⁴ of a sample and the eighth points. */
  @Test
  void cos2piAndSin2piAreAccurate() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 1 << 16;
    float[] u = new float[n];
    for (int i = 0; i < n; i++) {
      u[i] = r.nextInt(1 << 24) * 0x1p-24f;
    }
    float[] special = {0f, 0.25f, 0.5f, 0.75f, 1f - 0x1p-24f, 0.125f, 0.375f, 0.625f, 0.875f, 0x1p-24f, 0.25f + 0x1p-24f};
    System.arraycopy(special, 0, u, 0, special.length);
    float[] c = apply(u, ClassicMath::cos2pi);
    float[] s = apply(u, ClassicMath::sin2pi);
    for (int i = 0; i < n; i++) {
      double exact = Math.cos(2 * Math.PI * u[i]);
      assertTrue(Math.abs(c[i] - exact) <= 2e-7, "cos2pi(" + u[i] + ") = " + c[i] + ", Math = " + exact);
      double exactSin = Math.sin(2 * Math.PI * u[i]);
      assertTrue(Math.abs(s[i] - exactSin) <= 2e-7, "sin2pi(" + u[i] + ") = " + s[i] + ", Math = " + exactSin);
    }
  }
}
