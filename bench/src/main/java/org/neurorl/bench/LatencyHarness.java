package org.neurorl.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.neurorl.nativeblas.OpenBlas;

/**
 * Single-call latency as a front end sees it: one thread calls one subject at a time, each call timed
 * with {@link System#nanoTime()} and recorded in an HdrHistogram (3 significant digits). After a
 * warm-up long enough for C2 to compile the call, the harness records a fixed number of calls or until
 * a time limit, whichever comes first, then runs the subject's validity check.
 *
 * <p>Kernel subjects come from the class {@value #KERNEL_SUBJECTS} when it is on the class path (it is
 * written against the kernel APIs); two built-in subjects are always measured: an empty call (the cost
 * of timing itself, to subtract mentally from the others) and one OpenBLAS {@code sgemv} at N = 128
 * (the downcall a B = 1 step makes), when OpenBLAS is loaded.
 */
public final class LatencyHarness {
  /** Provider of the kernel subjects, loaded by name so the harness compiles without the kernels. */
  public static final String KERNEL_SUBJECTS = "org.neurorl.bench.KernelLatencySubjects";

  /**
   * Latency of one subject, in nanoseconds.
   *
   * @param name subject name
   * @param count recorded calls
   * @param p50 median
   * @param p99 99th percentile
   * @param p999 99.9th percentile
   * @param max largest
   * @param mean mean
   */
  public record Result(String name, long count, long p50, long p99, long p999, long max, double mean) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("count", count);
      m.put("p50Nanos", p50);
      m.put("p99Nanos", p99);
      m.put("p999Nanos", p999);
      m.put("maxNanos", max);
      m.put("meanNanos", mean);
      return m;
    }
  }

  /**
   * Settings.
   *
   * @param warmupSeconds time spent calling before recording
   * @param maxCalls recorded calls at most
   * @param maxSeconds recording time at most
   */
  public record Settings(double warmupSeconds, long maxCalls, double maxSeconds) {
    public Settings {
      if (!(warmupSeconds >= 0) || maxCalls < 1 || !(maxSeconds > 0)) {
        throw new IllegalArgumentException("warmupSeconds = " + warmupSeconds + ", maxCalls = " + maxCalls
            + ", maxSeconds = " + maxSeconds + "; allowed: warmupSeconds >= 0, maxCalls >= 1, maxSeconds > 0");
      }
    }

    public static Settings quick() {
      return new Settings(2.0, 200_000, 4.0);
    }

    public static Settings full() {
      return new Settings(5.0, 2_000_000, 20.0);
    }
  }

  private LatencyHarness() {}

  /** Measures one subject. */
  public static Result measure(LatencySubject s, Settings settings) {
    long warmEnd = System.nanoTime() + (long) (settings.warmupSeconds() * 1e9);
    do {
      for (int i = 0; i < 100; i++) {
        s.call();
        s.untimed();
      }
    } while (System.nanoTime() < warmEnd);
    // 1 ns to 100 s, 3 significant digits: about 0.1% resolution at every scale.
    Histogram h = new Histogram(1, 100_000_000_000L, 3);
    long end = System.nanoTime() + (long) (settings.maxSeconds() * 1e9);
    long n = 0;
    while (n < settings.maxCalls()) {
      long t0 = System.nanoTime();
      s.call();
      long t1 = System.nanoTime();
      h.recordValue(Math.max(1, t1 - t0));
      s.untimed();
      n++;
      if (t1 > end) {
        break;
      }
    }
    s.check();
    return new Result(s.name(), h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean());
  }

  /** The built-in subjects plus the kernels' subjects when {@value #KERNEL_SUBJECTS} is present. */
  public static List<LatencySubject> subjects(List<String> notes) {
    List<LatencySubject> out = new ArrayList<>(builtIn());
    try {
      Class<?> c = Class.forName(KERNEL_SUBJECTS, true, LatencyHarness.class.getClassLoader());
      LatencySubject.Provider p = (LatencySubject.Provider) c.getConstructor().newInstance();
      out.addAll(p.subjects());
    } catch (ClassNotFoundException e) {
      notes.add("kernel latency subjects not measured: " + KERNEL_SUBJECTS + " is not on the class path");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      notes.add("kernel latency subjects not measured: " + KERNEL_SUBJECTS + " failed: " + e);
    }
    return out;
  }

  /** Subjects that need no kernel: the timer's own cost and one sgemv downcall. */
  public static List<LatencySubject> builtIn() {
    List<LatencySubject> out = new ArrayList<>();
    out.add(new LatencySubject() {
      @Override
      public String name() {
        return "empty call (timer overhead)";
      }

      @Override
      public void call() {}
    });
    OpenBlas.get().ifPresent(blas -> out.add(new LatencySubject() {
      final int n = 128;
      final float[] a = new float[n * n];
      final float[] x = new float[n];
      final float[] y = new float[n];

      {
        for (int i = 0; i < a.length; i++) {
          a[i] = (i % 7 - 3) / 7f;
        }
        java.util.Arrays.fill(x, 0.5f);
      }

      @Override
      public String name() {
        return "OpenBLAS sgemv N=128 (critical downcall)";
      }

      @Override
      public void call() {
        blas.sgemv(false, n, n, 1f, a, 0, n, x, 0, 1, 0f, y, 0, 1);
      }

      @Override
      public void check() {
        for (float v : y) {
          if (!Float.isFinite(v)) {
            throw new IllegalStateException("sgemv produced " + v);
          }
        }
      }
    }));
    return out;
  }

  /** The latency section of results/README.md (without its markers). */
  public static String markdown(List<Result> results, Map<String, Object> environment, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("## Single-call latency (").append(environment.getOrDefault("date", "?")).append(")\n\n");
    md.append("One thread, one call at a time, B = 1, as a front end calls; HdrHistogram of `System.nanoTime()`"
        + " differences after warm-up. Produced by `").append(environment.getOrDefault("command", "?"))
        .append("` on ").append(environment.get("cpuModel")).append(", ").append(environment.get("javaVendor"))
        .append(' ').append(environment.get("javaVersion")).append("; raw numbers in `")
        .append(environment.getOrDefault("latencyFile", "?")).append("`.\n\n");
    md.append("| call | calls | p50 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      md.append("| ").append(r.name()).append(" | ").append(r.count()).append(" | ").append(micros(r.p50()))
          .append(" | ").append(micros(r.p99())).append(" | ").append(micros(r.p999())).append(" | ")
          .append(micros(r.max())).append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  /** Nanoseconds shown in microseconds with three significant digits. */
  static String micros(long nanos) {
    double us = nanos / 1000.0;
    String f = us >= 100 ? "%.0f µs" : us >= 10 ? "%.1f µs" : "%.2f µs";
    return String.format(Locale.ROOT, f, us);
  }
}
