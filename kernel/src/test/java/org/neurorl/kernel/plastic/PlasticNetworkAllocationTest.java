package org.neurorl.kernel.plastic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * The SIMD network allocates nothing per step once warm and little per update: buffers are reused by
 * rollouts of the same size. An allocation in the hot loops (a boxed vector when C2 refuses to inline
 * a Vector API call, a wrapper per BLAS call) would show up as kilobytes per step. Sizes below and above
 * {@link org.neurorl.kernel.simd.SimdPlasticNetwork#BLAS_MIN_HIDDEN} cover both shared-product paths.
 */
class PlasticNetworkAllocationTest {
  static final int I = 3, A = 2, B = 5, T = 40;

  @ParameterizedTest(name = "N={0}")
  @ValueSource(ints = {17, 64})
  void noAllocationPerStepOnceWarm(int n) {
    PlasticNetwork net = PlasticNetworkFixture.network("simd", I, n, A);
    float[] params = PlasticNetworkFixture.parameters(net, 0.9, 4);
    float[] x = new float[B * I], logits = new float[B * A], values = new float[B], grad = new float[params.length];
    float[][] d = PlasticNetworkFixture.derivatives(B, T, A, 3);
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    long stepBytes = 0, updateBytes = 0;
    int quiet = 0;
    // until three rounds in a row are quiet (JIT warm-up takes a variable number of rounds): a real
    // per-step allocation never becomes quiet and fails after the last round
    for (int round = 0; round < 300 && quiet < 3; round++) {
      long a0 = mx.getThreadAllocatedBytes(thread);
      RecurrentNetwork.Rollout r = net.begin(params, B, T, Parallel.serial());
      long a1 = mx.getThreadAllocatedBytes(thread);
      for (int t = 0; t < T; t++) {
        PlasticNetworkFixture.input(x, 1, t % 4); // SplittableRandom: allocates outside the measured span
      }
      long a2 = mx.getThreadAllocatedBytes(thread);
      for (int t = 0; t < T; t++) {
        r.step(x, logits, values);
      }
      long a3 = mx.getThreadAllocatedBytes(thread);
      r.backward(d[0], d[1], grad);
      long a4 = mx.getThreadAllocatedBytes(thread);
      stepBytes = a3 - a2;
      updateBytes = (a1 - a0) + (a4 - a3);
      quiet = stepBytes < 256 && updateBytes < 1024 ? quiet + 1 : 0;
    }
    // the last round: T steps allocate nothing (a few bytes of slack for a stray JIT/TLAB effect)
    assertTrue(stepBytes < 256, T + " steps allocated " + stepBytes + " bytes");
    // begin() makes one small rollout object; backward() none
    assertTrue(updateBytes < 1024, "begin + backward allocated " + updateBytes + " bytes");
  }
}
