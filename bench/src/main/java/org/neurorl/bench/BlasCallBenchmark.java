package org.neurorl.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.simd.SimdSpecies;
import org.neurorl.nativeblas.OpenBlas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What an OpenBLAS downcall costs against plain Java, to find the size below which a kernel should
 * not call BLAS. Square {@code n×n} products, one call per operation:
 * <ul>
 *   <li>{@code gemv*}: {@code y = A x} (2n² flop); {@code gemm*}: {@code C = A B} (2n³ flop);</li>
 *   <li>{@code *Critical}: heap arrays through a critical downcall (no copy, no safepoint during the
 *       call); {@code *Segment}: native segments, ordinary downcall;</li>
 *   <li>{@code *Java}: a plain scalar loop (C2 may auto-vectorise it); {@code *Simd}: a Vector API
 *       loop with {@link SimdSpecies#F}, which is what a kernel would write instead of the call.</li>
 * </ul>
 * {@link Report} reads the crossover off the scores: the smallest {@code n} from which the best BLAS
 * form beats the best Java form. OpenBLAS runs at one thread (as inside the kernels' workers).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx2g"})
@State(Scope.Thread)
public class BlasCallBenchmark {
  private static final VectorSpecies<Float> F = SimdSpecies.F;

  /** Matrix order. */
  @Param({"2", "4", "8", "16", "32", "64", "128", "256"})
  public int n;

  float[] a;
  float[] b;
  float[] x;
  float[] y;
  float[] c;
  OpenBlas blas;
  Arena arena;
  MemorySegment sa;
  MemorySegment sb;
  MemorySegment sx;
  MemorySegment sy;
  MemorySegment sc;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    a = random(r, n * n);
    b = random(r, n * n);
    x = random(r, n);
    y = new float[n];
    c = new float[n * n];
    blas = OpenBlas.get().orElse(null);
    arena = Arena.ofShared();
    sa = segment(a);
    sb = segment(b);
    sx = segment(x);
    sy = arena.allocate((long) n * Float.BYTES, 64);
    sc = arena.allocate((long) n * n * Float.BYTES, 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  private MemorySegment segment(float[] v) {
    MemorySegment s = arena.allocate((long) v.length * Float.BYTES, 64);
    MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
    return s;
  }

  private static float[] random(SplittableRandom r, int len) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  private OpenBlas blas() {
    if (blas == null) {
      throw new IllegalStateException("OpenBLAS is not available: " + OpenBlas.failure());
    }
    return blas;
  }

  @Benchmark
  public void gemvCritical(Blackhole bh) {
    blas().sgemv(false, n, n, 1f, a, 0, n, x, 0, 1, 0f, y, 0, 1);
    bh.consume(y[n - 1]);
  }

  @Benchmark
  public void gemvSegment(Blackhole bh) {
    blas().sgemv(false, n, n, 1f, sa, n, sx, 1, 0f, sy, 1);
    bh.consume(sy.getAtIndex(ValueLayout.JAVA_FLOAT, n - 1));
  }

  @Benchmark
  public void gemvJava(Blackhole bh) {
    gemvScalar(n, a, x, y);
    bh.consume(y[n - 1]);
  }

  @Benchmark
  public void gemvSimd(Blackhole bh) {
    gemvVector(n, a, x, y);
    bh.consume(y[n - 1]);
  }

  @Benchmark
  public void gemmCritical(Blackhole bh) {
    blas().sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    bh.consume(c[n * n - 1]);
  }

  @Benchmark
  public void gemmSegment(Blackhole bh) {
    blas().sgemm(false, false, n, n, n, 1f, sa, n, sb, n, 0f, sc, n);
    bh.consume(sc.getAtIndex(ValueLayout.JAVA_FLOAT, (long) n * n - 1));
  }

  @Benchmark
  public void gemmJava(Blackhole bh) {
    gemmScalar(n, a, b, c);
    bh.consume(c[n * n - 1]);
  }

  @Benchmark
  public void gemmSimd(Blackhole bh) {
    gemmVector(n, a, b, c);
    bh.consume(c[n * n - 1]);
  }

  /** {@code y = A x}, row-major {@code n×n}, plain loops. */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static void gemvScalar(int n, float[] a, float[] x, float[] y) {
    for (int i = 0; i < n; i++) {
      float s = 0f;
      int row = i * n;
      for (int j = 0; j < n; j++) {
        s += a[row + j] * x[j];
      }
      y[i] = s;
    }
  }

  /** {@code y = A x} with one vector accumulator per row and one horizontal sum per row. */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static void gemvVector(int n, float[] a, float[] x, float[] y) {
    int bound = F.loopBound(n);
    for (int i = 0; i < n; i++) {
      int row = i * n;
      FloatVector acc = FloatVector.zero(F);
      int j = 0;
      for (; j < bound; j += F.length()) {
        acc = FloatVector.fromArray(F, a, row + j).fma(FloatVector.fromArray(F, x, j), acc);
      }
      float s = acc.reduceLanes(VectorOperators.ADD);
      for (; j < n; j++) {
        s += a[row + j] * x[j];
      }
      y[i] = s;
    }
  }

  /** {@code C = A B}, row-major {@code n×n}, i-k-j loops (C2 may vectorise the inner loop). */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static void gemmScalar(int n, float[] a, float[] b, float[] c) {
    java.util.Arrays.fill(c, 0, n * n, 0f);
    for (int i = 0; i < n; i++) {
      int ci = i * n;
      for (int k = 0; k < n; k++) {
        float aik = a[ci + k];
        int bk = k * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += aik * b[bk + j];
        }
      }
    }
  }

  /** {@code C = A B}, i-k-j with a broadcast of {@code A[i,k]} and vector rows of B and C. */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static void gemmVector(int n, float[] a, float[] b, float[] c) {
    java.util.Arrays.fill(c, 0, n * n, 0f);
    int bound = F.loopBound(n);
    for (int i = 0; i < n; i++) {
      int ci = i * n;
      for (int k = 0; k < n; k++) {
        float aik = a[ci + k];
        FloatVector va = FloatVector.broadcast(F, aik);
        int bk = k * n;
        int j = 0;
        for (; j < bound; j += F.length()) {
          FloatVector.fromArray(F, b, bk + j).fma(va, FloatVector.fromArray(F, c, ci + j)).intoArray(c, ci + j);
        }
        for (; j < n; j++) {
          c[ci + j] += aik * b[bk + j];
        }
      }
    }
  }

  /** Flop of one operation of {@code method} at order {@code n}. */
  public static double flopPerOp(String method, int n) {
    if (method.startsWith("gemv")) {
      return 2.0 * n * n;
    }
    if (method.startsWith("gemm")) {
      return 2.0 * n * n * (double) n;
    }
    throw new IllegalArgumentException("method = " + method + "; allowed: gemv*, gemm*");
  }
}
