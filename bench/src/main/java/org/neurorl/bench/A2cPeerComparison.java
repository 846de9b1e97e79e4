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
import org.neurorl.kernel.Parallel;
import org.neurorl.train.A2cTrainer;
import org.neurorl.train.Networks;

/**
 * neurorl's A2C update against the PyTorch peer ({@code bench/peers/torch_a2c.py}: the same network,
 * loss, clipping and Adam step, autograd, a Python step loop because each action feeds the next input),
 * in one invocation with their repeats alternating: wall-clock and CPU seconds per update (32 episodes ×
 * 100 trials), median of three repeats on each side, after a warm-up on each side. Both sides get the same thread
 * count (torch.set_num_threads and OMP/MKL/OpenBLAS variables on the PyTorch side, the worker pool on
 * ours). The PyTorch side runs under Debian's {@code /usr/bin/python3} with {@code python3-torch}; the
 * script installs it with apt-get when it is missing.
 */
final class A2cPeerComparison {
  /** The cases of the issue: the 48-unit LSTM, the plastic RNN at N = 48 and 128. */
  static final List<Object[]> CASES = List.of(new Object[] {"lstm", 48}, new Object[] {"plastic", 48},
      new Object[] {"plastic", 128});
  static final String PYTHON = "/usr/bin/python3";

  private A2cPeerComparison() {}

  static Map<String, Object> run(int threads, int repeats, double secondsPerRepeat, Path script)
      throws IOException, InterruptedException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("batch", A2cUpdateBenchmark.BATCH);
    root.put("trials", A2cUpdateBenchmark.TRIALS);
    root.put("repeats", repeats);
    root.put("threads", threads);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object[] c : CASES) {
      Map<String, Object> row = compare((String) c[0], (Integer) c[1], threads, repeats, secondsPerRepeat, script);
      rows.add(row);
      System.out.printf(Locale.ROOT, "a2c peers %-7s N=%-3d neurorl %.1f episodes/s (%s)%s%n", row.get("network"),
          row.get("hidden"), row.get("javaEpisodesPerSecond"), row.get("implementation"),
          row.containsKey("torchError") ? ", PyTorch: " + row.get("torchError")
              : String.format(Locale.ROOT, ", PyTorch %.1f episodes/s, speed-up %.1fx (CPU time %s)",
                  row.get("torchEpisodesPerSecond"), row.get("speedup"), row.containsKey("cpuSpeedup")
                      ? String.format(Locale.ROOT, "%.1fx", row.get("cpuSpeedup")) : "n/a"));
    }
    root.put("rows", rows);
    return root;
  }

  /**
   * One case. The repeats alternate (ours, PyTorch's, ours, ...) so that both sides see the same
   * phases of a shared machine's load; each PyTorch repeat is a fresh process with its own warm-up update.
   */
  private static Map<String, Object> compare(String network, int hidden, int threads, int repeats,
      double secondsPerRepeat, Path script) throws IOException, InterruptedException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("network", network);
    row.put("hidden", hidden);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean();
    try (Parallel pool = Parallel.of(threads)) {
      A2cTrainer trainer = Networks.trainer(A2cUpdateBenchmark.config(network, hidden), pool);
      row.put("implementation", trainer.network().implementation());
      row.put("parameters", trainer.network().layout().size());
      long start = System.nanoTime();
      int warm = 0;
      // long enough for C2 to compile the kernels even when its threads share a loaded machine: after 8 s
      // of LSTM updates C2 was still busy and the working thread needed 1.5-2x its steady CPU per update
      while (warm < 30 || System.nanoTime() - start < 20_000_000_000L) {
        trainer.update();
        warm++;
      }
      double estimate = (System.nanoTime() - start) / 1e9 / warm;
      int perRepeat = (int) Math.max(3, Math.ceil(secondsPerRepeat / estimate));
      // PyTorch updates per repeat: about secondsPerRepeat if it is 10x slower than ours, at least 1
      int torchUpdates = (int) Math.max(1, Math.min(20, Math.ceil(secondsPerRepeat / (10 * estimate))));
      row.put("javaUpdatesPerRepeat", perRepeat);
      row.put("torchUpdatesPerRepeat", torchUpdates);
      double[] wall = new double[repeats], cpu = new double[repeats], threadCpu = new double[repeats];
      double[] torchWall = new double[repeats], torchCpu = new double[repeats];
      List<JsonNode> torchRuns = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        long c0 = os.getProcessCpuTime();
        long tc0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < perRepeat; i++) {
          trainer.update();
        }
        wall[r] = (System.nanoTime() - t0) / 1e9 / perRepeat;
        cpu[r] = (os.getProcessCpuTime() - c0) / 1e9 / perRepeat;
        threadCpu[r] = (mx.getCurrentThreadCpuTime() - tc0) / 1e9 / perRepeat;
        if (!row.containsKey("torchError")) {
          JsonNode t = torch(network, hidden, threads, torchUpdates, script, row);
          if (t != null) {
            torchRuns.add(t);
            torchWall[r] = t.path("medianSecondsPerUpdate").asDouble();
            torchCpu[r] = t.path("medianCpuSecondsPerUpdate").asDouble();
          }
        }
      }
      row.put("javaSecondsPerUpdateRepeats", wall.clone());
      double javaWall = median(wall);
      row.put("javaSecondsPerUpdate", javaWall);
      row.put("javaEpisodesPerSecond", A2cUpdateBenchmark.BATCH / javaWall);
      // CPU seconds per update compare the work itself, nearly free of other processes' load; the JVM
      // process's CPU time (what Python's process_time is on its side) includes JIT and GC threads: the
      // conservative figure. Only meaningful with one working thread on each side.
      row.put("javaCpuSecondsPerUpdateRepeats", cpu.clone());
      row.put("javaThreadCpuSecondsPerUpdateRepeats", threadCpu);
      row.put("javaCpuSecondsPerUpdate", median(cpu));
      if (!row.containsKey("torchError")) {
        row.put("torch", torchRuns);
        row.put("torchSecondsPerUpdateRepeats", torchWall.clone());
        row.put("torchCpuSecondsPerUpdateRepeats", torchCpu.clone());
        double tw = median(torchWall);
        row.put("torchSecondsPerUpdate", tw);
        row.put("torchEpisodesPerSecond", A2cUpdateBenchmark.BATCH / tw);
        row.put("speedup", tw / javaWall);
        if (threads == 1) {
          row.put("cpuSpeedup", median(torchCpu) / median(cpu));
        }
      }
    }
    return row;
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static JsonNode torch(String network, int hidden, int threads, int updates, Path script,
      Map<String, Object> row) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--network", network, "--hidden",
        Integer.toString(hidden), "--batch", Integer.toString(A2cUpdateBenchmark.BATCH), "--trials",
        Integer.toString(A2cUpdateBenchmark.TRIALS), "--updates", Integer.toString(updates), "--warmup", "1",
        "--repeats", "1", "--threads", Integer.toString(threads)));
    row.put("torchCommand", String.join(" ", cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    for (String v : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
      pb.environment().put(v, Integer.toString(threads));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      row.put("torchError", PYTHON + " could not be started: " + e.getMessage());
      return null;
    }
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      row.put("torchError", "exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ": "
          + new String(err, StandardCharsets.UTF_8).strip());
      return null;
    }
    return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
  }

  /** The README section. */
  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report, Map<String, Object> env, String torchVersion, String note) {
    StringBuilder sb = new StringBuilder();
    sb.append("### A2C update: neurorl vs PyTorch\n\n");
    sb.append(String.format(Locale.ROOT, "One whole A2C update (A2C-SPEC.md): %s episodes x %s trials of the"
        + " two-armed bandit forward step by step, loss, backpropagation through time, global-norm clipping,"
        + " Adam. Median of %s repeats per side, both sides on %s thread(s), repeats alternating between the sides"
        + " in one invocation. PyTorch %s (Debian python3-torch, `bench/peers/torch_a2c.py`, autograd, the step"
        + " loop in Python because each action feeds the next input). Command: `%s`; %s, Java %s.%n%n",
        report.get("batch"), report.get("trials"), report.get("repeats"), report.get("threads"), torchVersion,
        env.get("command"), env.get("cpuModel"), env.get("javaVersion")));
    sb.append("| network | N | parameters | neurorl implementation | neurorl episodes/s | PyTorch episodes/s | speed-up"
        + " (wall) | speed-up (CPU time) |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) report.get("rows")) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %.1f | %s | %s | %s |%n", r.get("network"),
          r.get("hidden"), (Integer) r.get("parameters"), r.get("implementation"),
          (double) r.get("javaEpisodesPerSecond"),
          r.containsKey("torchEpisodesPerSecond") ? String.format(Locale.ROOT, "%.1f", r.get("torchEpisodesPerSecond"))
              : "n/a (" + r.get("torchError") + ")",
          r.containsKey("speedup") ? String.format(Locale.ROOT, "%.1fx", r.get("speedup")) : "n/a",
          r.containsKey("cpuSpeedup") ? String.format(Locale.ROOT, "%.1fx", r.get("cpuSpeedup")) : "n/a"));
    }
    sb.append("\nSpeed-up (wall): ratio of the median wall-clock seconds per update. Speed-up (CPU time): ratio of"
        + " the median CPU seconds per update of each process (Java's includes its JIT and GC threads), much less"
        + " sensitive to other processes on a shared machine; shown when both sides run one thread.\n");
    if (note != null && !note.isBlank()) {
      sb.append('\n').append(note).append('\n');
    }
    return sb.toString();
  }

  static Path defaultScript() {
    Path p = Path.of("bench", "peers", "torch_a2c.py");
    return Files.exists(p) ? p : Path.of("torch_a2c.py");
  }
}
