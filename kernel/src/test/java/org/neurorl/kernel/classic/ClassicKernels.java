package org.neurorl.kernel.classic;

import java.util.SplittableRandom;
import org.neurorl.kernel.SimdExpectations;

/** Test glue: the SIMD kernels loaded through {@link SimdExpectations}, shared inputs. */
final class ClassicKernels {
  private ClassicKernels() {}

  static Ucb1Kernel simdUcb1() {
    return SimdExpectations.load(Ucb1Kernel.class, "org.neurorl.kernel.simd.SimdUcb1");
  }

  static ThompsonKernel simdThompson() {
    return SimdExpectations.load(ThompsonKernel.class, "org.neurorl.kernel.simd.SimdThompson");
  }

  /** Either agent behind one shape, for tests that treat both alike. */
  interface Agent {
    ClassicBatch newBatch(int agents, int arms, long seed, long first);

    void run(ClassicBatch batch, int trials, org.neurorl.kernel.Parallel parallel, int[] actions, float[] rewards);

    String name();

    static Agent of(Ucb1Kernel k) {
      return new Agent() {
        public ClassicBatch newBatch(int agents, int arms, long seed, long first) {
          return k.newBatch(agents, arms, seed, first);
        }

        public void run(ClassicBatch b, int trials, org.neurorl.kernel.Parallel p, int[] actions, float[] rewards) {
          k.run(b, trials, p, actions, rewards);
        }

        public String name() {
          return "ucb1 " + k.implementation();
        }
      };
    }

    static Agent of(ThompsonKernel k) {
      return new Agent() {
        public ClassicBatch newBatch(int agents, int arms, long seed, long first) {
          return k.newBatch(agents, arms, seed, first);
        }

        public void run(ClassicBatch b, int trials, org.neurorl.kernel.Parallel p, int[] actions, float[] rewards) {
          k.run(b, trials, p, actions, rewards);
        }

        public String name() {
          return "thompson " + k.implementation();
        }
      };
    }
  }

  /**
   * Reward probabilities of agent {@code firstAgent + i} drawn from its global index only, so two
   * batches that share agents give them the same bandit.
   */
  static float[] probabilities(int agents, int arms, long firstAgent) {
    float[] p = new float[arms * agents];
    for (int i = 0; i < agents; i++) {
      SplittableRandom r = new SplittableRandom(1000 + firstAgent + i);
      for (int a = 0; a < arms; a++) {
        p[a * agents + i] = (float) r.nextDouble();
      }
    }
    return p;
  }

  /** The same arm probabilities for every agent. */
  static float[] fixed(int agents, float... arms) {
    float[] p = new float[arms.length * agents];
    for (int a = 0; a < arms.length; a++) {
      java.util.Arrays.fill(p, a * agents, (a + 1) * agents, arms[a]);
    }
    return p;
  }

  /** Random integer counts in [0, max] for {@link ClassicBatch#setCounts}. */
  static double[] counts(int length, int max, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] c = new double[length];
    for (int i = 0; i < length; i++) {
      c[i] = r.nextInt(max + 1);
    }
    return c;
  }
}
