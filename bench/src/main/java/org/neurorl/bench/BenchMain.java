package org.neurorl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmark pass and writes {@code results/}: machine probes, the BLAS-call benchmark and
 * every kernel benchmark present on the class path, through the JMH Runner API, one cell at a time
 * ({@link Plan}); then {@code kernels-<date>.json} (raw JMH results, derived numbers, environment)
 * and the kernels section of {@code README.md} ({@link Report}). {@code --latency} adds the
 * single-call latency harness ({@link LatencyHarness}).
 */
@Command(name = "neurorl bench", mixinStandardHelpOptions = true,
    description = {"JMH pass over the kernels and machine-limit probes; writes results/kernels-<date>.json"
        + " and the tables of results/README.md."},
    footer = {"", "The quick pass (default) takes under 10 minutes on a 2-core machine; three forks (median"
        + " of forks) for the cells a target depends on, one elsewhere, and no float64 reference at the"
        + " two largest plastic/LSTM sizes."})
public final class BenchMain implements Callable<Integer> {
  /** Package of every benchmark class. */
  public static final String PACKAGE = "org.neurorl.bench";
  /** JVM arguments every fork needs (kernels use the Vector API and OpenBLAS through FFM). */
  public static final List<String> FORK_JVM_ARGS = List.of("--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED", "-Xmx4g");

  @Option(names = "--quick", description = "Quick pass (default).")
  boolean quick;

  @Option(names = "--full", description = "Full pass: three forks and five 1 s iterations everywhere,"
      + " every size, every reference (about an hour).")
  boolean full;

  @Option(names = "--include", paramLabel = "REGEX", description = "Only cells whose label"
      + " (e.g. 'PlasticRnnBenchmark.simd n=128 batch=64') contains a match; default: all.")
  String include = "";

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write results (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results");

  @Option(names = "--latency", description = "Also run the single-call latency harness.")
  boolean latency;

  @Option(names = "--latency-only", description = "Run only the latency harness.")
  boolean latencyOnly;

  @Option(names = "--kernel-threads", paramLabel = "N", description = "Cores the batched kernels use, for cycles"
      + " per agent-trial per core (default: available processors).")
  int kernelThreads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--peers", description = "Also compare end-to-end bandit simulations with the NumPy peer"
      + " (bench/peers/numpy_bandits.py; needs python3 with numpy).")
  boolean peers;

  @Option(names = "--peers-only", description = "Run only the NumPy peer comparison.")
  boolean peersOnly;

  @Option(names = "--a2c-peers", description = "Only compare one A2C update (LSTM N = 48, plastic N = 48 and 128;"
      + " 32 episodes x 100 trials) with the PyTorch peer bench/peers/torch_a2c.py under /usr/bin/python3"
      + " (installs python3-torch with apt-get when missing); writes results/a2c-peers-<date>.json.")
  boolean a2cPeers;

  @Option(names = "--a2c-threads", paramLabel = "N", description = "Threads of each side in --a2c-peers"
      + " (default: ${DEFAULT-VALUE}).")
  int a2cThreads = 1;

  @Option(names = "--a2c-note", paramLabel = "TEXT", description = "A sentence added under the --a2c-peers table"
      + " (e.g. the machine's load).")
  String a2cNote = "";

  @Option(names = "--peer-agents", paramLabel = "N", description = "Agents in the peer comparison (default: ${DEFAULT-VALUE}).")
  long peerAgents = 1_000_000;

  @Option(names = "--dry-run", description = "Print the plan and exit.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Show JMH's own output.")
  boolean verbose;

  private final String[] args;
  private final List<String> notes = new ArrayList<>();

  BenchMain(String[] args) {
    this.args = args.clone();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain(args)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (quick && full) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--quick and --full exclude each other");
    }
    if (kernelThreads < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--kernel-threads = " + kernelThreads + "; allowed: 1 or more");
    }
    Plan.Mode mode = full ? Plan.Mode.FULL : Plan.Mode.QUICK;
    Plan plan = Plan.of(mode, Pattern.compile(include));
    if (dryRun) {
      System.out.print(plan.describe());
      return 0;
    }
    String command = "./neurorl bench" + (args.length == 0 ? "" : " " + String.join(" ", args));
    Map<String, Object> env = Environment.collect(command);
    env.put("mode", mode.toString().toLowerCase(Locale.ROOT));
    Files.createDirectories(out);
    String date = (String) env.get("date");
    if (a2cPeers) {
      Map<String, Object> report = A2cPeerComparison.run(a2cThreads, 3, 4.0, A2cPeerComparison.defaultScript());
      Map<String, Object> root = new java.util.LinkedHashMap<>();
      root.put("schema", "neurorl-bench-a2c-peers/1");
      root.put("environment", env);
      root.put("loadAverage", Files.exists(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).strip()
          : "unknown");
      root.put("note", a2cNote);
      root.put("report", report);
      String torchVersion = "unknown";
      for (Object row : (List<?>) report.get("rows")) {
        if (((Map<?, ?>) row).get("torch") instanceof List<?> runs && !runs.isEmpty()
            && runs.get(0) instanceof JsonNode n) {
          torchVersion = n.path("torch").asText();
        }
      }
      root.put("torchVersion", torchVersion);
      Path json = out.resolve("a2c-peers-" + date + ".json");
      Files.writeString(json, new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(root));
      updateReadme("a2c-peers", A2cPeerComparison.markdown(report, env, torchVersion, a2cNote));
      System.out.println("wrote " + json);
      return 0;
    }
    if (!latencyOnly && !peersOnly) {
      runKernels(plan, env, out.resolve("kernels-" + date + ".json"));
    }
    if ((latency || latencyOnly) && !peersOnly) {
      runLatency(mode, env, out.resolve("latency-" + date + ".json"));
    }
    if (peers || peersOnly) {
      Map<String, Object> report = PeerComparison.run(peerAgents, 100, 3, kernelThreads, PeerComparison.defaultScript());
      Map<String, Object> root = new java.util.LinkedHashMap<>();
      root.put("schema", "neurorl-bench-peers/1");
      root.put("environment", env);
      root.put("report", report);
      Path json = out.resolve("peers-" + date + ".json");
      Files.writeString(json, new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(root));
      updateReadme("peers", PeerComparison.markdown(report, env));
      System.out.println("wrote " + json);
    }
    return 0;
  }

  private void runKernels(Plan plan, Map<String, Object> env, Path json) throws IOException {
    env.put("jsonFile", out.resolve(json.getFileName()).toString());
    List<RunResult> all = new ArrayList<>();
    List<Map<String, Object>> cellLog = new ArrayList<>();
    Set<String> absent = new LinkedHashSet<>();
    long start = System.nanoTime();
    System.out.printf(Locale.ROOT, "neurorl bench: %d cells planned, about %.0f s%n", plan.cells().size(),
        plan.estimatedSeconds());
    int i = 0;
    for (Plan.Cell cell : plan.cells()) {
      i++;
      Map<String, Object> log = new LinkedHashMap<>();
      log.put("cell", cell.label());
      log.put("forks", cell.forks());
      log.put("warmup", cell.warmupIterations() + " x " + cell.warmupSeconds() + " s");
      log.put("measurement", cell.iterations() + " x " + cell.seconds() + " s");
      cellLog.add(log);
      Class<?> c = benchmarkClass(cell.benchmark());
      if (c == null) {
        if (absent.add(cell.benchmark())) {
          notes.add(cell.benchmark() + " is not on the class path: its cells were not run and the report shows"
              + " no numbers for it.");
        }
        log.put("status", "absent");
        continue;
      }
      if (!hasBenchmarkMethod(c, cell.method())) {
        notes.add(cell.benchmark() + " has no @Benchmark method " + cell.method() + ": not run.");
        log.put("status", "no such method");
        continue;
      }
      Map<String, String[]> declared = declaredParams(c);
      Map<String, String> params = new LinkedHashMap<>(cell.params());
      List<String> missing = params.keySet().stream().filter(k -> !declared.containsKey(k)).toList();
      if (!missing.isEmpty()) {
        notes.add(cell.label() + ": the benchmark declares no param " + missing + ": not run.");
        log.put("status", "params missing " + missing);
        continue;
      }
      if (plan.mode() == Plan.Mode.QUICK) {
        // other params (e.g. a plasticity rule) keep their first declared value, so the quick pass
        // does not multiply
        declared.forEach((k, v) -> {
          if (!params.containsKey(k) && v.length > 0) {
            params.put(k, v[0]);
          }
        });
      }
      log.put("params", params);
      ChainedOptionsBuilder o = new OptionsBuilder()
          .include(cell.includeRegex())
          .forks(cell.forks())
          .warmupIterations(cell.warmupIterations())
          .warmupTime(TimeValue.milliseconds(Math.round(cell.warmupSeconds() * 1000)))
          .measurementIterations(cell.iterations())
          .measurementTime(TimeValue.milliseconds(Math.round(cell.seconds() * 1000)))
          .jvmArgsAppend(FORK_JVM_ARGS.toArray(String[]::new))
          .addProfiler(GCProfiler.class)
          .shouldFailOnError(false)
          .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
      params.forEach(o::param);
      long t0 = System.nanoTime();
      Collection<RunResult> rr;
      try {
        rr = new Runner(o.build()).run();
      } catch (RunnerException | RuntimeException e) {
        if (String.valueOf(e.getMessage()).contains("JMH lock")) {
          // another benchmark is running on this machine: measuring now would give both wrong numbers
          throw new IllegalStateException("another JMH run holds /tmp/jmh.lock; wait for it to finish"
              + " (or pass -Djmh.ignoreLock=true to the JVM to run anyway)", e);
        }
        notes.add(cell.label() + " failed: " + e.getMessage());
        log.put("status", "failed: " + e.getMessage());
        System.out.printf(Locale.ROOT, "[%d/%d] %s: FAILED %s%n", i, plan.cells().size(), cell.label(), e);
        continue;
      }
      all.addAll(rr);
      double secs = (System.nanoTime() - t0) / 1e9;
      log.put("seconds", secs);
      if (rr.isEmpty()) {
        notes.add(cell.label() + " produced no result (it threw; run with --verbose to see why).");
        log.put("status", "no result");
      } else {
        log.put("status", "ok");
      }
      for (RunResult r : rr) {
        Measurement m = toMeasurement(r);
        System.out.printf(Locale.ROOT, "[%d/%d] %-58s %s ops/s (forks %s) %s B/op  %.0f s%n", i,
            plan.cells().size(), cell.label(), Report.si(m.score(), ""), forkList(m),
            Report.fixed(m.allocBytesPerOp(), 1), secs);
      }
    }
    plan.skipped().forEach(s -> notes.add("not run in the " + env.get("mode") + " pass: " + s));
    notes.add(String.format(Locale.ROOT, "Wall time of the pass: %.0f s.", (System.nanoTime() - start) / 1e9));

    List<Measurement> ms = all.stream().map(BenchMain::toMeasurement).toList();
    Report report = new Report(ms, (Integer) env.get("floatLanes"), kernelThreads);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", "neurorl-bench-kernels/1");
    root.put("environment", env);
    root.put("notes", notes);
    root.put("cells", cellLog);
    root.put("derived", report.derived());
    root.put("jmh", rawJmh(all));
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    mapper.writeValue(json.toFile(), root);
    String md = report.kernelsMarkdown(env, notes);
    updateReadme("kernels", md);
    System.out.println();
    System.out.println(md);
    System.out.println("wrote " + json + " and " + out.resolve("README.md"));
  }

  private void runLatency(Plan.Mode mode, Map<String, Object> env, Path json) throws IOException {
    env.put("latencyFile", out.resolve(json.getFileName()).toString());
    List<String> latencyNotes = new ArrayList<>();
    LatencyHarness.Settings settings =
        mode == Plan.Mode.FULL ? LatencyHarness.Settings.full() : LatencyHarness.Settings.quick();
    List<LatencyHarness.Result> results = new ArrayList<>();
    for (LatencySubject s : LatencyHarness.subjects(latencyNotes)) {
      try {
        LatencyHarness.Result r = LatencyHarness.measure(s, settings);
        results.add(r);
        System.out.printf(Locale.ROOT, "latency %-50s p50 %s  p99 %s  p99.9 %s  max %s%n", r.name(),
            LatencyHarness.micros(r.p50()), LatencyHarness.micros(r.p99()), LatencyHarness.micros(r.p999()),
            LatencyHarness.micros(r.max()));
      } catch (RuntimeException e) {
        latencyNotes.add(s.name() + " failed: " + e);
      }
    }
    latencyNotes.add("Measured in the launcher's JVM (not a JMH fork) after " + settings.warmupSeconds()
        + " s of warm-up per call; at most " + settings.maxCalls() + " calls or " + settings.maxSeconds()
        + " s each.");
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", "neurorl-bench-latency/1");
    root.put("environment", env);
    root.put("notes", latencyNotes);
    root.put("results", results.stream().map(LatencyHarness.Result::toMap).toList());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), root);
    updateReadme("latency", LatencyHarness.markdown(results, env, latencyNotes));
    System.out.println("wrote " + json + " and " + out.resolve("README.md"));
  }

  private void updateReadme(String section, String body) throws IOException {
    Path readme = out.resolve("README.md");
    String old = Files.exists(readme) ? Files.readString(readme) : "";
    Files.writeString(readme, Report.replaceSection(old, section, body));
  }

  private static String forkList(Measurement m) {
    StringBuilder sb = new StringBuilder();
    for (double s : m.forkScores()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(Report.si(s, ""));
    }
    return sb.toString();
  }

  static Class<?> benchmarkClass(String simpleName) {
    try {
      return Class.forName(PACKAGE + "." + simpleName, false, BenchMain.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  static boolean hasBenchmarkMethod(Class<?> c, String method) {
    for (Method m : c.getMethods()) {
      if (m.getName().equals(method) && m.isAnnotationPresent(Benchmark.class)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code @Param} fields of a benchmark class, its superclasses and its nested state classes,
   * with their declared values (a benchmark may take states as method arguments).
   */
  static Map<String, String[]> declaredParams(Class<?> c) {
    Map<String, String[]> out = new LinkedHashMap<>();
    List<Class<?>> todo = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      todo.add(k);
      todo.addAll(List.of(k.getDeclaredClasses()));
    }
    for (Class<?> k : todo) {
      for (Field f : k.getDeclaredFields()) {
        Param p = f.getAnnotation(Param.class);
        if (p != null) {
          out.putIfAbsent(f.getName(), p.value());
        }
      }
    }
    return out;
  }

  /** Reduces a JMH result to per-fork scores, params and the GC profiler's B/op. */
  static Measurement toMeasurement(RunResult r) {
    BenchmarkParams bp = r.getParams();
    String full = bp.getBenchmark();
    String simple = full.startsWith(PACKAGE + ".") ? full.substring(PACKAGE.length() + 1) : full;
    int dot = simple.lastIndexOf('.');
    Map<String, String> params = new LinkedHashMap<>();
    for (String k : bp.getParamsKeys()) {
      params.put(k, bp.getParam(k));
    }
    List<Double> forks = new ArrayList<>();
    for (BenchmarkResult b : r.getBenchmarkResults()) {
      forks.add(b.getPrimaryResult().getScore());
    }
    double alloc = Double.NaN;
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        alloc = e.getValue().getScore();
      }
    }
    return new Measurement(simple.substring(0, dot), simple.substring(dot + 1), params, bp.getThreads(),
        forks.stream().mapToDouble(Double::doubleValue).toArray(), r.getPrimaryResult().getScoreUnit(), alloc);
  }

  /** JMH's own JSON of every result, embedded as it is. */
  private static JsonNode rawJmh(List<RunResult> all) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(all);
    }
    String s = bytes.toString(StandardCharsets.UTF_8).trim();
    return new ObjectMapper().readTree(s.isEmpty() ? "[]" : s);
  }
}
