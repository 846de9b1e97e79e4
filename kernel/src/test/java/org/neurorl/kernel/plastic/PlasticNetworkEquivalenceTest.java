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
import org.neurorl.kernel.simd.SimdPlasticNetwork;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * The SIMD network's forward outputs and gradients against the float64 reference over 100-step episodes,
 * at awkward sizes and at every SIMD width (Surefire re-runs this class at 256 and 128 bits).
 *
 * <p>Tolerance: per tensor, max |simd − reference| ≤ 1e−4 × max |reference| over that tensor. Each
 * gradient entry is a float32 sum over T·B ≤ 3200 agent-steps of products of adjoints that were
 * themselves propagated through up to 100 steps in float32; with the recurrent gain 0.9 the adjoints
 * contract, so rounding errors stay at a few ε = 6e−8 per step, and the sums add ~√(T·B)·ε ≈ 3e−6
 * relative to the sum of magnitudes, which cancellation can make ~10× the result. Measured: at most
 * 6e−6 of the tensor scale over all cases and SIMD widths, so 1e−4 leaves ~15× margin, while a real
 * mistake (a missing path, a sign, a wrong mask or index) changes some entries by O(1) of the scale.
 * A tensor whose reference gradient is exactly 0 (α, wM, bM at N = 1, where dU = 0 by antisymmetry)
 * must be exactly 0 too. Forward logits and values must agree within 1e−5 absolute (they are O(1);
 * measured ≤ 1.2e−7).
 */
@Tag("simd-width")
class PlasticNetworkEquivalenceTest {
  static final int I = 3, A = 2, T = 100;
  static final double TOLERANCE = 1e-4;

  /**
   * Width-sensitive cases, re-run at every SIMD width: small batches (the row passes and lane sums are
   * the same per agent whatever B). {@link PlasticNetworkBatchEquivalenceTest} runs the full
   * N × B grid (B up to 32) once, at the default width, to keep the three runs of this class fast.
   */
  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (int n : new int[] {1, 3, 17, 48}) {
      cases.add(Arguments.of(n, 3, true));
    }
    cases.add(Arguments.of(17, 5, false)); // the Java weight-gradient path (no OpenBLAS)
    cases.add(Arguments.of(65, 3, true)); // per-step shared products through OpenBLAS
    cases.add(Arguments.of(65, 2, false)); // the same size on the Java path
    return cases.stream();
  }

  /**
   * Stronger plasticity (α × 2, wM × 3, clip 1, which then never binds) and, separately, a tight clip
   * (c = 0.004) that binds on a good share of the entries (asserted on the reference trajectory), so
   * the mask of the clip's derivative is exercised in float32 too. The tolerance is per tensor, so the
   * plastic tensors (α, wM, bM), whose gradients are 1–2% of W's here, are held to the same relative
   * accuracy as the rest.
   */
  @ParameterizedTest(name = "clip={0} N={1} B={2}")
  @MethodSource("plasticCases")
  void gradientsAgreeWithStrongPlasticityOrATightClip(float clip, int n, int batch) {
    PlasticityRule rule = PlasticityRule.modulated(0.3f, 0.5f, 0.8f, clip);
    PlasticNetwork simd = PlasticNetworkFixture.network("simd", I, n, A, rule);
    ReferencePlasticNetwork ref = new ReferencePlasticNetwork(I, n, A, rule);
    float[] params = PlasticNetworkFixture.parameters(ref, 0.9, 200 + n);
    ParameterLayout.Tensor alpha = ref.layout().tensor("alpha");
    for (int k = alpha.offset(); k < alpha.offset() + alpha.size(); k++) {
      params[k] *= 2;
    }
    ParameterLayout.Tensor wM = ref.layout().tensor("wM");
    for (int k = wM.offset(); k < wM.offset() + wM.size(); k++) {
      params[k] *= 3;
    }
    double clipped = clippedShare(ref, params, batch);
    if (clip < 0.01f) {
      assertTrue(clipped > 0.1 && clipped < 0.9, "share of clipped dU entries " + clipped);
    } else {
      assertEquals(0, clipped, "the clip does not bind in the strong-plasticity case");
    }
    compare(simd, ref, params, batch);
  }

  static Stream<Arguments> plasticCases() {
    return Stream.of(Arguments.of(1f, 3, 3), Arguments.of(1f, 17, 3), Arguments.of(1f, 48, 2),
        Arguments.of(0.004f, 3, 3), Arguments.of(0.004f, 17, 3), Arguments.of(0.004f, 48, 2));
  }

  /** Share of off-diagonal dU entries at ±c over the reference trajectory of the test's inputs. */
  static double clippedShare(ReferencePlasticNetwork ref, float[] params, int batch) {
    double[] p = new double[params.length];
    for (int k = 0; k < p.length; k++) {
      p[k] = params[k];
    }
    int n = ref.hidden();
    ReferencePlasticNetwork.Trajectory tr = ref.trajectory(p, batch, T, Parallel.serial());
    float[] xf = new float[batch * I];
    double[] x = new double[batch * I], l = new double[batch * A], v = new double[batch];
    long clipped = 0, total = 0;
    for (int t = 0; t < T; t++) {
      PlasticNetworkFixture.input(xf, 31, t);
      for (int k = 0; k < x.length; k++) {
        x[k] = xf[k];
      }
      tr.step(x, l, v);
      for (int a = 0; a < batch; a++) {
        double[] du = tr.fastWeights(t, a);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            if (i != j) {
              clipped += Math.abs(du[i * n + j]) >= ref.rule().clip() ? 1 : 0;
              total++;
            }
          }
        }
      }
    }
    return total == 0 ? 0 : (double) clipped / total;
  }

  @ParameterizedTest(name = "N={0} B={1} blas={2}")
  @MethodSource("cases")
  void gradientsAgreeWithTheReference(int n, int batch, boolean blas) {
    PlasticNetwork simd = PlasticNetworkFixture.network("simd", I, n, A);
    if (!blas) {
      simd = new SimdPlasticNetwork(I, n, A, PlasticNetworkFixture.RULE, false);
    }
    PlasticNetwork ref = new ReferencePlasticNetwork(I, n, A, PlasticNetworkFixture.RULE);
    float[] params = PlasticNetworkFixture.parameters(ref, 0.9, 100 + n);
    compare(simd, ref, params, batch);
  }

  static void compare(PlasticNetwork simd, PlasticNetwork ref, float[] params, int batch) {
    float[][] d = PlasticNetworkFixture.derivatives(batch, T, A, 77);
    float[] gs = new float[params.length], gr = new float[params.length];
    float[] x = new float[batch * I];
    float[] ls = new float[batch * A], vs = new float[batch], lr = new float[batch * A], vr = new float[batch];
    double outErr = 0, outScale = 0;
    try (RecurrentNetwork.Rollout rs = simd.begin(params, batch, T, Parallel.serial());
        RecurrentNetwork.Rollout rr = ref.begin(params, batch, T, Parallel.serial())) {
      for (int t = 0; t < T; t++) {
        PlasticNetworkFixture.input(x, 31, t);
        rs.step(x, ls, vs);
        rr.step(x, lr, vr);
        for (int k = 0; k < ls.length; k++) {
          outErr = Math.max(outErr, Math.abs(ls[k] - lr[k]));
          outScale = Math.max(outScale, Math.abs(lr[k]));
        }
        for (int k = 0; k < vs.length; k++) {
          outErr = Math.max(outErr, Math.abs(vs[k] - vr[k]));
          outScale = Math.max(outScale, Math.abs(vr[k]));
        }
      }
      for (int t : new int[] {0, T / 2, T - 1}) {
        float[] hs = rs.hidden(t), hr = rr.hidden(t);
        assertEquals(hr.length, hs.length);
        for (int k = 0; k < hr.length; k++) {
          assertEquals(hr[k], hs[k], 1e-5, "h at step " + t);
        }
      }
      rs.backward(d[0], d[1], gs);
      rr.backward(d[0], d[1], gr);
    }
    assertTrue(outErr <= 1e-5, "forward outputs differ by " + outErr + " (scale " + outScale + ")");
    for (ParameterLayout.Tensor t : ref.layout().tensors()) {
      double scale = 0, err = 0;
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        scale = Math.max(scale, Math.abs(gr[k]));
        err = Math.max(err, Math.abs(gs[k] - gr[k]));
      }
      assertTrue(err <= TOLERANCE * scale, t.name() + ": " + err + " > " + TOLERANCE + " × " + scale);
    }
  }
}
