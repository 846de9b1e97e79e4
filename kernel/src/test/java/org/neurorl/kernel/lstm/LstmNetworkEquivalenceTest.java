package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * The float32 SIMD network (OpenBLAS and pure-Java products) against the float64 reference over whole
 * 100-step episodes: outputs at every step, then the gradient of every tensor.
 *
 * <p><b>Tolerance.</b> Parameters are the usual initialisation (uniform ±1/√N), inputs bandit-like, loss
 * derivatives of the size A2C passes (±1/B). At this scale the LSTM is contracting (forget gates ≈ 0.5), so
 * the float32 forward error stays at the level of one step's rounding, a few 1e-7 relative (the
 * single-step bounds of {@code LstmEquivalenceTest}, with the inline tanh/logistic adding ≤ 6e-7). The
 * gradient of a weight sums T·B = up to 3200 products in float32: a worst-case bound of (T·B)·ε ≈ 2e-4 of
 * Σ|terms|, a typical (random-walk) error of √(T·B)·ε ≈ 3e-6, plus the carried forward error. We require,
 * per tensor, ‖g_fast − g_ref‖₂ ≤ 1e-4·‖g_ref‖₂ + 1e-6·‖g_ref‖∞ (the second term so a tensor whose true
 * gradient is nearly zero is judged against the size of the gradient as a whole), and logits, values and hidden states
 * within 2e-6 absolute (they are O(0.1) and carry a few float32 roundings per step). Observed when this
 * test was written: at most 5e-6 relative on a tensor (1e-6 at N = 48, B = 32) and 1.2e-7 on outputs. A wrong gate order, a missing term of δc, an off-by-one step or a lost block of agents
 * gives relative errors of order 1, four orders of magnitude above the tolerance.
 */
@Tag("simd-width")
class LstmNetworkEquivalenceTest {
  static final int STEPS = 100;

  static Stream<Arguments> sizes() {
    List<Arguments> out = new ArrayList<>();
    int[] hidden = {1, 3, 17, 48};
    int[] batch = {1, 3, 32};
    for (int n : hidden) {
      for (int b : batch) {
        int in = 3 + n % 2, na = 2 + (n / 3) % 2;
        out.add(Arguments.of(in, n, na, b, true));
        if (b != 3 || n == 17) {
          out.add(Arguments.of(in, n, na, b, false));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "I={0} N={1} A={2} B={3} blas={4}")
  @MethodSource("sizes")
  void gradientsMatchTheReferenceOverWholeEpisodes(int in, int n, int na, int batch, boolean blas) {
    LstmNetwork fast = blas ? LstmNetworkFixtures.simd(in, n, na) : LstmNetworkFixtures.simdJavaProducts(in, n, na);
    LstmNetwork ref = new ReferenceLstmNetwork(in, n, na);
    float[] theta = LstmNetwork.initialParameters(in, n, na, 40 + n);
    float[][] result = new float[2][];
    float[][] outputs = new float[2][];
    float[][][] hiddens = new float[2][][];
    LstmNetwork[] nets = {ref, fast};
    for (int which = 0; which < 2; which++) {
      float[] logitsAll = new float[STEPS * batch * na];
      float[] valuesAll = new float[STEPS * batch];
      float[] logits = new float[batch * na], values = new float[batch];
      try (RecurrentNetwork.Rollout r = nets[which].begin(theta, batch, STEPS, Parallel.serial())) {
        for (int t = 0; t < STEPS; t++) {
          r.step(LstmFixtures.inputs(batch, in, 9, t), logits, values);
          System.arraycopy(logits, 0, logitsAll, t * batch * na, logits.length);
          System.arraycopy(values, 0, valuesAll, t * batch, batch);
        }
        hiddens[which] = new float[][] {r.hidden(0), r.hidden(STEPS / 2), r.hidden(STEPS - 1)};
        float[] g = new float[theta.length];
        g[0] = 0.25f; // backward ADDS: a value already there must stay
        r.backward(derivatives(STEPS * batch * na, batch, 1), derivatives(STEPS * batch, batch, 2), g);
        result[which] = g;
      }
      float[] both = new float[logitsAll.length + valuesAll.length];
      System.arraycopy(logitsAll, 0, both, 0, logitsAll.length);
      System.arraycopy(valuesAll, 0, both, logitsAll.length, valuesAll.length);
      outputs[which] = both;
    }
    for (int i = 0; i < outputs[0].length; i++) {
      double d = Math.abs(outputs[0][i] - outputs[1][i]);
      assertTrue(d <= 2e-6, "output " + i + ": reference " + outputs[0][i] + " fast " + outputs[1][i]);
    }
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < hiddens[0][k].length; i++) {
        assertTrue(Math.abs(hiddens[0][k][i] - hiddens[1][k][i]) <= 2e-6, "hidden " + k + "/" + i);
      }
    }
    double inf = 0;
    for (float v : result[0]) {
      inf = Math.max(inf, Math.abs(v));
    }
    ParameterLayout layout = fast.layout();
    for (ParameterLayout.Tensor t : layout.tensors()) {
      double diff = 0, norm = 0;
      for (int i = t.offset(); i < t.offset() + t.size(); i++) {
        double d = (double) result[1][i] - result[0][i];
        diff += d * d;
        norm += (double) result[0][i] * result[0][i];
      }
      diff = Math.sqrt(diff);
      norm = Math.sqrt(norm);
      assertTrue(diff <= 1e-4 * norm + 1e-6 * inf, "tensor " + t.name() + ": |fast − reference| = " + diff
          + ", |reference| = " + norm + " (" + fast + ")");
    }
  }

  /** dL/dlogit and dL/dV of the size A2C passes: uniform in ±1/B, rounded to float. */
  static float[] derivatives(int length, int batch, int stream) {
    int key = Rng.key(31, stream);
    float[] d = new float[length];
    for (int i = 0; i < length; i++) {
      d[i] = (2 * Rng.uniform(key, i) - 1) / batch;
    }
    return d;
  }
}
