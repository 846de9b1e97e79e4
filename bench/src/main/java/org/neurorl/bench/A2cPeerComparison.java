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
 * run one after the other in one invocation: wall-clock seconds per update (32 episodes × 100 trials),
 * median of three repeats on each side, after a warm-up on each side. Both sides get the same thread
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
      String network = (String) c[0];
      int hidden = (Integer) c[1];
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("network", network);
      row.put("hidden", hidden);
      double javaSeconds = java(network, hidden, threads, repeats, secondsPerRepeat, row);
      JsonNode torch = torch(network, hidden, threads, repeats, javaSeconds, script, row);
      if (torch != null) {
        double torchSeconds = torch.path("medianSecondsPerUpdate").asDouble();
        row.put("torchSecondsPerUpdate", torchSeconds);
        row.put("torchEpisodesPerSecond", A2cUpdateBenchmark.BATCH / torchSeconds);
        row.put("speedup", torchSeconds / javaSeconds);
      }
      rows.add(row);
      System.out.printf(Locale.ROOT, "a2c peers %-7s N=%-3d neurorl %.1f episodes/s (%s)%s%n", network, hidden,
          A2cUpdateBenchmark.BATCH / javaSeconds, row.get("implementation"), torch == null ? ", PyTorch: "
              + row.get("torchError") : String.format(Locale.ROOT, ", PyTorch %.1f episodes/s, speed-up %.1fx",
              row.get("torchEpisodesPerSecond"), row.get("speedup")));
    }
    root.put("rows", rows);
    return root;
  }

  /** Median seconds per update of neurorl's trainer, after a warm-up of at least 3 s and 5 updates. */
  private static double java(String network, int hidden, int threads, int repeats, double secondsPerRepeat,
      Map<String, Object> row) {
    try (Parallel pool = Parallel.of(threads)) {
      A2cTrainer trainer = Networks.trainer(A2cUpdateBenchmark.config(network, hidden), pool);
      row.put("implementation", trainer.network().implementation());
      row.put("parameters", trainer.network().layout().size());
      long start = System.nanoTime();
      int warm = 0;
      while (warm < 5 || System.nanoTime() - start < 3_000_000_000L) {
        trainer.update();
        warm++;
      }
      double estimate = (System.nanoTime() - start) / 1e9 / warm;
      int perRepeat = (int) Math.max(3, Math.ceil(secondsPerRepeat / estimate));
      double[] seconds = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < perRepeat; i++) {
          trainer.update();
        }
        seconds[r] = (System.nanoTime() - t0) / 1e9 / perRepeat;
      }
      row.put("javaSecondsPerUpdateRepeats", seconds.clone());
      Arrays.sort(seconds);
      double median = seconds[repeats / 2];
      row.put("javaUpdatesPerRepeat", perRepeat);
      row.put("javaSecondsPerUpdate", median);
      row.put("javaEpisodesPerSecond", A2cUpdateBenchmark.BATCH / median);
      return median;
    }
  }

  private static JsonNode torch(String network, int hidden, int threads, int repeats, double javaSeconds, Path script,
      Map<String, Object> row) throws IOException, InterruptedException {
    // enough updates per repeat for ~2 s on the PyTorch side, guessing it is 10x slower than ours, at least 1
    int updates = (int) Math.max(1, Math.min(20, Math.ceil(2.0 / (10 * javaSeconds))));
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--network", network, "--hidden",
        Integer.toString(hidden), "--batch", Integer.toString(A2cUpdateBenchmark.BATCH), "--trials",
        Integer.toString(A2cUpdateBenchmark.TRIALS), "--updates", Integer.toString(updates), "--warmup", "1",
        "--repeats", Integer.toString(repeats), "--threads", Integer.toString(threads)));
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
    JsonNode node = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    row.put("torch", node);
    return node;
  }

  /** The README section. */
  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report, Map<String, Object> env, String torchVersion, String note) {
    StringBuilder sb = new StringBuilder();
    sb.append("### A2C update: neurorl vs PyTorch\n\n");
    sb.append(String.format(Locale.ROOT, "One whole A2C update (A2C-SPEC.md): %s episodes x %s trials of the"
        + " two-armed bandit forward step by step, loss, backpropagation through time, global-norm clipping,"
        + " Adam. Wall clock, median of %s repeats per side, both sides on %s thread(s), run one after the other"
        + " in one invocation. PyTorch %s (Debian python3-torch, `bench/peers/torch_a2c.py`, autograd, the step"
        + " loop in Python because each action feeds the next input). Command: `%s`; %s, Java %s.%n%n",
        report.get("batch"), report.get("trials"), report.get("repeats"), report.get("threads"), torchVersion,
        env.get("command"), env.get("cpuModel"), env.get("javaVersion")));
    sb.append("| network | N | parameters | neurorl implementation | neurorl episodes/s | PyTorch episodes/s | speed-up |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) report.get("rows")) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %.1f | %s | %s |%n", r.get("network"),
          r.get("hidden"), (Integer) r.get("parameters"), r.get("implementation"),
          (double) r.get("javaEpisodesPerSecond"),
          r.containsKey("torchEpisodesPerSecond") ? String.format(Locale.ROOT, "%.1f", r.get("torchEpisodesPerSecond"))
              : "n/a (" + r.get("torchError") + ")",
          r.containsKey("speedup") ? String.format(Locale.ROOT, "%.1fx", r.get("speedup")) : "n/a"));
    }
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
