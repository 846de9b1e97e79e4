package org.neurorl.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void everyBlockRunsExactlyOnceWhateverTheThreadCount() {
    for (int threads : new int[] {1, 2, 3}) {
      try (Parallel p = Parallel.of(threads)) {
        for (int round = 0; round < 200; round++) {
          int blocks = round % 37;
          AtomicIntegerArray count = new AtomicIntegerArray(blocks);
          p.forEachBlock(blocks, (w, b) -> count.incrementAndGet(b));
          for (int b = 0; b < blocks; b++) {
            assertEquals(1, count.get(b), "threads=" + threads + " block " + b);
          }
        }
      }
    }
  }

  @Test
  void workerIndicesStayInRange() {
    try (Parallel p = Parallel.of(2)) {
      int[] seen = new int[64];
      p.forEachBlock(64, (w, b) -> seen[b] = w);
      for (int w : seen) {
        assertEquals(true, w >= 0 && w < 2);
      }
    }
  }

  @Test
  void aFailingBlockIsRethrownToTheCaller() {
    try (Parallel p = Parallel.of(2)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> p.forEachBlock(10, (w, b) -> {
            if (b == 7) {
              throw new IllegalStateException("block 7");
            }
          }));
      assertEquals("block 7", e.getMessage());
      int[] out = new int[4];
      p.forEachBlock(4, (w, b) -> out[b] = b + 1);
      assertArrayEquals(new int[] {1, 2, 3, 4}, out, "the pool still works after a failure");
    }
  }

  @Test
  void badThreadCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.of(0));
    assertEquals("threads = 0; allowed: 1 to 1024", e.getMessage());
  }

  /**
   * Workers of one pool may each run a serial kernel call at the same time (simulate runs whole blocks
   * per worker): the serial pool takes no lock. Each of two callers waits inside its serial block until
   * the other has entered its own; with a shared lock the second could never enter and both would time out.
   */
  @Test
  void serialCallsFromSeveralThreadsRunAtTheSameTime() throws Exception {
    java.util.concurrent.CountDownLatch bothInside = new java.util.concurrent.CountDownLatch(2);
    java.util.concurrent.atomic.AtomicInteger met = new java.util.concurrent.atomic.AtomicInteger();
    try (Parallel p = Parallel.of(2)) {
      p.forEachBlock(2, (w, b) -> Parallel.serial().forEachBlock(1, (w2, b2) -> {
        bothInside.countDown();
        try {
          if (bothInside.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            met.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    assertEquals(2, met.get(), "both serial calls were inside at once");
  }
}
