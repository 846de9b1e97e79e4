package org.neurorl.kernel.dra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;

/** Same seed, same numbers, whatever the thread count (blocks of agents are fixed; each lane is one agent). */
@Tag("simd-width")
class DraDeterminismTest {
  @Test
  void resultsDoNotDependOnTheThreadCount() {
    try (Parallel two = Parallel.of(2); Parallel three = Parallel.of(3)) {
      for (DraKernel k : new DraKernel[] {DraFixture.reference(), DraFixture.simd()}) {
        for (DraParams p : DraFixture.models(0.9f)) {
          int b = 700; // three blocks of 256, the last one partial
          double[][] means = new double[3][], sigmas = new double[3][];
          int[][] actions = new int[3][];
          Parallel[] pools = {Parallel.serial(), two, three};
          for (int r = 0; r < 3; r++) {
            DraBatch batch = k.newBatch(b, 4, 3, p, 17, 0, 4);
            actions[r] = DraFixture.drive(k, batch, new DraFixture.Task(b, 4, 3, 2), 6, 4, pools[r]);
            means[r] = new double[batch.tableLength()];
            sigmas[r] = new double[batch.tableLength()];
            batch.readMeans(means[r]);
            batch.readSigmas(sigmas[r]);
          }
          for (int r = 1; r < 3; r++) {
            String where = k.implementation() + " " + p.model() + "/" + p.psi() + " threads " + pools[r].threads();
            assertArrayEquals(actions[0], actions[r], where);
            assertArrayEquals(means[0], means[r], 0.0, where);
            assertArrayEquals(sigmas[0], sigmas[r], 0.0, where);
          }
        }
      }
    }
  }
}
