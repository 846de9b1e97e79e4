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

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (int n : new int[] {1, 3, 17, 48}) {
      for (int b : new int[] {1, 3, 32}) {
        if (n != 17 || b != 32) { // the slowest reference run that adds no new shape: keeps the class fast
          cases.add(Arguments.of(n, b, true));
        }
      }
    }
    cases.add(Arguments.of(17, 5, false)); // the Java weight-gradient path (no OpenBLAS)
    cases.add(Arguments.of(65, 3, true)); // per-step shared products through OpenBLAS
    cases.add(Arguments.of(65, 2, false)); // the same size on the Java path
    return cases.stream();
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
      float[] hs = rs.hidden(T - 1), hr = rr.hidden(T - 1);
      assertEquals(hr.length, hs.length);
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
