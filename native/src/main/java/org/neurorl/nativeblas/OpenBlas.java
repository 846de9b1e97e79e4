package org.neurorl.nativeblas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS (single precision CBLAS and one LAPACKE routine) through {@code java.lang.foreign}.
 *
 * <p><b>Finding the library.</b> In order: the system property {@value #PATH_PROPERTY} or the
 * environment variable {@value #PATH_ENV} naming a library file; otherwise the {@code libopenblas.so.0}
 * bundled in {@code org.bytedeco:openblas:linux-x86_64} on the class path, extracted once into
 * {@code ~/.cache/neurorl/openblas-<version>/} with its companions and loaded in the order gcc_s →
 * quadmath → gfortran → openblas. A library without {@code openblas_get_config} is taken to be a slow
 * reference BLAS and refused unless {@value #FORCE_PROPERTY}{@code =true} (or {@value #FORCE_ENV}{@code =1}).
 * If nothing loads, {@link #get()} is empty and one log line says what was tried; callers then take
 * their pure-Java path.
 *
 * <p><b>Heap arrays or native memory.</b> The {@code float[]} overloads pass the array itself to the
 * native code through a <em>critical</em> downcall ({@link Linker.Option#critical(boolean)} with heap
 * access): no copy, but the calling thread holds off garbage collection until the call returns, so it
 * is for short calls. The {@link MemorySegment} overloads take native segments and use an ordinary
 * downcall, for long calls. The rule the kernels follow: a call of fewer than
 * {@link #CRITICAL_FLOP_LIMIT} floating-point operations may use heap arrays; longer products keep
 * their operands in native segments. The limit is set so that a critical call lasts well under a
 * millisecond on this machine (about 4 Mflop at 100 Gflop/s is 40 µs); the downcall itself costs
 * 30–70 ns whichever form it takes, so below a few thousand flops plain Java loops win (see
 * {@code bench/} BlasCallBenchmark for the measured crossover).
 *
 * <p>Threads: OpenBLAS keeps one process-wide thread count. neurorl's kernels parallelise over agents
 * themselves, so on load the count is set to 1 (override with {@value #THREADS_PROPERTY}); two thread
 * pools on two cores oversubscribe the machine.
 */
public final class OpenBlas {
  public static final String PATH_PROPERTY = "neurorl.openblas.path";
  public static final String PATH_ENV = "NEURORL_OPENBLAS";
  public static final String FORCE_PROPERTY = "neurorl.openblas.force";
  public static final String FORCE_ENV = "NEURORL_OPENBLAS_FORCE";
  public static final String DISABLE_PROPERTY = "neurorl.openblas.disable";
  public static final String THREADS_PROPERTY = "neurorl.openblas.threads";
  /** Version of the bundled artifact; names the cache folder. */
  public static final String BUNDLED_VERSION = "0.3.30-1.5.12";
  /** Longest call, in flops, that the heap-array (critical) overloads are meant for. */
  public static final long CRITICAL_FLOP_LIMIT = 4L << 20;

  // CBLAS / LAPACKE enums
  static final int ROW_MAJOR = 101;
  static final int NO_TRANS = 111;
  static final int TRANS = 112;

  private static final System.Logger LOG = System.getLogger("org.neurorl.nativeblas");
  private static volatile Optional<OpenBlas> instance;
  private static volatile String failure;

  private final String source;
  private final String config;
  private final MethodHandle sgemmCritical, sgemmPlain;
  private final MethodHandle sgemvCritical, sgemvPlain;
  private final MethodHandle sgerCritical;
  private final MethodHandle saxpyCritical;
  private final MethodHandle sdotCritical;
  private final MethodHandle ssyevdPlain;
  private final MethodHandle setNumThreads;
  private final MethodHandle getNumThreads;

  private OpenBlas(SymbolLookup lookup, String source, boolean requireOpenBlas) {
    Linker linker = Linker.nativeLinker();
    Linker.Option critical = Linker.Option.critical(true);
    Optional<MemorySegment> getConfig = lookup.find("openblas_get_config");
    if (getConfig.isEmpty() && requireOpenBlas) {
      throw new IllegalStateException(source + " has no openblas_get_config: it looks like a reference"
          + " (slow) BLAS; set -D" + FORCE_PROPERTY + "=true or " + FORCE_ENV + "=1 to use it anyway");
    }
    this.source = source;
    try {
      if (getConfig.isPresent()) {
        MethodHandle h = linker.downcallHandle(getConfig.get(), FunctionDescriptor.of(ADDRESS));
        MemorySegment s = ((MemorySegment) h.invokeExact()).reinterpret(4096);
        this.config = s.getString(0);
      } else {
        this.config = "(not OpenBLAS)";
      }
    } catch (Throwable t) {
      throw new IllegalStateException("openblas_get_config failed in " + source, t);
    }
    FunctionDescriptor gemm = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
        JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT);
    FunctionDescriptor gemv = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT);
    FunctionDescriptor ger = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS,
        JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    FunctionDescriptor axpy = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS,
        JAVA_INT);
    FunctionDescriptor dot = FunctionDescriptor.of(JAVA_FLOAT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
        JAVA_INT);
    FunctionDescriptor syevd = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_BYTE, JAVA_BYTE, JAVA_INT,
        ADDRESS, JAVA_INT, ADDRESS);
    MemorySegment gemmSym = find(lookup, "cblas_sgemm");
    MemorySegment gemvSym = find(lookup, "cblas_sgemv");
    this.sgemmCritical = linker.downcallHandle(gemmSym, gemm, critical);
    this.sgemmPlain = linker.downcallHandle(gemmSym, gemm);
    this.sgemvCritical = linker.downcallHandle(gemvSym, gemv, critical);
    this.sgemvPlain = linker.downcallHandle(gemvSym, gemv);
    this.sgerCritical = linker.downcallHandle(find(lookup, "cblas_sger"), ger, critical);
    this.saxpyCritical = linker.downcallHandle(find(lookup, "cblas_saxpy"), axpy, critical);
    this.sdotCritical = linker.downcallHandle(find(lookup, "cblas_sdot"), dot, critical);
    this.ssyevdPlain = lookup.find("LAPACKE_ssyevd")
        .map(s -> linker.downcallHandle(s, syevd)).orElse(null);
    this.setNumThreads = lookup.find("openblas_set_num_threads")
        .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
    this.getNumThreads = lookup.find("openblas_get_num_threads")
        .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(JAVA_INT))).orElse(null);
  }

  private static MemorySegment find(SymbolLookup lookup, String name) {
    return lookup.find(name).orElseThrow(
        () -> new IllegalStateException("symbol " + name + " not found in the BLAS library"));
  }

  /** The loaded library, or empty (after one log line saying what was tried) when none loads. */
  public static Optional<OpenBlas> get() {
    Optional<OpenBlas> i = instance;
    if (i == null) {
      synchronized (OpenBlas.class) {
        i = instance;
        if (i == null) {
          i = load();
          instance = i;
        }
      }
    }
    return i;
  }

  /** The loaded library; throws {@link IllegalStateException} with the reason when there is none. */
  public static OpenBlas require() {
    return get().orElseThrow(() -> new IllegalStateException("OpenBLAS is not available: " + failure));
  }

  /** Why loading failed, or null when it succeeded or was not tried yet. */
  public static String failure() {
    return failure;
  }

  private static Optional<OpenBlas> load() {
    if (Boolean.getBoolean(DISABLE_PROPERTY)) {
      failure = "disabled by -D" + DISABLE_PROPERTY + "=true";
      LOG.log(System.Logger.Level.INFO, "neurorl: OpenBLAS " + failure + "; using pure-Java paths");
      return Optional.empty();
    }
    boolean force = Boolean.getBoolean(FORCE_PROPERTY) || "1".equals(System.getenv(FORCE_ENV));
    String override = System.getProperty(PATH_PROPERTY);
    String overrideFrom = "-D" + PATH_PROPERTY;
    if (override == null || override.isBlank()) {
      override = System.getenv(PATH_ENV);
      overrideFrom = PATH_ENV;
    }
    List<String> tried = new ArrayList<>();
    try {
      OpenBlas blas;
      if (override != null && !override.isBlank()) {
        Path p = Path.of(override);
        tried.add(overrideFrom + "=" + p);
        if (!Files.isRegularFile(p)) {
          throw new IllegalStateException("no file at " + p);
        }
        SymbolLookup lookup = SymbolLookup.libraryLookup(p, Arena.global());
        blas = new OpenBlas(lookup, p.toString(), !force);
      } else {
        Path folder = LibraryCache.cacheFolder("openblas-" + BUNDLED_VERSION);
        tried.add("bundled org.bytedeco:openblas:" + BUNDLED_VERSION + " extracted to " + folder);
        List<Path> libs = LibraryCache.extractBundled(OpenBlas.class.getClassLoader(), folder);
        SymbolLookup last = null;
        for (Path lib : libs) {
          last = SymbolLookup.libraryLookup(lib, Arena.global());
        }
        blas = new OpenBlas(last, libs.get(libs.size() - 1).toString(), !force);
      }
      int threads = Integer.getInteger(THREADS_PROPERTY, 1);
      blas.setNumThreads(threads);
      return Optional.of(blas);
    } catch (Throwable t) {
      failure = "tried " + String.join(", ", tried) + ": " + t.getMessage()
          + " (point -D" + PATH_PROPERTY + " or " + PATH_ENV + " at a libopenblas.so)";
      LOG.log(System.Logger.Level.WARNING, "neurorl: OpenBLAS not loaded, using pure-Java paths; " + failure);
      return Optional.empty();
    }
  }

  /** Where the library came from. */
  public String source() {
    return source;
  }

  /** {@code openblas_get_config()}: version, build options and the core type it chose. */
  public String config() {
    return config;
  }

  /** Sets OpenBLAS's process-wide thread count (ignored by a BLAS without the call). */
  public void setNumThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads = " + threads + "; allowed: 1 or more");
    }
    if (setNumThreads == null) {
      return;
    }
    try {
      setNumThreads.invokeExact(threads);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** OpenBLAS's process-wide thread count, or 1 for a BLAS without the call. */
  public int numThreads() {
    if (getNumThreads == null) {
      return 1;
    }
    try {
      return (int) getNumThreads.invokeExact();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** True when {@code LAPACKE_ssyevd} is present. */
  public boolean hasLapack() {
    return ssyevdPlain != null;
  }

  private static MemorySegment heap(float[] a, int offset) {
    return MemorySegment.ofArray(a).asSlice((long) offset * Float.BYTES);
  }

  /**
   * Row-major {@code C = alpha · op(A) · op(B) + beta · C} on heap arrays (critical downcall; for
   * calls under {@link #CRITICAL_FLOP_LIMIT} flops).
   */
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    try {
      sgemmCritical.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
          alpha, heap(a, aOff), lda, heap(b, bOff), ldb, beta, heap(c, cOff), ldc);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Row-major sgemm on segments. Native segments take an ordinary downcall (for long calls); if any
   * segment is heap-backed ({@code MemorySegment.ofArray}) the call is critical, so it must be short.
   * A kernel that calls this every step makes its segments (and slices) once, up front: this overload
   * then allocates nothing, whereas the {@code float[]} overload wraps its arrays on every call.
   */
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a,
      int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
    try {
      if (a.isNative() && b.isNative() && c.isNative()) {
        sgemmPlain.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
            alpha, a, lda, b, ldb, beta, c, ldc);
      } else {
        sgemmCritical.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
            alpha, a, lda, b, ldb, beta, c, ldc);
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Row-major {@code y = alpha · op(A) · x + beta · y} on heap arrays (critical downcall). */
  public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x,
      int xOff, int incx, float beta, float[] y, int yOff, int incy) {
    try {
      sgemvCritical.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, m, n, alpha, heap(a, aOff), lda,
          heap(x, xOff), incx, beta, heap(y, yOff), incy);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Row-major sgemv on segments (critical when any segment is heap-backed; see the sgemm overload). */
  public void sgemv(boolean transA, int m, int n, float alpha, MemorySegment a, int lda, MemorySegment x,
      int incx, float beta, MemorySegment y, int incy) {
    try {
      if (a.isNative() && x.isNative() && y.isNative()) {
        sgemvPlain.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, m, n, alpha, a, lda, x, incx, beta, y,
            incy);
      } else {
        sgemvCritical.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, m, n, alpha, a, lda, x, incx, beta,
            y, incy);
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Row-major rank-1 update {@code A += alpha · x yᵀ} on heap arrays (critical downcall). */
  public void sger(int m, int n, float alpha, float[] x, int xOff, int incx, float[] y, int yOff, int incy,
      float[] a, int aOff, int lda) {
    try {
      sgerCritical.invokeExact(ROW_MAJOR, m, n, alpha, heap(x, xOff), incx, heap(y, yOff), incy,
          heap(a, aOff), lda);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code y += alpha · x} on heap arrays (critical downcall). */
  public void saxpy(int n, float alpha, float[] x, int xOff, int incx, float[] y, int yOff, int incy) {
    try {
      saxpyCritical.invokeExact(n, alpha, heap(x, xOff), incx, heap(y, yOff), incy);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code x · y} on heap arrays (critical downcall). */
  public float sdot(int n, float[] x, int xOff, int incx, float[] y, int yOff, int incy) {
    try {
      return (float) sdotCritical.invokeExact(n, heap(x, xOff), incx, heap(y, yOff), incy);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Eigen-decomposition of the symmetric row-major {@code n×n} matrix {@code a} (LAPACKE_ssyevd):
   * eigenvalues ascending into {@code w}; with {@code vectors} the eigenvectors replace {@code a}
   * (column {@code j} belongs to {@code w[j]}). Copies through native memory: a long call.
   *
   * @throws IllegalStateException when the library has no LAPACKE or the routine fails
   */
  public void ssyevd(boolean vectors, int n, float[] a, float[] w) {
    if (ssyevdPlain == null) {
      throw new IllegalStateException("LAPACKE_ssyevd is not in " + source);
    }
    if (n < 1 || a.length < (long) n * n || w.length < n) {
      throw new IllegalArgumentException("ssyevd: n = " + n + ", a.length = " + a.length + ", w.length = "
          + w.length + "; allowed: n >= 1, a.length >= n*n, w.length >= n");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment na = arena.allocate((long) n * n * Float.BYTES, 64);
      MemorySegment nw = arena.allocate((long) n * Float.BYTES, 64);
      MemorySegment.copy(a, 0, na, JAVA_FLOAT, 0, n * n);
      int info = (int) ssyevdPlain.invokeExact(ROW_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n, na,
          n, nw);
      if (info != 0) {
        throw new IllegalStateException("LAPACKE_ssyevd returned info = " + info);
      }
      MemorySegment.copy(na, JAVA_FLOAT, 0, a, 0, n * n);
      MemorySegment.copy(nw, JAVA_FLOAT, 0, w, 0, n);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
