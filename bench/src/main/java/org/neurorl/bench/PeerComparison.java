package org.neurorl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.neurorl.sim.BanditSimulation;
import org.neurorl.sim.SimulationSpec;

/**
 * neurorl against a NumPy implementation of the same bandit simulation ({@code bench/peers/numpy_bandits.py}),
 * run side by side in one invocation so machine noise hits both: agent-trials per second end to end
 * (the whole simulation with its regret bookkeeping, not just the kernel), median of repeats, and the
 * mean regret at the last trial from both, which must agree within Monte-Carlo error (it shows the two
 * simulate the same thing).
 */
final class PeerComparison {
  /** Agents with a NumPy twin in the peer script, then the table-driven agents measured on our side only. */
  static final List<String> AGENTS =
      List.of("tabular-q", "latent-q", "ucb1", "thompson", "gittins", "bayes-optimal");

  private PeerComparison() {}

  /** Runs both sides and returns the report (also the JSON written by BenchMain). */
  static Map<String, Object> run(long agents, int trials, int repeats, int threads, Path script)
      throws IOException, InterruptedException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("agents", agents);
    root.put("trials", trials);
    root.put("repeats", repeats);
    root.put("javaThreads", threads);
    root.put("loadAverageBefore", loadAverage());
    JsonNode numpy = runNumpy(agents, trials, repeats, script, root);
    Map<String, Object> rows = new LinkedHashMap<>();
    // warm the JIT on a small run first, so the timed runs measure compiled code
    simulate(AGENTS, Math.min(agents, 200_000), trials, threads, 99); // also builds or loads the tables
    for (String agent : AGENTS) {
      double[] rates = new double[repeats];
      double[] cpuRates = new double[repeats];
      double regret = 0;
      for (int r = 0; r < repeats; r++) {
        long c0 = processCpuNanos();
        BanditSimulation.AgentSummary s = simulate(List.of(agent), agents, trials, threads, 1 + r).agents().get(0);
        long cpu = processCpuNanos() - c0;
        rates[r] = s.agentTrialsPerSecond();
        cpuRates[r] = cpu > 0 ? agents * (double) trials / (cpu * 1e-9) : Double.NaN;
        regret += s.meanRegret()[0] / repeats;
      }
      Arrays.sort(rates);
      Arrays.sort(cpuRates);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("neurorlAgentTrialsPerSecond", rates[repeats / 2]);
      row.put("neurorlAgentTrialsPerCpuSecond", cpuRates[repeats / 2]);
      row.put("neurorlMeanRegretAtT", regret);
      if (numpy != null && numpy.path("results").has(agent)) {
        JsonNode n = numpy.path("results").path(agent);
        double numpyRate = n.path("agent_trials_per_second").asDouble();
        row.put("numpyAgentTrialsPerSecond", numpyRate);
        row.put("numpyMeanRegretAtT", n.path("mean_regret_at_T").asDouble());
        row.put("speedup", rates[repeats / 2] / numpyRate);
        double numpyCpu = n.path("agent_trials_per_cpu_second").asDouble(Double.NaN);
        if (!Double.isNaN(numpyCpu)) {
          row.put("numpyAgentTrialsPerCpuSecond", numpyCpu);
          row.put("cpuSpeedup", cpuRates[repeats / 2] / numpyCpu);
        }
      }
      rows.put(agent, row);
      System.out.printf(Locale.ROOT, "peers %-10s neurorl %.3g agent-trials/s%s%n", agent, rates[repeats / 2],
          row.containsKey("speedup") ? String.format(Locale.ROOT, ", NumPy %.3g, speed-up %.1fx",
              row.get("numpyAgentTrialsPerSecond"), row.get("speedup")) : "");
    }
    root.put("rows", rows);
    root.put("loadAverageAfter", loadAverage());
    return root;
  }

  /** CPU time of this process (all its threads, JIT and GC included), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The 1-minute load average of the machine (other jobs share it), or NaN where unknown. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static BanditSimulation.Result simulate(List<String> agents, long n, int trials, int threads, long seed) {
    SimulationSpec d = SimulationSpec.defaults();
    SimulationSpec spec = new SimulationSpec(agents, n, trials, "independent", d.probabilities(), d.learningRate(),
        d.beta(), null, d.latentUnits(), d.initScale(), d.gittinsDiscount(), new int[] {trials}, seed, threads,
        d.blockAgents());
    return new BanditSimulation(spec).run(x -> { });
  }

  private static JsonNode runNumpy(long agents, int trials, int repeats, Path script, Map<String, Object> root)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--agents", Long.toString(agents),
        "--trials", Integer.toString(trials), "--repeats", Integer.toString(repeats)));
    root.put("numpyCommand", String.join(" ", cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    // one BLAS/OpenMP thread: the NumPy code is elementwise, and the comparison is per process
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      root.put("numpyError", "python3 could not be started: " + e.getMessage());
      return null;
    }
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      root.put("numpyError", "exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ": "
          + new String(err, StandardCharsets.UTF_8).strip());
      return null;
    }
    JsonNode node = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    root.put("numpy", node);
    return node;
  }

  /** The README section. */
  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report, Map<String, Object> env) {
    StringBuilder sb = new StringBuilder();
    sb.append("### neurorl vs NumPy: bandit simulations end to end\n\n");
    sb.append(String.format(Locale.ROOT, "%,d agents x %d trials, independent two-armed bandit, median of %d runs;"
        + " neurorl on %d threads, NumPy on one (its elementwise operations are single-threaded). Command: `%s`;"
        + " %s, %s.%n%n", report.get("agents"), report.get("trials"), report.get("repeats"),
        report.get("javaThreads"), env.get("command"), env.get("cpuModel"), "Java " + env.get("javaVersion")));
    if (report.containsKey("numpyError")) {
      sb.append("NumPy side not run: ").append(report.get("numpyError")).append("\n\n");
    }
    sb.append(String.format(Locale.ROOT, "Load average of the machine (shared with other jobs, %s cores): %.1f"
        + " before, %.1f after. Wall-clock rates count the time a process waited for a core; the per-CPU-second"
        + " columns count only the CPU time each process got (neurorl's over its 2 threads, so their ratio is"
        + " per core, not the parallel speed-up).%n%n", Runtime.getRuntime().availableProcessors(),
        report.getOrDefault("loadAverageBefore", Double.NaN), report.getOrDefault("loadAverageAfter", Double.NaN)));
    sb.append("| agent | neurorl agent-trials/s | NumPy agent-trials/s | speed-up | per CPU-second: neurorl | NumPy"
        + " | ratio | regret@T neurorl | regret@T NumPy |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    Map<String, Object> rows = (Map<String, Object>) report.get("rows");
    for (var e : rows.entrySet()) {
      Map<String, Object> r = (Map<String, Object>) e.getValue();
      sb.append(String.format(Locale.ROOT, "| %s | %.3g | %s | %s | %s | %s | %s | %.3f | %s |%n", e.getKey(),
          (double) r.get("neurorlAgentTrialsPerSecond"),
          r.containsKey("numpyAgentTrialsPerSecond") ? String.format(Locale.ROOT, "%.3g", r.get("numpyAgentTrialsPerSecond")) : "n/a",
          r.containsKey("speedup") ? String.format(Locale.ROOT, "%.1fx", r.get("speedup")) : "n/a",
          r.containsKey("neurorlAgentTrialsPerCpuSecond") ? String.format(Locale.ROOT, "%.3g", r.get("neurorlAgentTrialsPerCpuSecond")) : "n/a",
          r.containsKey("numpyAgentTrialsPerCpuSecond") ? String.format(Locale.ROOT, "%.3g", r.get("numpyAgentTrialsPerCpuSecond")) : "n/a",
          r.containsKey("cpuSpeedup") ? String.format(Locale.ROOT, "%.1fx", r.get("cpuSpeedup")) : "n/a",
          (double) r.get("neurorlMeanRegretAtT"),
          r.containsKey("numpyMeanRegretAtT") ? String.format(Locale.ROOT, "%.3f", r.get("numpyMeanRegretAtT")) : "n/a"));
    }
    sb.append("\nThe regret columns agree within Monte-Carlo error: both sides simulate the same agents on the same"
        + " task (different random streams). Gittins (γ = 0.95) and the Bayes-optimal policy have no NumPy twin;"
        + " their rows give neurorl's end-to-end speed (table look-ups, tables built once and cached).\n");
    return sb.toString();
  }

  static Path defaultScript() {
    Path p = Path.of("bench", "peers", "numpy_bandits.py");
    return Files.exists(p) ? p : Path.of("numpy_bandits.py");
  }
}
