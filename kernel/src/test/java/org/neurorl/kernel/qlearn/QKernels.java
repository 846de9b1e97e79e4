package org.neurorl.kernel.qlearn;

import java.util.SplittableRandom;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.SimdExpectations;

/**
 * Test glue: either model behind one interface, the SIMD kernels loaded through {@link SimdExpectations}
 * (a test fails when the fast path was expected but did not load).
 */
interface QKernels {
  QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed, long first);

  void run(QBatch batch, int trials, Parallel parallel, int[] actions, float[] rewards);

  String implementation();

  static QKernels latent(LatentQKernel k) {
    return new QKernels() {
      @Override
      public QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed, long first) {
        return k.newBatch(agents, states, latent, actions, params, seed, first);
      }

      @Override
      public void run(QBatch batch, int trials, Parallel parallel, int[] actions, float[] rewards) {
        k.run(batch, trials, parallel, actions, rewards);
      }

      @Override
      public String implementation() {
        return k.implementation();
      }
    };
  }

  static QKernels tabular(TabularQKernel k) {
    return new QKernels() {
      @Override
      public QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed, long first) {
        return k.newBatch(agents, states, actions, params, seed, first);
      }

      @Override
      public void run(QBatch batch, int trials, Parallel parallel, int[] actions, float[] rewards) {
        k.run(batch, trials, parallel, actions, rewards);
      }

      @Override
      public String implementation() {
        return k.implementation();
      }
    };
  }

  static QKernels simdLatent() {
    return latent(SimdExpectations.load(LatentQKernel.class, "org.neurorl.kernel.simd.SimdLatentQ"));
  }

  static QKernels simdTabular() {
    return tabular(SimdExpectations.load(TabularQKernel.class, "org.neurorl.kernel.simd.SimdTabularQ"));
  }

  static QKernels referenceLatent() {
    return latent(new ReferenceLatentQ());
  }

  static QKernels referenceTabular() {
    return tabular(new ReferenceTabularQ());
  }

  /**
   * Reward probabilities of agent {@code firstAgent + i} drawn from its global index only, so two
   * batches that share agents give them the same bandit.
   */
  static float[] probabilities(int agents, int states, int actions, long firstAgent) {
    float[] p = new float[states * actions * agents];
    for (int i = 0; i < agents; i++) {
      SplittableRandom r = new SplittableRandom(1000 + firstAgent + i);
      for (int e = 0; e < states * actions; e++) {
        p[e * agents + i] = (float) r.nextDouble();
      }
    }
    return p;
  }

  /** The same (s, a) table for every agent. */
  static float[] fixed(int agents, float... table) {
    float[] p = new float[table.length * agents];
    for (int e = 0; e < table.length; e++) {
      java.util.Arrays.fill(p, e * agents, (e + 1) * agents, table[e]);
    }
    return p;
  }
}
