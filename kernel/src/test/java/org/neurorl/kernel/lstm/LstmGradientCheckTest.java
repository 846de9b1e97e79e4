package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.train.ParameterLayout;

/**
 * Backpropagation through time of {@link ReferenceLstmNetwork} against central finite differences, in
 * float64, for every element of every tensor.
 *
 * <p>The loss is a fixed random linear functional of every step's outputs, {@code L = Σ_t,b,k wl·logit +
 * Σ_t,b wv·value}: its derivatives with respect to logits and values are the weights themselves, so
 * {@code backward(wl, wv)} must equal ∇L. Because the backward pass is linear in its inputs, random
 * weights on every output test it for any loss the trainer may use.
 *
 * <p><b>Step and tolerance.</b> Central differences with step s err by about s²/6·|L'''| (truncation,
 * ~1e-11 at s = 1e-5 and unit-scale third derivatives) plus ε·|L|/s from rounding L in float64 (ε = 1.1e-16,
 * |L| ≤ ~10 here: ~1e-10). Relative error is {@code |g − fd| / max(|g|, |fd|, 1e-3·scale)} with scale the
 * largest |g| over the whole gradient: an element whose true derivative is tiny (say 1e-9, from a
 * recurrent path that nearly vanishes) has an absolute error of the same ~1e-10 as every other element,
 * which against itself would be a meaningless relative error of ~0.1; the floor compares it with the
 * gradient's size instead, still 1000× stricter than the 1e-6 criterion on that scale. A wrong sign,
 * a missing term, an off-by-one step or a transposed index moves elements by far more than 1e-6.
 */
class LstmGradientCheckTest {

  @ParameterizedTest(name = "I={0} N={1} A={2} B={3} T={4}")
  @CsvSource({"3, 4, 2, 2, 6", "4, 3, 3, 3, 5", "2, 1, 2, 1, 4"})
  void everyParameterMatchesCentralDifferences(int in, int n, int na, int batch, int steps) {
    ReferenceLstmNetwork net = new ReferenceLstmNetwork(in, n, na);
    ParameterLayout layout = net.layout();
    double[] theta = new double[layout.size()];
    int key = Rng.key(11, in * 100 + n);
    for (int i = 0; i < theta.length; i++) {
      // scale 0.8 (above the usual 1/√N) so the gates sit away from their linear regime
      theta[i] = 0.8 * (2 * Rng.uniform(key, i) - 1);
    }
    double[] xs = new double[steps * batch * in];
    int kx = Rng.key(12, 0);
    for (int i = 0; i < xs.length; i++) {
      xs[i] = 2 * Rng.uniform(kx, i) - 1;
    }
    double[] wl = new double[steps * batch * na];
    double[] wv = new double[steps * batch];
    int kw = Rng.key(13, 0);
    for (int i = 0; i < wl.length; i++) {
      wl[i] = 2 * Rng.uniform(kw, i) - 1;
    }
    for (int i = 0; i < wv.length; i++) {
      wv[i] = 2 * Rng.uniform(kw, 100_000 + i) - 1;
    }

    double[] gradient = new double[theta.length];
    try (ReferenceLstmNetwork.DoubleRollout r = net.beginDouble(theta, batch, steps)) {
      loss(r, xs, wl, wv, in, na, batch, steps);
      r.backward(wl, wv, gradient);
    }
    double scale = 0;
    for (double g : gradient) {
      scale = Math.max(scale, Math.abs(g));
    }
    assertTrue(scale > 1e-3, "gradient is not trivially zero: scale = " + scale);

    double s = 1e-5;
    for (ParameterLayout.Tensor t : layout.tensors()) {
      double worst = 0;
      int worstAt = -1;
      double nonzero = 0;
      for (int i = t.offset(); i < t.offset() + t.size(); i++) {
        double saved = theta[i];
        theta[i] = saved + s;
        double up = lossOf(net, theta, xs, wl, wv, in, na, batch, steps);
        theta[i] = saved - s;
        double down = lossOf(net, theta, xs, wl, wv, in, na, batch, steps);
        theta[i] = saved;
        double fd = (up - down) / (2 * s);
        double err = Math.abs(gradient[i] - fd) / Math.max(Math.max(Math.abs(gradient[i]), Math.abs(fd)), 1e-3 * scale);
        if (err > worst) {
          worst = err;
          worstAt = i;
        }
        nonzero = Math.max(nonzero, Math.abs(fd));
      }
      assertTrue(worst <= 1e-6, "tensor " + t.name() + ": relative error " + worst + " at element "
          + (worstAt - t.offset()) + " (gradient " + gradient[Math.max(worstAt, 0)] + ")");
      assertTrue(nonzero > 1e-6 * scale, "tensor " + t.name() + " has a gradient that is actually exercised");
    }
  }

  private static double lossOf(ReferenceLstmNetwork net, double[] theta, double[] xs, double[] wl, double[] wv,
      int in, int na, int batch, int steps) {
    try (ReferenceLstmNetwork.DoubleRollout r = net.beginDouble(theta, batch, steps)) {
      return loss(r, xs, wl, wv, in, na, batch, steps);
    }
  }

  private static double loss(ReferenceLstmNetwork.DoubleRollout r, double[] xs, double[] wl, double[] wv, int in,
      int na, int batch, int steps) {
    double[] x = new double[batch * in];
    double[] logits = new double[batch * na];
    double[] values = new double[batch];
    double loss = 0;
    for (int t = 0; t < steps; t++) {
      System.arraycopy(xs, t * batch * in, x, 0, x.length);
      r.step(x, logits, values);
      for (int k = 0; k < logits.length; k++) {
        loss += wl[t * batch * na + k] * logits[k];
      }
      for (int a = 0; a < batch; a++) {
        loss += wv[t * batch + a] * values[a];
      }
    }
    return loss;
  }
}
