package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Rng;
import org.neurorl.kernel.SimdExpectations;

/** Shared set-up for the LSTM tests: sizes, the SIMD kernel, reproducible inputs and states. */
final class LstmFixtures {
  static final String SIMD_CLASS = "org.neurorl.kernel.simd.SimdLstm";
  /** Float32 unit roundoff. */
  static final double EPS = 0x1p-24;

  private LstmFixtures() {}

  static LstmKernel simd() {
    return SimdExpectations.load(LstmKernel.class, SIMD_CLASS);
  }

  /** The SIMD kernel with its products forced onto the pure-Java path (what runs without OpenBLAS). */
  static LstmKernel simdJavaProducts() {
    LstmKernel k = simd();
    try {
      return (LstmKernel) k.getClass().getConstructor(boolean.class).newInstance(false);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Inputs of a bandit-like task: a one-hot previous action in the first slots, then values in [0, 1]. */
  static float[] inputs(int batch, int inputs, long seed, int step) {
    float[] x = new float[batch * inputs];
    for (int a = 0; a < batch; a++) {
      int key = Rng.key(seed, a);
      int hot = (int) (Rng.uniform(key, 2 * step) * Math.min(2, inputs));
      x[a * inputs + hot] = 1f;
      for (int k = 2; k < inputs; k++) {
        x[a * inputs + k] = Rng.uniform(key, 1_000_000 + step * inputs + k);
      }
    }
    return x;
  }

  /** Values uniform in [−range, range], rounded to float so both kernels can hold them exactly. */
  static double[] floats(int n, long seed, double range) {
    int key = Rng.key(seed, 77);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (range * (2 * Rng.uniform(key, i) - 1));
    }
    return v;
  }

  static int inputsFor(int hidden) {
    return 2 + hidden % 4;
  }

  static int actionsFor(int hidden) {
    return 2 + hidden % 3;
  }
}
