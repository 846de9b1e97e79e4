package org.neurorl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns measurements into the numbers the issue asks for: machine limits from the probes, kernel
 * throughput in agent-steps per second, fast/reference ratios, roofline fractions of the plastic step,
 * cycles per agent-trial of the bandit kernels, and the targets, met or not. Pure arithmetic over
 * {@link Measurement}s, so it is tested without running JMH. Where a kernel or probe was not measured,
 * the report says so and computes nothing from it.
 */
public final class Report {
  /** Status of one target. */
  public enum Status {
    MET("met"), NOT_MET("not met"), NOT_MEASURED("not measured");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * One target of the issue.
   *
   * @param name what is compared
   * @param measured the measured value, NaN when not measured
   * @param threshold the bound
   * @param atLeast true when the measured value must be at least the bound, false when at most
   * @param unit how the values are shown: {@code x} (ratio), {@code %} (fraction shown as percent),
   *     {@code cycles}, {@code B/op}
   * @param detail how the value was obtained
   */
  public record Target(String name, double measured, double threshold, boolean atLeast, String unit,
      String detail) {
    public Status status() {
      if (Double.isNaN(measured)) {
        return Status.NOT_MEASURED;
      }
      return (atLeast ? measured >= threshold : measured <= threshold) ? Status.MET : Status.NOT_MET;
    }
  }

  /** The reference and fast cells of one kernel at one parameter point (either may be missing). */
  public record KernelPoint(KernelCatalog.Kernel kernel, Map<String, String> params, Measurement reference,
      Measurement fast) {
    public long n() {
      return Long.parseLong(params.getOrDefault("n", "-1"));
    }

    public long batch() {
      return Long.parseLong(params.getOrDefault("batch", "1"));
    }

    public long trials() {
      return Long.parseLong(params.getOrDefault("trials", "1"));
    }

    /** Agent-steps per second of a cell, NaN when the cell is missing. */
    public double agentStepsPerSecond(Measurement m) {
      return m == null ? Double.NaN : m.score() * kernel.agentStepsPerOp(m);
    }

    public double fastPerSecond() {
      return agentStepsPerSecond(fast);
    }

    public double referencePerSecond() {
      return agentStepsPerSecond(reference);
    }

    /** Fast / reference throughput, NaN unless both were measured. */
    public double ratio() {
      return fastPerSecond() / referencePerSecond();
    }

    public Optional<Double> stateBytesPerAgent() {
      Measurement m = fast != null ? fast : reference;
      return kernel.stateBytesPerAgent(m);
    }
  }

  private final List<Measurement> measurements;
  private final int lanes;
  private final int kernelThreads;

  /**
   * @param measurements all cells of the run
   * @param lanes float lanes of the SIMD species the probes ran with (for FMA flop counting)
   * @param kernelThreads cores the batched kernels use (cycles per agent-trial are per core)
   */
  public Report(List<Measurement> measurements, int lanes, int kernelThreads) {
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes = " + lanes + "; allowed: 1 or more");
    }
    if (kernelThreads < 1) {
      throw new IllegalArgumentException("kernelThreads = " + kernelThreads + "; allowed: 1 or more");
    }
    this.measurements = List.copyOf(measurements);
    this.lanes = lanes;
    this.kernelThreads = kernelThreads;
  }

  public List<Measurement> measurements() {
    return measurements;
  }

  // ---------------------------------------------------------------- machine limits

  /**
   * A probe in its unit per second (bytes/s, flop/s or cycles/s); NaN when it was not measured.
   *
   * @param bytes working set per thread for bandwidth probes, ignored otherwise
   */
  public double probe(String method, long bytes) {
    boolean bandwidth = method.startsWith("rmw") || method.startsWith("triad");
    for (Measurement m : measurements) {
      if (m.benchmark().equals("MachineProbes") && m.method().equals(method)
          && (!bandwidth || m.longParam("bytes", -1) == bytes)) {
        return m.score() * MachineProbes.unitsPerOp(method, bandwidth ? bytes : 0, lanes);
      }
    }
    return Double.NaN;
  }

  public double rmwMemory(int threads) {
    return probe("rmw" + threads + "T", MachineProbes.MEMORY_BYTES);
  }

  public double rmwL2(int threads) {
    return probe("rmw" + threads + "T", MachineProbes.L2_BYTES);
  }

  public double fmaPeak(int threads) {
    return probe("fma" + threads + "T", 0);
  }

  /** Cycles per second from the dependent-add chain. */
  public double clockHz() {
    return probe("clock", 0);
  }

  // ---------------------------------------------------------------- kernels

  /** Every (kernel, parameter point) with at least one measured cell, in kernel then parameter order. */
  public List<KernelPoint> kernelPoints() {
    List<KernelPoint> out = new ArrayList<>();
    for (KernelCatalog.Kernel k : KernelCatalog.ALL) {
      Map<String, Measurement[]> byParams = new TreeMap<>();
      Map<String, Map<String, String>> paramsOf = new TreeMap<>();
      for (Measurement m : measurements) {
        if (!m.benchmark().equals(k.benchmark()) || !k.isMethod(m.method())) {
          continue;
        }
        String key = sortKey(m.params());
        paramsOf.put(key, m.params());
        Measurement[] pair = byParams.computeIfAbsent(key, x -> new Measurement[2]);
        pair[m.method().equals(k.referenceMethod()) ? 0 : 1] = m;
      }
      for (Map.Entry<String, Measurement[]> e : byParams.entrySet()) {
        out.add(new KernelPoint(k, paramsOf.get(e.getKey()), e.getValue()[0], e.getValue()[1]));
      }
    }
    return out;
  }

  /** Orders parameter points numerically (n then batch then trials then the rest). */
  static String sortKey(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("n", "batch", "trials")) {
      String v = params.get(name);
      sb.append(String.format(Locale.ROOT, "%012d|", v == null ? 0 : Long.parseLong(v.trim())));
    }
    new TreeMap<>(params).forEach((k, v) -> sb.append(k).append('=').append(v).append('|'));
    return sb.toString();
  }

  public Optional<KernelPoint> point(KernelCatalog.Kernel kernel, Map<String, String> where) {
    return kernelPoints().stream()
        .filter(p -> p.kernel().equals(kernel))
        .filter(p -> where.entrySet().stream().allMatch(e -> e.getValue().equals(p.params().get(e.getKey()))))
        .findFirst();
  }

  /** Plastic step bytes/s of the fast cell (16·N² bytes per agent-step); NaN when absent. */
  public static double plasticBytesPerSecond(KernelPoint p) {
    return p.fastPerSecond() * KernelCatalog.plasticBytesPerStep(p.n());
  }

  /** Plastic step flop/s of the fast cell (15·N² flop per agent-step); NaN when absent. */
  public static double plasticFlopPerSecond(KernelPoint p) {
    return p.fastPerSecond() * KernelCatalog.plasticFlopPerStep(p.n());
  }

  /** CPU cycles per agent-trial per core: threads × seconds × clock / agent-trials. */
  public static double cyclesPerAgentTrialPerCore(double agentTrialsPerSecond, double clockHz, int threads) {
    return threads * clockHz / agentTrialsPerSecond;
  }

  public double cyclesPerAgentTrialPerCore(KernelPoint p, Measurement m) {
    return cyclesPerAgentTrialPerCore(p.agentStepsPerSecond(m), clockHz(), kernelThreads);
  }

  // ---------------------------------------------------------------- targets

  public List<Target> targets() {
    List<Target> t = new ArrayList<>();
    Optional<KernelPoint> p64 = point(KernelCatalog.PLASTIC, Map.of("n", "128", "batch", "64"));
    t.add(new Target("Plastic step fast/reference, N = 128, B = 64",
        p64.map(KernelPoint::ratio).orElse(Double.NaN), 20, true, "x",
        "median-of-forks agent-steps/s, SIMD over reference, same run"));
    Optional<KernelPoint> p1024 = point(KernelCatalog.PLASTIC, Map.of("n", "128", "batch", "1024"));
    t.add(new Target("Plastic step N = 128, B = 1024: fraction of RMW main-memory bandwidth (2 threads)",
        p1024.map(p -> plasticBytesPerSecond(p) / rmwMemory(2)).orElse(Double.NaN), 0.65, true, "%",
        "16·N² bytes per agent-step over the rmw2T probe at 1 GiB per thread"));
    Optional<KernelPoint> p1 = point(KernelCatalog.PLASTIC, Map.of("n", "128", "batch", "1"));
    t.add(new Target("Plastic step N = 128, B = 1: fraction of FMA peak (1 thread)",
        p1.map(p -> plasticFlopPerSecond(p) / fmaPeak(1)).orElse(Double.NaN), 0.40, true, "%",
        "15·N² flop per agent-step over the fma1T probe (a batch of one runs on one core)"));
    t.add(new Target("Plastic step N = 128, B = 64: fraction of FMA peak (2 threads)",
        p64.map(p -> plasticFlopPerSecond(p) / fmaPeak(2)).orElse(Double.NaN), 0.40, true, "%",
        "15·N² flop per agent-step over the fma2T probe (batched kernels use both cores)"));
    Map<String, String> bandit = Map.of("batch", "100000", "trials", "100");
    t.add(cyclesTarget(KernelCatalog.LATENT_Q, bandit, 11));
    t.add(cyclesTarget(KernelCatalog.TABULAR_Q, bandit, 8));
    // Per agent-step, not per op: JMH's own per-iteration bookkeeping (a few hundred bytes) divided
    // over a handful of ops at B = 10⁵ reads as hundreds of B/op, while boxing costs at least one
    // 64-byte vector object per vector operation, i.e. several bytes per agent-step at any batch.
    double worstAlloc = Double.NaN;
    String worstCell = "";
    for (KernelPoint p : kernelPoints()) {
      if (p.fast() != null && !Double.isNaN(p.fast().allocBytesPerOp())) {
        double perStep = p.fast().allocBytesPerOp() / p.kernel().agentStepsPerOp(p.fast());
        if (Double.isNaN(worstAlloc) || perStep > worstAlloc) {
          worstAlloc = perStep;
          worstCell = p.kernel().key() + " " + p.params();
        }
      }
    }
    t.add(new Target("Fast kernels' steady-state allocation per agent-step (worst cell)", worstAlloc,
        ALLOC_LIMIT, false, "B/step", "JMH GC profiler gc.alloc.rate.norm over agent-steps per op, largest over"
            + " SIMD cells" + (worstCell.isEmpty() ? "" : " (" + worstCell + ")")
            + "; vector boxing would show as several bytes per agent-step or more"));
    return t;
  }

  /** Bytes per agent-step below which a fast kernel is taken to allocate nothing (see targets()). */
  public static final double ALLOC_LIMIT = 1;

  private Target cyclesTarget(KernelCatalog.Kernel k, Map<String, String> where, double limit) {
    Optional<KernelPoint> p = point(k, where);
    double v = p.filter(x -> x.fast() != null)
        .map(x -> cyclesPerAgentTrialPerCore(x, x.fast())).orElse(Double.NaN);
    return new Target(k.title() + ": cycles per agent-trial per core, 10⁵ agents × 100 trials", v, limit,
        false, "cycles", kernelThreads + " threads × clock from the add-chain probe / agent-trials per second");
  }

  // ---------------------------------------------------------------- JSON-ready derived numbers

  /** Derived numbers as nested maps and lists (serialised to JSON by {@link BenchMain}). */
  public Map<String, Object> derived() {
    Map<String, Object> d = new LinkedHashMap<>();
    Map<String, Object> probes = new LinkedHashMap<>();
    probes.put("rmwL2BytesPerSecond1T", num(rmwL2(1)));
    probes.put("rmwL2BytesPerSecond2T", num(rmwL2(2)));
    probes.put("rmwMemoryBytesPerSecond1T", num(rmwMemory(1)));
    probes.put("rmwMemoryBytesPerSecond2T", num(rmwMemory(2)));
    probes.put("triadL2BytesPerSecond1T", num(probe("triad1T", MachineProbes.L2_BYTES)));
    probes.put("triadL2BytesPerSecond2T", num(probe("triad2T", MachineProbes.L2_BYTES)));
    probes.put("triadMemoryBytesPerSecond1T", num(probe("triad1T", MachineProbes.MEMORY_BYTES)));
    probes.put("triadMemoryBytesPerSecond2T", num(probe("triad2T", MachineProbes.MEMORY_BYTES)));
    probes.put("fmaFlopPerSecond1T", num(fmaPeak(1)));
    probes.put("fmaFlopPerSecond2T", num(fmaPeak(2)));
    probes.put("clockHz", num(clockHz()));
    probes.put("l2BytesPerThread", MachineProbes.L2_BYTES);
    probes.put("memoryBytesPerThread", MachineProbes.MEMORY_BYTES);
    probes.put("floatLanes", lanes);
    d.put("probes", probes);

    List<Object> kernels = new ArrayList<>();
    for (KernelPoint p : kernelPoints()) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("kernel", p.kernel().key());
      k.put("params", p.params());
      k.put("referenceAgentStepsPerSecond", num(p.referencePerSecond()));
      k.put("fastAgentStepsPerSecond", num(p.fastPerSecond()));
      k.put("fastOverReference", num(p.ratio()));
      if (p.fast() != null) {
        k.put("fastForkScores", p.fast().forkScores());
        k.put("fastAllocBytesPerOp", num(p.fast().allocBytesPerOp()));
      }
      if (p.reference() != null) {
        k.put("referenceForkScores", p.reference().forkScores());
        k.put("referenceAllocBytesPerOp", num(p.reference().allocBytesPerOp()));
      }
      p.stateBytesPerAgent().ifPresent(b -> k.put("stateBytesPerAgent", b));
      if (p.kernel().equals(KernelCatalog.PLASTIC) && p.fast() != null) {
        double bps = plasticBytesPerSecond(p);
        double fps = plasticFlopPerSecond(p);
        k.put("bytesPerSecond", num(bps));
        k.put("fractionOfRmwMemory2T", num(bps / rmwMemory(2)));
        k.put("fractionOfRmwMemory1T", num(bps / rmwMemory(1)));
        k.put("fractionOfRmwL2_2T", num(bps / rmwL2(2)));
        k.put("flopPerSecond", num(fps));
        k.put("fractionOfFmaPeak1T", num(fps / fmaPeak(1)));
        k.put("fractionOfFmaPeak2T", num(fps / fmaPeak(2)));
      }
      if (p.trials() > 1) {
        k.put("fastCyclesPerAgentTrialPerCore", num(cyclesPerAgentTrialPerCore(p, p.fast())));
        k.put("referenceCyclesPerAgentTrialPerCore", num(cyclesPerAgentTrialPerCore(p, p.reference())));
      }
      kernels.add(k);
    }
    d.put("kernels", kernels);
    d.put("blasCrossover", crossovers());
    List<Object> targets = new ArrayList<>();
    for (Target t : targets()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("measured", num(t.measured()));
      m.put("threshold", t.threshold());
      m.put("atLeast", t.atLeast());
      m.put("status", t.status().toString());
      m.put("detail", t.detail());
      targets.add(m);
    }
    d.put("targets", targets);
    d.put("kernelThreads", kernelThreads);
    return d;
  }

  /** JSON has no NaN: missing numbers become null. */
  private static Object num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  // ---------------------------------------------------------------- BLAS crossover

  /** BLAS-call benchmark throughput in flop/s for method and order n; NaN when absent. */
  public double blasFlops(String method, int n) {
    for (Measurement m : measurements) {
      if (m.benchmark().equals("BlasCallBenchmark") && m.method().equals(method) && m.longParam("n", -1) == n) {
        return m.score() * BlasCallBenchmark.flopPerOp(method, n);
      }
    }
    return Double.NaN;
  }

  public List<Integer> blasSizes() {
    TreeSet<Integer> s = new TreeSet<>();
    for (Measurement m : measurements) {
      if (m.benchmark().equals("BlasCallBenchmark")) {
        s.add((int) m.longParam("n", -1));
      }
    }
    return List.copyOf(s);
  }

  /**
   * For {@code gemv} and {@code gemm}: the smallest measured order from which the best BLAS form
   * (critical or segment) is faster than the best Java form (scalar or SIMD) at that order and every
   * larger measured one; null when BLAS never wins or nothing was measured.
   */
  public Map<String, Object> crossovers() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String op : List.of("gemv", "gemm")) {
      Integer from = null;
      boolean any = false;
      for (int n : blasSizes().reversed()) {
        double blas = Math.max(nanToZero(blasFlops(op + "Critical", n)), nanToZero(blasFlops(op + "Segment", n)));
        double java = Math.max(nanToZero(blasFlops(op + "Java", n)), nanToZero(blasFlops(op + "Simd", n)));
        if (blas == 0 || java == 0) {
          continue;
        }
        any = true;
        if (blas > java) {
          from = n;
        } else {
          break;
        }
      }
      out.put(op, any ? from : null);
    }
    return out;
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  // ---------------------------------------------------------------- markdown

  /** The kernels section of results/README.md (without its markers). */
  public String kernelsMarkdown(Map<String, Object> environment, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("## Kernels and machine limits (").append(environment.getOrDefault("date", "?")).append(")\n\n");
    md.append("Produced by `").append(environment.getOrDefault("command", "?")).append("`; raw JMH results and")
        .append(" every derived number in `").append(environment.getOrDefault("jsonFile", "?")).append("`.\n\n");
    md.append("- Machine: ").append(environment.get("cpuModel")).append(", ").append(environment.get("cores"))
        .append(" cores, L2 ").append(environment.get("l2Cache")).append(", L3 ").append(environment.get("l3Cache"))
        .append('\n');
    md.append("- JDK: ").append(environment.get("javaVendor")).append(' ').append(environment.get("javaVersion"))
        .append(" (").append(environment.get("javaVm")).append(")\n");
    md.append("- OpenBLAS: ").append(environment.get("openblasConfig")).append('\n');
    md.append("- SIMD: ").append(environment.get("simdBits")).append("-bit species, ").append(lanes)
        .append(" float lanes; batched kernels counted on ").append(kernelThreads).append(" cores\n");
    md.append("- Scores are medians of forks (").append(environment.getOrDefault("mode", "?"))
        .append(" pass); JMH settings per cell in the JSON.\n\n");

    md.append("### Machine limits (probes, Java Vector API)\n\n");
    md.append("| probe | 1 thread | 2 threads |\n|---|---:|---:|\n");
    md.append(row("RMW `a = a·s + t`, L2 (1 MiB/thread)", si(rmwL2(1), "B/s"), si(rmwL2(2), "B/s")));
    md.append(row("RMW `a = a·s + t`, main memory (1 GiB/thread)", si(rmwMemory(1), "B/s"), si(rmwMemory(2), "B/s")));
    md.append(row("triad `a = b + s·c`, L2", si(probe("triad1T", MachineProbes.L2_BYTES), "B/s"),
        si(probe("triad2T", MachineProbes.L2_BYTES), "B/s")));
    md.append(row("triad `a = b + s·c`, main memory", si(probe("triad1T", MachineProbes.MEMORY_BYTES), "B/s"),
        si(probe("triad2T", MachineProbes.MEMORY_BYTES), "B/s")));
    md.append(row("FMA peak (" + MachineProbes.FMA_CHAINS + " chains)", si(fmaPeak(1), "flop/s"), si(fmaPeak(2), "flop/s")));
    md.append(row("clock (dependent add chain)", si(clockHz(), "Hz"), "–"));
    md.append("\nRMW counts read + write (8 bytes per float); triad counts the three arrays once each (STREAM).\n\n");

    md.append("### Kernels\n\n");
    md.append("| kernel | N | B | trials | reference agent-steps/s | SIMD agent-steps/s | SIMD/ref | SIMD alloc B/op"
        + " | state B/agent | plastic: GB/s (of RMW mem 2T / L2 2T) | plastic: GFLOP/s (of FMA 1T / 2T)"
        + " | cycles/agent-trial/core (SIMD / ref) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (KernelPoint p : kernelPoints()) {
      String bw = "–";
      String fl = "–";
      if (p.kernel().equals(KernelCatalog.PLASTIC) && p.fast() != null) {
        double bps = plasticBytesPerSecond(p);
        double fps = plasticFlopPerSecond(p);
        bw = String.format(Locale.ROOT, "%s (%s / %s)", si(bps, "B/s"), pct(bps / rmwMemory(2)), pct(bps / rmwL2(2)));
        fl = String.format(Locale.ROOT, "%s (%s / %s)", si(fps, "flop/s"), pct(fps / fmaPeak(1)), pct(fps / fmaPeak(2)));
      }
      String cycles = "–";
      if (p.trials() > 1) {
        cycles = fixed(cyclesPerAgentTrialPerCore(p, p.fast()), 1) + " / " + fixed(cyclesPerAgentTrialPerCore(p, p.reference()), 1);
      }
      md.append("| ").append(p.kernel().title())
          .append(" | ").append(p.n() < 0 ? "–" : Long.toString(p.n()))
          .append(" | ").append(p.batch())
          .append(" | ").append(p.trials() > 1 ? Long.toString(p.trials()) : "–")
          .append(" | ").append(p.reference() == null ? "not run" : si(p.referencePerSecond(), ""))
          .append(" | ").append(p.fast() == null ? "not run" : si(p.fastPerSecond(), "") + spread(p.fast()))
          .append(" | ").append(Double.isNaN(p.ratio()) ? "–" : fixed(p.ratio(), 1) + "×")
          .append(" | ").append(p.fast() == null ? "–" : fixed(p.fast().allocBytesPerOp(), 1))
          .append(" | ").append(p.stateBytesPerAgent().map(b -> String.format(Locale.ROOT, "%.0f", b)).orElse("–"))
          .append(" | ").append(bw).append(" | ").append(fl).append(" | ").append(cycles).append(" |\n");
    }
    if (kernelPoints().isEmpty()) {
      md.append("| (no kernel benchmark was measured) | | | | | | | | | | | |\n");
    }
    md.append("\nState bytes per agent: float32 layout of the fast kernel (plastic 4·(3N + 2N²), modulated rule,"
        + " full storage; LSTM 4·2N; latent Q 4·(S·K + K·A + A); tabular Q 4·(S·A + A), the last term being the"
        + " reward probabilities; S, K, A from the benchmark's params or S = " + KernelCatalog.DEFAULT_STATES
        + ", K = " + KernelCatalog.DEFAULT_LATENT + ", A = " + KernelCatalog.DEFAULT_ACTIONS + "). The float64"
        + " references take twice as much. SIMD agent-steps/s shows the spread of forks as [min–max].\n\n");

    md.append("### Targets (issue 2)\n\n| target | measured | bound | status |\n|---|---:|---:|---|\n");
    for (Target t : targets()) {
      md.append("| ").append(t.name()).append(" | ").append(show(t.measured(), t.unit()))
          .append(" | ").append(t.atLeast() ? "≥ " : "≤ ").append(show(t.threshold(), t.unit()))
          .append(" | ").append(t.status()).append(" |\n");
    }
    md.append('\n');

    List<Integer> sizes = blasSizes();
    if (!sizes.isEmpty()) {
      md.append("### OpenBLAS downcall vs plain Java (GFLOP/s, one thread)\n\n");
      List<String> methods = List.of("gemvCritical", "gemvSegment", "gemvJava", "gemvSimd",
          "gemmCritical", "gemmSegment", "gemmJava", "gemmSimd");
      md.append("| n |");
      methods.forEach(mm -> md.append(' ').append(mm).append(" |"));
      md.append("\n|---:|").append("---:|".repeat(methods.size())).append('\n');
      for (int n : sizes) {
        md.append("| ").append(n).append(" |");
        for (String mm : methods) {
          double v = blasFlops(mm, n);
          md.append(' ').append(Double.isNaN(v) ? "–" : fixed(v / 1e9, 2)).append(" |");
        }
        md.append('\n');
      }
      Map<String, Object> c = crossovers();
      md.append("\nCrossover (BLAS faster than the best Java loop from this order on): sgemv n = ")
          .append(Objects.toString(c.get("gemv"), "never in the measured range")).append(", sgemm n = ")
          .append(Objects.toString(c.get("gemm"), "never in the measured range")).append(".\n\n");
    }
    if (!notes.isEmpty()) {
      md.append("### Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static String spread(Measurement m) {
    return m.forkScores().length < 2 ? ""
        : " [" + si(m.minScore() / m.score(), "") + "–" + si(m.maxScore() / m.score(), "") + "]";
  }

  private static String row(String name, String a, String b) {
    return "| " + name + " | " + a + " | " + b + " |\n";
  }

  static String show(double v, String unit) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return switch (unit) {
      case "x" -> fixed(v, 1) + "×";
      case "%" -> pct(v);
      case "B/op" -> fixed(v, 1) + " B/op";
      case "B/step" -> String.format(java.util.Locale.ROOT, "%.2g B/agent-step", v);
      default -> fixed(v, 1) + " " + unit;
    };
  }

  static String pct(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f%%", 100 * fraction) : "–";
  }

  static String fixed(double v, int digits) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "–";
  }

  /** Three significant digits with an SI prefix: {@code si(3.2e10, "B/s") = "32.0 GB/s"}. */
  public static String si(double v, String unit) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    String[] prefixes = {"", "k", "M", "G", "T", "P"};
    double a = Math.abs(v);
    int p = 0;
    while (a >= 999.5 && p < prefixes.length - 1) {
      a /= 1000;
      v /= 1000;
      p++;
    }
    String digits = a >= 99.95 ? "%.0f" : a >= 9.995 ? "%.1f" : "%.2f";
    String num = String.format(Locale.ROOT, digits, v);
    String u = prefixes[p] + unit;
    return u.isEmpty() ? num : num + " " + u;
  }

  // ---------------------------------------------------------------- README sections

  /**
   * Replaces the section named {@code name} (between {@code <!-- neurorl-bench:NAME:begin -->} and
   * {@code <!-- neurorl-bench:NAME:end -->}) in {@code readme} by {@code body}, or appends it when the
   * markers are absent. Everything outside the markers is kept as it was.
   */
  public static String replaceSection(String readme, String name, String body) {
    String begin = "<!-- neurorl-bench:" + name + ":begin -->";
    String end = "<!-- neurorl-bench:" + name + ":end -->";
    String block = begin + "\n" + body.stripTrailing() + "\n" + end;
    Matcher m = Pattern.compile(Pattern.quote(begin) + ".*?" + Pattern.quote(end), Pattern.DOTALL).matcher(readme);
    if (m.find()) {
      return readme.substring(0, m.start()) + block + readme.substring(m.end());
    }
    String base = readme.isEmpty() ? "# Results\n\nWritten by `./neurorl bench` (org.neurorl.bench.BenchMain); the"
        + " sections between the markers are regenerated, the rest is kept.\n" : readme;
    return base.stripTrailing() + "\n\n" + block + "\n";
  }
}
