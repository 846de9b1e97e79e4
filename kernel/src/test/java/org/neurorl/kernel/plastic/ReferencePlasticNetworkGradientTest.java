package org.neurorl.kernel.plastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;

/**
 * The float64 reference backward pass against central finite differences of a loss, for every tensor.
 *
 * <p>The loss is linear in the outputs, L = Σ cL·logits + Σ cV·values with fixed random coefficients:
 * backward is a vector–Jacobian product, so checking it for arbitrary (cL, cV) checks the Jacobian
 * itself; the trainer's own loss derivatives are its business.
 *
 * <p>Finite difference: the fourth-order stencil (−L(θ+2h) + 8L(θ+h) − 8L(θ−h) + L(θ−2h)) / 12h with
 * h = 1e−6. Its truncation error is O(h⁴) ≈ 1e−24 (negligible), its rounding error about
 * ε·|L|/h ≈ 1e−16·|L|/1e−6 = 1e−10·|L| (|L| is O(1) here). Relative error is measured as
 * |fd − an| / max(|fd|, |an|, 1e−3·max_k |an_k|): plain relative error for every entry that matters, and
 * for entries whose true derivative is a thousand times smaller than the largest one (they exist: e.g.
 * α entries multiplying a dU that stayed tiny) the error is taken relative to 1e−3 of the gradient's scale,
 * since a finite difference cannot resolve a derivative far below its own rounding error. Bound: 1e−6.
 *
 * <p>Kinks: ReLU at v = 0 and the clip at |pre| = c are non-differentiable. The tests assert that no v
 * and no pre-clip value sits within 1e−4 of its kink along the trajectory, far more than a 2h = 2e−6
 * parameter change can move them (sensitivities are O(1) to O(10)), so the loss is smooth on the stencil.
 */
class ReferencePlasticNetworkGradientTest {
  static final int I = 3, N = 4, A = 2, B = 2, T = 8;
  static final double STEP = 1e-6;
  static final double TOLERANCE = 1e-6;
  static final double KINK_MARGIN = 1e-4;

  record Problem(ReferencePlasticNetwork net, double[] params, double[][] xs, double[] cLogits, double[] cValues) {
    double loss(double[] theta) {
      ReferencePlasticNetwork.Trajectory tr = net.trajectory(theta, B, T, Parallel.serial());
      double[] logits = new double[B * A], values = new double[B];
      double l = 0;
      for (int t = 0; t < T; t++) {
        tr.step(xs[t], logits, values);
        for (int k = 0; k < B * A; k++) {
          l += cLogits[t * B * A + k] * logits[k];
        }
        for (int a = 0; a < B; a++) {
          l += cValues[t * B + a] * values[a];
        }
      }
      return l;
    }

    ReferencePlasticNetwork.Trajectory run() {
      ReferencePlasticNetwork.Trajectory tr = net.trajectory(params, B, T, Parallel.serial());
      double[] logits = new double[B * A], values = new double[B];
      for (int t = 0; t < T; t++) {
        tr.step(xs[t], logits, values);
      }
      return tr;
    }

    double[] analytic() {
      double[] grad = new double[params.length];
      run().backward(cLogits, cValues, grad);
      return grad;
    }
  }

  /**
   * A small network with parameters of unit scale (so plasticity, the modulator and the gate all matter),
   * fast rates, and the given clip.
   */
  static Problem problem(double clip, long seed) {
    ReferencePlasticNetwork net = new ReferencePlasticNetwork(I, N, A,
        PlasticityRule.modulated(0.3f, 0.5f, 0.6f, (float) clip));
    SplittableRandom r = new SplittableRandom(seed);
    double[] params = new double[net.layout().size()];
    for (ParameterLayout.Tensor t : net.layout().tensors()) {
      double scale = switch (t.name()) {
        case "alpha" -> 3.0;
        case "wM" -> 2.0;
        case "b" -> 0.5; // mostly active units
        default -> 0.8;
      };
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        params[k] = (2 * r.nextDouble() - 1) * scale;
      }
    }
    double[][] xs = new double[T][B * I];
    for (double[] x : xs) {
      for (int k = 0; k < x.length; k++) {
        x[k] = 2 * r.nextDouble() - 1;
      }
    }
    double[] cl = new double[T * B * A], cv = new double[T * B];
    for (int k = 0; k < cl.length; k++) {
      cl[k] = 2 * r.nextDouble() - 1;
    }
    for (int k = 0; k < cv.length; k++) {
      cv[k] = 2 * r.nextDouble() - 1;
    }
    return new Problem(net, params, xs, cl, cv);
  }

  /** Smallest distance of v to 0 and of |pre-clip| to c over the trajectory; counts clipped entries. */
  static double[] kinks(Problem pr) {
    ReferencePlasticNetwork.Trajectory tr = pr.run();
    double c = pr.net().rule().clip();
    double vMin = Double.MAX_VALUE, clipMin = Double.MAX_VALUE;
    int clipped = 0;
    for (int t = 0; t < T; t++) {
      for (double v : tr.membrane(t)) {
        vMin = Math.min(vMin, Math.abs(v));
      }
      for (int a = 0; a < B; a++) {
        for (double pre : tr.preClip(t, a)) {
          clipMin = Math.min(clipMin, Math.abs(Math.abs(pre) - c));
          clipped += Math.abs(pre) > c ? 1 : 0;
        }
      }
    }
    return new double[] {vMin, clipMin, clipped};
  }

  static void checkEveryTensor(Problem pr) {
    double[] an = pr.analytic();
    double scale = 0;
    for (double g : an) {
      scale = Math.max(scale, Math.abs(g));
    }
    double floor = 1e-3 * scale;
    double[] theta = pr.params().clone();
    for (ParameterLayout.Tensor t : pr.net().layout().tensors()) {
      double worst = 0;
      int nonZero = 0;
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        double p0 = theta[k];
        theta[k] = p0 + 2 * STEP;
        double l2p = pr.loss(theta);
        theta[k] = p0 + STEP;
        double l1p = pr.loss(theta);
        theta[k] = p0 - STEP;
        double l1m = pr.loss(theta);
        theta[k] = p0 - 2 * STEP;
        double l2m = pr.loss(theta);
        theta[k] = p0;
        double fd = (-l2p + 8 * l1p - 8 * l1m + l2m) / (12 * STEP);
        double err = Math.abs(fd - an[k]) / Math.max(Math.max(Math.abs(fd), Math.abs(an[k])), floor);
        worst = Math.max(worst, err);
        nonZero += Math.abs(an[k]) > floor ? 1 : 0;
      }
      assertTrue(worst <= TOLERANCE, "tensor " + t.name() + ": worst relative error " + worst);
      // a tensor whose gradient is all ~0 would pass trivially: require a real signal in each
      assertTrue(nonZero > 0, "tensor " + t.name() + " has no gradient entry above 1e-3 of the scale");
    }
  }

  @Test
  void everyTensorMatchesFiniteDifferencesWithoutClipping() {
    Problem pr = problem(5.0, 22);
    double[] k = kinks(pr);
    assertTrue(k[0] > KINK_MARGIN, "some v within " + KINK_MARGIN + " of 0: " + k[0]);
    assertEquals(0, k[2], "no dU entry is clipped in this case");
    checkEveryTensor(pr);
  }

  @Test
  void everyTensorMatchesFiniteDifferencesWhileTheClipIsActive() {
    Problem pr = problem(0.01, 22);
    double[] k = kinks(pr);
    assertTrue(k[0] > KINK_MARGIN, "some v within " + KINK_MARGIN + " of 0: " + k[0]);
    assertTrue(k[1] > KINK_MARGIN, "some pre-clip value within " + KINK_MARGIN + " of ±c: " + k[1]);
    // 14 of the 256 (step, agent, i, j) entries are clipped with this seed; the diagonal of dU is always 0
    int entries = T * B * N * N;
    assertTrue(k[2] >= 10, "the clip must be active on several entries: " + k[2] + "/" + entries);
    assertTrue(k[2] < entries / 2, "and inactive on most: " + k[2] + "/" + entries);
    checkEveryTensor(pr);
  }
}
