package org.neurorl.kernel.plastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticRnnState.Quantity;

/**
 * SIMD (float32) against the float64 reference, at every SIMD width (Surefire re-runs this class at 256
 * and 128 bits).
 *
 * <p>Tolerances, relative to the largest magnitude of each quantity and scaled by √K, K = N + I. Every
 * compared quantity is a short chain of operations on sums of at most K products, so one float32 step is
 * off by about √K·ε (ε = 2^−24 ≈ 6e−8) relative to the summed terms, plus a few ulp from the exp-based σ
 * and tanh (VectorMathTest). {@code dU} is the tight spot: (1 − τU) dU + τU M E adds terms up to ~10×
 * larger than the clip c that bounds the result, so its error relative to max |dU| is ~10× that of the
 * terms (measured up to 7e−6 at N = 7 against a bound of 9e−6). Hence SINGLE = 4e−6 (about 60ε) per
 * step: above what float32 rounding produces with margin, and far below any real mistake (a wrong sign,
 * index or rate moves a quantity by O(1) relative; a wrong plastic input moves v by ~1e−2 relative).
 * Over 200 steps the network contracts (recurrent gain 0.9/√N), so rounding errors are damped each step
 * instead of compounding; ROLLOUT = 2e−5 allows five times the single-step bound for the accumulation
 * over the dynamics' memory (≈ 1/(1 − 0.9) steps). Measured: all rollout errors under 4% of it.
 */
@Tag("simd-width")
class PlasticRnnEquivalenceTest {
  static final double SINGLE = 4e-6;
  static final double ROLLOUT = 2e-5;
  static final int[] SIZES = {1, 3, 7, 16, 17, 48, 130};
  static final int[] BATCHES = {1, 3, 64};

  static Stream<Arguments> singleStepCases() {
    List<Arguments> cases = new ArrayList<>();
    for (PlasticityRule.Kind kind : PlasticityRule.Kind.values()) {
      for (int n : SIZES) {
        for (int b : BATCHES) {
          cases.add(Arguments.of(kind, n, b, true));
        }
      }
      // the Java path of the shared products at a size that otherwise uses OpenBLAS
      cases.add(Arguments.of(kind, 130, 3, false));
    }
    return cases.stream();
  }

  static Stream<Arguments> rolloutCases() {
    List<Arguments> cases = new ArrayList<>();
    for (PlasticityRule.Kind kind : PlasticityRule.Kind.values()) {
      cases.add(Arguments.of(kind, 1, 3, true));
      cases.add(Arguments.of(kind, 3, 1, true));
      cases.add(Arguments.of(kind, 17, 3, true));
      cases.add(Arguments.of(kind, 48, 64, true));
      cases.add(Arguments.of(kind, 130, 3, true));
      cases.add(Arguments.of(kind, 130, 1, false));
    }
    return cases.stream();
  }

  /** Two steps from a random mid-trajectory state (the second uses the plastic input of the fused pass). */
  @ParameterizedTest(name = "{0} N={1} B={2} blas={3}")
  @MethodSource("singleStepCases")
  void stepsFromTheSameStateAgree(PlasticityRule.Kind kind, int n, int batch, boolean blas) {
    PlasticRnnKernel simd = blas ? PlasticRnnFixture.simd() : PlasticRnnFixture.simdWithoutBlas();
    PlasticRnnKernel ref = new ReferencePlasticRnn();
    PlasticRnnWeights w = PlasticRnnFixture.weights(n, 11 + n);
    PlasticityRule rule = PlasticRnnFixture.rule(kind);
    PlasticRnnState rs = ref.newState(w, rule, batch);
    PlasticRnnState ss = simd.newState(w, rule, batch);
    PlasticRnnFixture.randomState(rs, 5);
    PlasticRnnFixture.randomState(ss, 5);
    Run r = new Run(batch);
    Run s = new Run(batch);
    double tol = SINGLE * Math.sqrt(n + PlasticRnnFixture.INPUTS);
    for (int t = 0; t < 2; t++) {
      PlasticRnnFixture.input(r.x, 7, t);
      PlasticRnnFixture.input(s.x, 7, t);
      ref.step(rs, r.x, r.logits, r.values, Parallel.serial());
      simd.step(ss, s.x, s.logits, s.values, Parallel.serial());
      compare(rs, ss, r, s, tol, "step " + t);
    }
    // N = 1: E is a 1×1 antisymmetric matrix (always 0) and the STDP drive is one tiny product; no clip
    if (n >= 3) {
      assertTrue(PlasticRnnFixture.clippedEntries(rs) > 0, "the clip should have been active");
      assertTrue(PlasticRnnFixture.clippedEntries(ss) > 0, "the clip should have been active (SIMD)");
    }
  }

  /** 200 steps from zero with the same inputs. */
  @ParameterizedTest(name = "{0} N={1} B={2} blas={3}")
  @MethodSource("rolloutCases")
  void rolloutsAgree(PlasticityRule.Kind kind, int n, int batch, boolean blas) {
    PlasticRnnKernel simd = blas ? PlasticRnnFixture.simd() : PlasticRnnFixture.simdWithoutBlas();
    PlasticRnnKernel ref = new ReferencePlasticRnn();
    PlasticRnnWeights w = PlasticRnnFixture.weights(n, 3 + n);
    PlasticityRule rule = PlasticRnnFixture.rule(kind);
    PlasticRnnState rs = ref.newState(w, rule, batch);
    PlasticRnnState ss = simd.newState(w, rule, batch);
    Run r = new Run(batch);
    Run s = new Run(batch);
    long clippedSomewhere = 0;
    for (int t = 0; t < 200; t++) {
      PlasticRnnFixture.input(r.x, 9, t);
      PlasticRnnFixture.input(s.x, 9, t);
      ref.step(rs, r.x, r.logits, r.values, Parallel.serial());
      simd.step(ss, s.x, s.logits, s.values, Parallel.serial());
      if (t % 10 == 9) {
        clippedSomewhere += PlasticRnnFixture.clippedEntries(rs);
      }
    }
    compare(rs, ss, r, s, ROLLOUT * Math.sqrt(n + PlasticRnnFixture.INPUTS), "after 200 steps");
    // below 7 units the few active units rarely drive dU to the clip from zero; the single-step test
    // covers the clip there
    if (n >= 7) {
      assertTrue(clippedSomewhere > 0, "the clip should have been active");
    }
    assertEquals(200, ss.steps());
  }

  /**
   * A constant α takes its own pass in the SIMD kernel (α factored out of the row sum) and a slow rate
   * makes the flush sweep rare (period 16 / ln(1/0.95) = 311 steps > 200), so this rollout runs the lean
   * passes almost only. Same tolerance as the other rollouts.
   */
  @ParameterizedTest(name = "constant alpha N={0} B={1}")
  @org.junit.jupiter.params.provider.CsvSource({"17, 3", "48, 5", "130, 2"})
  void constantAlphaRolloutsAgree(int n, int batch) {
    PlasticRnnWeights r0 = PlasticRnnFixture.weights(n, 21 + n);
    PlasticRnnWeights w = new PlasticRnnWeights(n, r0.inputs(), r0.actions(), r0.w(), r0.u(), r0.b(), r0.wz(),
        r0.uz(), r0.bz(), PlasticRnnWeights.constantAlpha(n, (float) (3 / Math.sqrt(n))), r0.wM(), r0.bM(),
        r0.wPi(), r0.bPi(), r0.wv(), r0.bv());
    PlasticityRule rule = PlasticityRule.modulated(0.3f, 0.05f, 0.8f, 0.0005f);
    long clipped = 0;
    PlasticRnnKernel simd = PlasticRnnFixture.simd();
    PlasticRnnKernel ref = new ReferencePlasticRnn();
    PlasticRnnState rs = ref.newState(w, rule, batch);
    PlasticRnnState ss = simd.newState(w, rule, batch);
    Run r = new Run(batch);
    Run s = new Run(batch);
    for (int t = 0; t < 200; t++) {
      PlasticRnnFixture.input(r.x, 4, t);
      PlasticRnnFixture.input(s.x, 4, t);
      ref.step(rs, r.x, r.logits, r.values, Parallel.serial());
      simd.step(ss, s.x, s.logits, s.values, Parallel.of(2));
      if (t % 10 == 9) {
        clipped += PlasticRnnFixture.clippedEntries(rs);
      }
    }
    compare(rs, ss, r, s, ROLLOUT * Math.sqrt(n + PlasticRnnFixture.INPUTS), "after 200 steps, constant alpha");
    assertTrue(clipped > 0, "the clip should have been active");
  }

  static final class Run {
    final float[] x, logits, values;

    Run(int batch) {
      x = new float[batch * PlasticRnnFixture.INPUTS];
      logits = new float[batch * PlasticRnnFixture.ACTIONS];
      values = new float[batch];
    }
  }

  static double maxAbs(double[] a) {
    double m = 0;
    for (double d : a) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }

  static void compare(PlasticRnnState rs, PlasticRnnState ss, Run r, Run s, double tol, String when) {
    for (Quantity q : Quantity.values()) {
      if (!rs.holds(q)) {
        continue;
      }
      double scale = 0, err = 0;
      for (int a = 0; a < rs.batch(); a++) {
        double[] x = rs.copyOut(q, a), y = ss.copyOut(q, a);
        scale = Math.max(scale, maxAbs(x));
        for (int i = 0; i < x.length; i++) {
          err = Math.max(err, Math.abs(x[i] - y[i]));
        }
      }
      assertClose(q.toString(), err, scale, tol, when);
    }
    double[] rm = new double[rs.batch()], sm = new double[rs.batch()];
    double err = 0;
    for (int a = 0; a < rs.batch(); a++) {
      rm[a] = rs.modulator(a);
      sm[a] = ss.modulator(a);
      if (rs.rule().kind() == PlasticityRule.Kind.MODULATED) {
        err = Math.max(err, Math.abs(rm[a] - sm[a]));
      } else {
        assertTrue(Double.isNaN(rm[a]) && Double.isNaN(sm[a]), "no modulator under STDP");
      }
    }
    if (rs.rule().kind() == PlasticityRule.Kind.MODULATED) {
      assertClose("M", err, Math.max(maxAbs(rm), 1), tol, when);
    }
    assertClose("logits", maxDiff(r.logits, s.logits), Math.max(maxAbs(toDouble(r.logits)), 1), tol, when);
    assertClose("values", maxDiff(r.values, s.values), Math.max(maxAbs(toDouble(r.values)), 1), tol, when);
  }

  static void assertClose(String name, double err, double scale, double tol, String when) {
    if (System.getenv("NEURORL_PRINT_ERRORS") != null) { // to re-derive the tolerances
      System.out.printf("%s %s: err %.3g scale %.3g rel %.3g tol %.3g%n", when, name, err, scale,
          err / Math.max(scale, 1e-30), tol);
    }
    assertTrue(err <= tol * scale, () -> name + " " + when + ": max |simd − reference| = " + err
        + " > " + tol + " × max |reference| = " + tol * scale);
  }

  static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
