package org.neurorl.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenBlasTest {
  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  @Test
  void bundledLibraryLoadsAndIsOpenBlas() {
    OpenBlas blas = OpenBlas.require();
    assertTrue(blas.config().startsWith("OpenBLAS"), blas.config());
    assertTrue(blas.hasLapack(), "LAPACKE_ssyevd should be in the bundled library");
    assertEquals(1, blas.numThreads(), "neurorl sets OpenBLAS to one thread on load");
  }

  @Test
  void sgemmMatchesPlainLoopsWithOffsetsAndTransposes() {
    OpenBlas blas = OpenBlas.require();
    int m = 7, n = 13, k = 5;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        float[] a = random(3 + m * k, 1), b = random(2 + k * n, 2), c = random(1 + m * n, 3);
        float[] expect = c.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              double av = ta ? a[3 + p * m + i] : a[3 + i * k + p];
              double bv = tb ? b[2 + j * k + p] : b[2 + p * n + j];
              s += av * bv;
            }
            expect[1 + i * n + j] = (float) (0.5 * s + 2.0 * c[1 + i * n + j]);
          }
        }
        blas.sgemm(ta, tb, m, n, k, 0.5f, a, 3, ta ? m : k, b, 2, tb ? k : n, 2f, c, 1, n);
        for (int i = 0; i < expect.length; i++) {
          assertEquals(expect[i], c[i], 1e-5, "ta=" + ta + " tb=" + tb + " i=" + i);
        }
      }
    }
  }

  @Test
  void segmentOverloadsTakeHeapAndNativeSegmentsAndPrebuiltHeapSegmentsDoNotAllocate() {
    OpenBlas blas = OpenBlas.require();
    int m = 4, n = 6, k = 5;
    float[] a = random(m * k, 8), b = random(k * n, 9), c1 = new float[m * n], c2 = new float[m * n];
    blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      var na = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, a);
      var nb = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, b);
      var nc = arena.allocate((long) m * n * Float.BYTES, 64);
      blas.sgemm(false, false, m, n, k, 1f, na, k, nb, n, 0f, nc, n);
      float[] c3 = nc.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
      assertTrue(java.util.Arrays.equals(c1, c3), "native segments give the same result");
    }
    var ha = java.lang.foreign.MemorySegment.ofArray(a);
    var hb = java.lang.foreign.MemorySegment.ofArray(b);
    var hc = java.lang.foreign.MemorySegment.ofArray(c2);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) { // warm up so the allocation-free compiled code is measured
      blas.sgemm(false, false, m, n, k, 1f, ha, k, hb, n, 0f, hc, n);
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      blas.sgemm(false, false, m, n, k, 1f, ha, k, hb, n, 0f, hc, n);
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(java.util.Arrays.equals(c1, c2), "heap segments give the same result");
    // 10,000 calls: boxing or per-call wrapping would be >= 100 KB; allow a little for the JIT's own use
    assertTrue(allocated < 16_384, "prebuilt heap segments allocated " + allocated + " bytes in 10,000 calls");
  }

  @Test
  void level1And2Routines() {
    OpenBlas blas = OpenBlas.require();
    int m = 5, n = 9;
    float[] a = random(m * n, 4), x = random(n, 5), y = random(m, 6);
    float[] yExpect = y.clone();
    for (int i = 0; i < m; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += a[i * n + j] * x[j];
      }
      yExpect[i] = (float) (s + y[i]);
    }
    blas.sgemv(false, m, n, 1f, a, 0, n, x, 0, 1, 1f, y, 0, 1);
    for (int i = 0; i < m; i++) {
      assertEquals(yExpect[i], y[i], 1e-5);
    }
    float[] aExpect = a.clone();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        aExpect[i * n + j] += 3f * y[i] * x[j];
      }
    }
    blas.sger(m, n, 3f, y, 0, 1, x, 0, 1, a, 0, n);
    for (int i = 0; i < a.length; i++) {
      assertEquals(aExpect[i], a[i], 1e-5);
    }
    float dot = 0;
    for (int j = 0; j < n; j++) {
      dot += x[j] * a[j];
    }
    assertEquals(dot, blas.sdot(n, x, 0, 1, a, 0, 1), 1e-5);
    float[] z = x.clone();
    blas.saxpy(n, 2f, x, 0, 1, z, 0, 1);
    for (int j = 0; j < n; j++) {
      assertEquals(3f * x[j], z[j], 1e-6);
    }
  }

  @Test
  void ssyevdDiagonalisesASymmetricMatrix() {
    OpenBlas blas = OpenBlas.require();
    int n = 6;
    float[] r = random(n * n, 7);
    float[] s = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        s[i * n + j] = r[i * n + j] + r[j * n + i];
      }
    }
    float[] v = s.clone(), w = new float[n];
    blas.ssyevd(true, n, v, w);
    for (int j = 0; j < n; j++) { // S v_j = w_j v_j
      for (int i = 0; i < n; i++) {
        double sv = 0;
        for (int p = 0; p < n; p++) {
          sv += s[i * n + p] * v[p * n + j];
        }
        assertEquals(w[j] * v[i * n + j], sv, 1e-4, "eigenpair " + j);
      }
      if (j > 0) {
        assertTrue(w[j] >= w[j - 1], "eigenvalues ascend");
      }
    }
  }

  @Test
  void concurrentExtractionLeavesWholeFiles(@TempDir Path dir) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Path>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Callable<List<Path>> c = () -> LibraryCache.extractBundled(getClass().getClassLoader(), dir);
        futures.add(pool.submit(c));
      }
      List<Path> first = futures.get(0).get();
      for (Future<List<Path>> f : futures) {
        assertEquals(first, f.get());
      }
      for (Path p : first) {
        long expected = getClass().getClassLoader().getResource(LibraryCache.RESOURCE_DIR + p.getFileName())
            .openConnection().getContentLengthLong();
        assertEquals(expected, Files.size(p), p.toString());
      }
      try (var listing = Files.list(dir)) {
        assertEquals(4, listing.count(), "no temporary files left behind");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
