package org.neurorl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a pass runs: a list of cells, each a benchmark method at one parameter point with its own
 * forks and iteration settings. Separate cells rather than JMH's parameter cross product, so that
 * the cells a target depends on get three forks (median of forks) and the others one, and the
 * slowest reference cells can be left out of the quick pass.
 */
public final class Plan {
  /** Quick (default, under 10 minutes here) or full. */
  public enum Mode { QUICK, FULL }

  /**
   * One JMH run.
   *
   * @param benchmark simple class name in {@code org.neurorl.bench}
   * @param method benchmark method
   * @param params JMH params to set (others keep the benchmark's first declared value in quick mode)
   * @param forks forks; 3 where a target depends on the cell
   * @param warmupIterations warm-up iterations per fork
   * @param warmupSeconds seconds per warm-up iteration
   * @param iterations measurement iterations per fork
   * @param seconds seconds per measurement iteration
   */
  public record Cell(String benchmark, String method, Map<String, String> params, int forks,
      int warmupIterations, double warmupSeconds, int iterations, double seconds) {
    public Cell {
      params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** JMH include pattern matching exactly this method. */
    public String includeRegex() {
      return "^" + Pattern.quote(BenchMain.PACKAGE + "." + benchmark + "." + method) + "$";
    }

    /** Human label, also what {@code --include} is matched against. */
    public String label() {
      StringBuilder sb = new StringBuilder(benchmark).append('.').append(method);
      params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
      return sb.toString();
    }

    /**
     * Rough wall time of the cell: per fork, JVM start and setup plus warm-up and measurement. The
     * startup figure (2 s) is what a fork with a 1 GiB array took here.
     */
    public double estimatedSeconds() {
      return forks * (2.0 + warmupIterations * warmupSeconds + iterations * seconds);
    }
  }

  private final Mode mode;
  private final List<Cell> cells;
  private final List<String> skipped;

  private Plan(Mode mode, List<Cell> cells, List<String> skipped) {
    this.mode = mode;
    this.cells = List.copyOf(cells);
    this.skipped = List.copyOf(skipped);
  }

  public Mode mode() {
    return mode;
  }

  public List<Cell> cells() {
    return cells;
  }

  /** Cells deliberately left out of this mode, with the reason. */
  public List<String> skipped() {
    return skipped;
  }

  public double estimatedSeconds() {
    return cells.stream().mapToDouble(Cell::estimatedSeconds).sum();
  }

  /** The planned pass, keeping only cells whose label matches {@code include} (find, not full match). */
  public static Plan of(Mode mode, Pattern include) {
    boolean quick = mode == Mode.QUICK;
    List<Cell> c = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int f3 = 3;
    int f1 = quick ? 1 : 3;
    // Two warm-up seconds at least: with the machine busy, C2 took 2-3 s to compile the Vector API
    // loops, and until then they box every vector (MB/op in the GC profiler, a fraction of the speed).
    int warm = quick ? 2 : 5;

    // Machine probes. Main-memory RMW, FMA and clock feed targets: three forks. Both threads of a
    // @Threads(2) method warm up together, which keeps the two vCPUs on separate cores when timed.
    for (String m : List.of("rmw1T", "rmw2T", "triad1T", "triad2T")) {
      for (long bytes : List.of(MachineProbes.L2_BYTES, MachineProbes.MEMORY_BYTES)) {
        boolean target = m.startsWith("rmw") && bytes == MachineProbes.MEMORY_BYTES;
        if (quick && m.startsWith("triad") && bytes == MachineProbes.L2_BYTES) {
          skipped.add("MachineProbes." + m + " bytes=" + bytes + " (quick pass: no target depends on it)");
          continue;
        }
        c.add(new Cell("MachineProbes", m, Map.of("bytes", Long.toString(bytes)), target ? f3 : f1,
            warm, 1.0, quick ? 2 : 5, quick ? 0.5 : 1.0));
      }
    }
    for (String m : List.of("fma1T", "fma2T", "clock")) {
      c.add(new Cell("MachineProbes", m, Map.of(), f3, warm, 1.0, quick ? 2 : 5, quick ? 0.5 : 1.0));
    }

    // The cost of a BLAS call against plain Java.
    List<Integer> orders = quick ? List.of(4, 32, 256) : List.of(2, 4, 8, 16, 32, 64, 128, 256);
    for (String m : List.of("gemvCritical", "gemvSegment", "gemvJava", "gemvSimd",
        "gemmCritical", "gemmSegment", "gemmJava", "gemmSimd")) {
      for (int n : orders) {
        c.add(new Cell("BlasCallBenchmark", m, Map.of("n", Integer.toString(n)), 1,
            quick ? 1 : warm, quick ? 0.5 : 1.0, quick ? 2 : 5, quick ? 0.3 : 1.0));
      }
    }

    // Recurrent kernels: N ∈ {48, 128, 256} × B ∈ {1, 64, 1024}.
    for (KernelCatalog.Kernel k : List.of(KernelCatalog.PLASTIC, KernelCatalog.LSTM)) {
      boolean plastic = k.equals(KernelCatalog.PLASTIC);
      for (int n : List.of(48, 128, 256)) {
        for (int b : List.of(1, 64, 1024)) {
          Map<String, String> p = new LinkedHashMap<>();
          p.put("n", Integer.toString(n));
          p.put("batch", Integer.toString(b));
          boolean target = plastic && n == 128;
          // the SIMD loops run interpreted (boxing every vector) until C2 compiles them: on a quiet
          // machine the plastic step reached its steady speed in the third warm-up second
          c.add(new Cell(k.benchmark(), k.fastMethod(), p, target ? f3 : f1, quick ? 4 : 5, 1.0,
              quick ? 2 : 5, 1.0));
          // the float64 reference needs about a second per call here and its ratio is no target; the
          // plastic step does about 4x the LSTM's work per agent at the same N
          if (quick && (long) n * n * b >= (plastic ? 1L << 24 : 1L << 26)) {
            skipped.add(k.benchmark() + "." + k.referenceMethod() + " n=" + n + " batch=" + b
                + " (quick pass: the float64 reference takes about a second per call at this size)");
            continue;
          }
          boolean ratioTarget = plastic && n == 128 && b == 64;
          c.add(new Cell(k.benchmark(), k.referenceMethod(), p, ratioTarget ? f3 : f1, warm, 1.0,
              quick ? 2 : 5, 1.0));
        }
      }
    }

    // Bandit kernels: 10^5 agents × 100 trials per call.
    for (KernelCatalog.Kernel k : List.of(KernelCatalog.LATENT_Q, KernelCatalog.TABULAR_Q, KernelCatalog.UCB1,
        KernelCatalog.THOMPSON)) {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("batch", "100000");
      p.put("trials", "100");
      c.add(new Cell(k.benchmark(), k.fastMethod(), p, f3, quick ? 4 : 5, 1.0, quick ? 2 : 5, 1.0));
      c.add(new Cell(k.benchmark(), k.referenceMethod(), p, f1, warm, 1.0, quick ? 2 : 5, 1.0));
    }

    // DRA-comparison kernels: 4096 agents × 50 memory-task trials (12 options, 2 actions) per call. They
    // would push the quick pass past its ten minutes, so the quick pass runs them only when asked for
    // by --include (a pattern that does not match everything, e.g. DraBenchmark).
    boolean askedFor = !include.matcher("\u0000 any label \u0000").find();
    for (KernelCatalog.Kernel k : List.of(KernelCatalog.DRA, KernelCatalog.SOFT_Q, KernelCatalog.SOFTMAX_Q)) {
      if (quick && !askedFor) {
        skipped.add(k.benchmark() + "." + k.fastMethod() + " and ." + k.referenceMethod()
            + " (quick pass: run with --include DraBenchmark, or --full)");
        continue;
      }
      Map<String, String> p = new LinkedHashMap<>();
      p.put("batch", "4096");
      p.put("trials", "50");
      c.add(new Cell(k.benchmark(), k.fastMethod(), p, f3, quick ? 4 : 5, 1.0, quick ? 2 : 5, 1.0));
      c.add(new Cell(k.benchmark(), k.referenceMethod(), p, f1, warm, 1.0, quick ? 2 : 5, 1.0));
    }

    List<Cell> kept = c.stream().filter(x -> include.matcher(x.label()).find()).toList();
    return new Plan(mode, kept, skipped);
  }

  /** One line per cell, for {@code --dry-run}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Cell x : cells) {
      sb.append(String.format(Locale.ROOT, "%-60s forks=%d warmup=%dx%.1fs measure=%dx%.1fs ~%.0fs%n",
          x.label(), x.forks(), x.warmupIterations(), x.warmupSeconds(), x.iterations(), x.seconds(),
          x.estimatedSeconds()));
    }
    sb.append(String.format(Locale.ROOT, "%d cells, about %.0f s if every benchmark class is present%n",
        cells.size(), estimatedSeconds()));
    skipped.forEach(s -> sb.append("skipped: ").append(s).append('\n'));
    return sb.toString();
  }
}
