package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurorl.kernel.lstm.LstmFixtures.EPS;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.simd.SimdSpecies;

/**
 * The float32 SIMD kernel (both its OpenBLAS and its pure-Java products) against the float64 reference.
 *
 * <p><b>Single-step tolerance</b>, derived per case from the data rather than guessed. A gate
 * pre-activation sums K = I + N products plus a bias; a float32 chain of K+1 roundings is off by at most
 * (K+2)·ε·S_z, where ε = 2⁻²⁴ and S_z = max over gates of |b| + Σ|w·xh| (so the bound grows with N and
 * with the weight scale). The inline logistic/tanh add at most 6e-7 (VectorMathTest) and have slope ≤ 1,
 * so each gate is off by e_g = (K+2)·ε·S_z + 6e-7. Then c = σ(f)c + σ(i)tanh(g) is off by at most
 * e_g·(|c|max + 2) plus 3 roundings, and h = σ(o)tanh(c) by e_g + e_c + 6e-7. A head sums N products of h:
 * off by Σ|w|·e_h + (N+L+1)·ε·S_head (L lanes summed in sequence). These bounds are worst cases (errors
 * add in magnitude), so the test cannot flake, yet a wrong gate order, a missing bias or a stale h moves
 * values by 1e-2 or more, far above every bound here (at most ~1e-4 at N = 130).
 */
@Tag("simd-width")
class LstmEquivalenceTest {
  static final int[] HIDDEN = {1, 3, 7, 16, 17, 48, 130};
  static final int[] BATCH = {1, 3, 64};

  static Stream<Arguments> allSizes() {
    List<Arguments> out = new ArrayList<>();
    for (int n : HIDDEN) {
      for (int b : BATCH) {
        out.add(Arguments.of(n, b, true));
        out.add(Arguments.of(n, b, false));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> rolloutSizes() {
    return Stream.of(Arguments.of(1, 3, true), Arguments.of(7, 64, true), Arguments.of(17, 3, false),
        Arguments.of(48, 64, true), Arguments.of(48, 3, false), Arguments.of(130, 3, true),
        Arguments.of(130, 64, false));
  }

  private static LstmKernel fast(boolean blas) {
    return blas ? LstmFixtures.simd() : LstmFixtures.simdJavaProducts();
  }

  /** Worst-case single-step bounds (see the class comment) for one state, input and parameter set. */
  record Bounds(double h, double c, double gate, double head) {
    static Bounds of(LstmParams p, double[] h, double[] c, float[] x, int batch) {
      int in = p.inputs(), n = p.hidden(), k = in + n;
      double sz = 0, cmax = 0;
      for (int a = 0; a < batch; a++) {
        for (int r = 0; r < 4 * n; r++) {
          double s = Math.abs(p.gateBias()[r]);
          for (int j = 0; j < in; j++) {
            s += Math.abs(p.inputWeights()[r * in + j] * x[a * in + j]);
          }
          for (int j = 0; j < n; j++) {
            s += Math.abs(p.recurrentWeights()[r * n + j] * h[a * n + j]);
          }
          sz = Math.max(sz, s);
        }
        for (int u = 0; u < n; u++) {
          cmax = Math.max(cmax, Math.abs(c[a * n + u]));
        }
      }
      double eg = (k + 2) * EPS * sz + 6e-7;
      double ec = eg * (cmax + 2 + 1) + 3 * EPS * (cmax + 1);
      double eh = eg + ec + 6e-7 + EPS;
      double wsum = 0;
      for (int act = 0; act < p.actions(); act++) {
        double s = 0;
        for (int u = 0; u < n; u++) {
          s += Math.abs(p.policyWeights()[act * n + u]);
        }
        wsum = Math.max(wsum, s + Math.abs(p.policyBias()[act]));
      }
      double vs = Math.abs(p.valueBias());
      for (int u = 0; u < n; u++) {
        vs += Math.abs(p.valueWeights()[u]);
      }
      wsum = Math.max(wsum, vs);
      // |h| < 1, so Σ|w·h| ≤ Σ|w|; the head also sees h off by eh
      double head = wsum * eh + (n + SimdSpecies.F.length() + 2) * EPS * wsum;
      return new Bounds(eh, ec, eg, head);
    }
  }

  @ParameterizedTest(name = "N={0} B={1} blas={2}")
  @MethodSource("allSizes")
  void singleStepFromTheSameStateMatchesTheReference(int n, int batch, boolean blas) {
    int in = LstmFixtures.inputsFor(n), na = LstmFixtures.actionsFor(n);
    // scale 1.5/√N: larger than the usual initialisation, so gates reach their saturating ranges
    LstmParams p = LstmParams.random(in, n, na, 11 + n, (float) (1.5 / Math.sqrt(n)));
    LstmKernel ref = new ReferenceLstm();
    LstmKernel simd = fast(blas);
    LstmState rs = ref.newState(p, batch), ss = simd.newState(p, batch);
    double[] h0 = LstmFixtures.floats(batch * n, 5 + n, 0.95);
    double[] c0 = LstmFixtures.floats(batch * n, 6 + n, 3.0);
    rs.set(h0, c0);
    ss.set(h0, c0);
    float[] x = LstmFixtures.inputs(batch, in, 17, 0);
    float[] rl = new float[batch * na], sl = new float[batch * na], rv = new float[batch], sv = new float[batch];
    LstmTrace rt = new LstmTrace(batch, n), st = new LstmTrace(batch, n);
    ref.step(p, rs, x, rl, rv, Parallel.serial(), rt);
    simd.step(p, ss, x, sl, sv, Parallel.serial(), st);
    Bounds tol = Bounds.of(p, h0, c0, x, batch);
    assertClose("h", rs.hiddenState(), ss.hiddenState(), tol.h());
    assertClose("c", rs.cellState(), ss.cellState(), tol.c());
    assertClose("logits", rl, sl, tol.head());
    assertClose("values", rv, sv, tol.head());
    assertClose("trace gates", rt.gates(), st.gates(), tol.gate());
    assertClose("trace cell", rt.cell(), st.cell(), tol.c());
    // the trace holds exactly what the state holds
    float[] th = st.hiddenState(), tc = st.cell();
    double[] sh = ss.hiddenState(), sc = ss.cellState();
    for (int i = 0; i < th.length; i++) {
      assertEquals(sh[i], th[i], 0.0, "trace h = state h");
      assertEquals(sc[i], tc[i], 0.0, "trace c = state c");
    }
    assertEquals(1, ss.steps());
  }

  /**
   * 200 steps from a zero state on the same inputs. Each step injects at most the single-step error,
   * and at the usual initialisation scale 1/√N the step map contracts (forget gates ≈ ½, σ' ≤ ¼), so
   * the accumulated error stays within a few single-step bounds; the tolerance allows 4× the largest
   * single-step bound seen along the trajectory. Observed errors are ~1e-6, where a bug is ~1e-2.
   */
  @ParameterizedTest(name = "N={0} B={1} blas={2}")
  @MethodSource("rolloutSizes")
  void rolloutOf200StepsStaysCloseToTheReference(int n, int batch, boolean blas) {
    int in = LstmFixtures.inputsFor(n), na = LstmFixtures.actionsFor(n);
    LstmParams p = LstmParams.random(in, n, na, 23 + n);
    LstmKernel ref = new ReferenceLstm();
    LstmKernel simd = fast(blas);
    LstmState rs = ref.newState(p, batch), ss = simd.newState(p, batch);
    float[] rl = new float[batch * na], sl = new float[batch * na], rv = new float[batch], sv = new float[batch];
    double worstH = 0, worstRatio = 0;
    double boundH = 0, boundHead = 0;
    try (Parallel pool = Parallel.of(2)) {
      for (int t = 0; t < 200; t++) {
        float[] x = LstmFixtures.inputs(batch, in, 99, t);
        Bounds b = Bounds.of(p, rs.hiddenState(), rs.cellState(), x, batch);
        boundH = Math.max(boundH, b.h());
        boundHead = Math.max(boundHead, b.head());
        ref.step(p, rs, x, rl, rv, pool);
        simd.step(p, ss, x, sl, sv, pool);
        double e = maxDiff(rs.hiddenState(), ss.hiddenState());
        worstH = Math.max(worstH, e);
        worstRatio = Math.max(worstRatio, e / b.h());
        assertClose("h at step " + t, rs.hiddenState(), ss.hiddenState(), 4 * boundH);
        assertClose("c at step " + t, rs.cellState(), ss.cellState(), 4 * boundH);
        assertClose("logits at step " + t, rl, sl, 4 * boundHead);
        assertClose("values at step " + t, rv, sv, 4 * boundHead);
      }
    }
    assertEquals(200, ss.steps());
    System.out.printf("LSTM rollout N=%d B=%d blas=%s: max |dh| = %.3g, bound %.3g, worst ratio %.3g%n", n, batch,
        blas, worstH, boundH, worstRatio);
  }

  @Test
  void implementationNamesTheWidth() {
    assertEquals("simd-" + SimdSpecies.BITS, LstmFixtures.simd().implementation());
    assertEquals("reference", new ReferenceLstm().implementation());
  }

  static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static void assertClose(String what, double[] expected, double[] actual, double tol) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (!(d <= tol)) {
        throw new AssertionError(what + "[" + i + "]: reference " + expected[i] + ", simd " + actual[i] + ", |diff| "
            + d + " > tolerance " + tol);
      }
    }
  }

  static void assertClose(String what, float[] expected, float[] actual, double tol) {
    double[] e = new double[expected.length], a = new double[actual.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = actual[i];
    }
    assertClose(what, e, a, tol);
  }
}
