package org.neurorl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Measurement m(String bench, String method, Map<String, String> params, double... forks) {
    return new Measurement(bench, method, params, 1, forks, "ops/s", 0.0);
  }

  private static final int LANES = 16;

  /** A synthetic run with round numbers, so every derived figure can be checked by hand. */
  private static List<Measurement> run() {
    List<Measurement> ms = new ArrayList<>();
    // RMW main memory, 2 threads: 20 passes/s over 1 GiB -> 2 × 1 GiB × 20 = 42.9 GB/s
    ms.add(m("MachineProbes", "rmw2T", Map.of("bytes", "1073741824"), 10, 20, 30));
    ms.add(m("MachineProbes", "rmw1T", Map.of("bytes", "1073741824"), 15));
    // FMA: ops/s such that flop/s is 100e9 (1T) and 200e9 (2T)
    double fmaFlopPerOp = 2.0 * LANES * MachineProbes.FMA_CHAINS * MachineProbes.FMA_ITERATIONS;
    ms.add(m("MachineProbes", "fma1T", Map.of(), 100e9 / fmaFlopPerOp));
    ms.add(m("MachineProbes", "fma2T", Map.of(), 200e9 / fmaFlopPerOp));
    // clock 2 GHz
    ms.add(m("MachineProbes", "clock", Map.of(), 2e9 / MachineProbes.CLOCK_ADDS));
    // plastic N=128: B=64 simd 1000 ops/s, ref 40 ops/s -> 25x
    ms.add(m("PlasticRnnBenchmark", "simd", Map.of("n", "128", "batch", "64"), 900, 1000, 5000));
    ms.add(m("PlasticRnnBenchmark", "reference", Map.of("n", "128", "batch", "64"), 40));
    // B=1024: 1000 agent-steps/s ... chosen below
    ms.add(m("PlasticRnnBenchmark", "simd", Map.of("n", "128", "batch", "1024"), 1000));
    ms.add(m("PlasticRnnBenchmark", "simd", Map.of("n", "128", "batch", "1"), 1e5));
    // latent Q: 10 ops/s × 1e5 × 100 = 1e8 agent-trials/s -> 2 threads × 2e9 / 1e8 = 40 cycles
    ms.add(m("QBenchmark", "latentSimd", Map.of("batch", "100000", "trials", "100"), 10));
    ms.add(m("QBenchmark", "latentReference", Map.of("batch", "100000", "trials", "100"), 1));
    // BLAS: gemv java faster until n=16, blas from 64 on
    for (int n : new int[] {4, 16, 64, 256}) {
      double flop = 2.0 * n * n;
      ms.add(m("BlasCallBenchmark", "gemvCritical", Map.of("n", "" + n), (n >= 64 ? 20e9 : 1e9) / flop));
      ms.add(m("BlasCallBenchmark", "gemvJava", Map.of("n", "" + n), 5e9 / flop));
    }
    return ms;
  }

  @Test
  void medianOfForksIsTheScore() {
    assertEquals(20, Measurement.median(new double[] {30, 10, 20}));
    assertEquals(15, Measurement.median(new double[] {10, 20}));
    assertThrows(IllegalArgumentException.class, () -> Measurement.median(new double[0]));
  }

  @Test
  void probesConvertScoresToMachineUnits() {
    Report r = new Report(run(), LANES, 2);
    assertEquals(2.0 * (1L << 30) * 20, r.rmwMemory(2), 1e-6);
    assertEquals(100e9, r.fmaPeak(1), 1e-3);
    assertEquals(200e9, r.fmaPeak(2), 1e-3);
    assertEquals(2e9, r.clockHz(), 1e-6);
    assertTrue(Double.isNaN(r.rmwL2(1)), "an unmeasured probe is NaN, not zero");
  }

  @Test
  void plasticRatioBandwidthAndFlopFractions() {
    Report r = new Report(run(), LANES, 2);
    Report.KernelPoint p64 = r.point(KernelCatalog.PLASTIC, Map.of("n", "128", "batch", "64")).orElseThrow();
    assertEquals(64_000, p64.fastPerSecond(), 1e-9);
    assertEquals(25, p64.ratio(), 1e-12);
    Report.KernelPoint p1024 = r.point(KernelCatalog.PLASTIC, Map.of("n", "128", "batch", "1024")).orElseThrow();
    assertEquals(1024_000 * 16.0 * 128 * 128, Report.plasticBytesPerSecond(p1024), 1e-3);
    assertTrue(Double.isNaN(p1024.ratio()), "no reference cell: no ratio");
    assertEquals(4.0 * (3 * 128 + 2 * 128 * 128), p1024.stateBytesPerAgent().orElseThrow());
    List<Report.Target> t = r.targets();
    // 25x >= 20x
    assertEquals(Report.Status.MET, t.get(0).status());
    // 1024e3 × 262144 B/s = 268 GB/s over 42.9 GB/s: above 65%
    assertEquals(1024_000 * 16.0 * 128 * 128 / (2.0 * (1L << 30) * 20), t.get(1).measured(), 1e-12);
    // B = 1: 1e5 × 15 × 16384 = 24.6 GFLOP/s over 100 GFLOP/s = 24.6% -> not met
    assertEquals(1e5 * 15 * 128 * 128 / 100e9, t.get(2).measured(), 1e-12);
    assertEquals(Report.Status.NOT_MET, t.get(2).status());
    // B = 64 against the two-thread peak
    assertEquals(64_000 * 15.0 * 128 * 128 / 200e9, t.get(3).measured(), 1e-12);
  }

  @Test
  void cyclesPerAgentTrialUseThreadsAndClock() {
    assertEquals(40, Report.cyclesPerAgentTrialPerCore(1e8, 2e9, 2), 1e-12);
    Report r = new Report(run(), LANES, 2);
    Report.Target latent = r.targets().get(4);
    assertEquals(40, latent.measured(), 1e-9);
    assertEquals(Report.Status.NOT_MET, latent.status());
    assertEquals(Report.Status.NOT_MEASURED, r.targets().get(5).status(), "no tabular cells: not measured");
  }

  @Test
  void blasCrossoverIsTheSmallestOrderFromWhichBlasAlwaysWins() {
    Report r = new Report(run(), LANES, 2);
    assertEquals(64, r.crossovers().get("gemv"));
    assertNull(r.crossovers().get("gemm"), "gemm not measured");
  }

  @Test
  void markdownSaysWhatWasNotMeasured() {
    Report r = new Report(run(), LANES, 2);
    String md = r.kernelsMarkdown(Map.of("date", "2026-01-01", "cpuModel", "test cpu"),
        List.of("LstmBenchmark is not on the class path"));
    assertTrue(md.contains("| Plastic RNN step (modulated) | 128 | 64 |"), md);
    assertTrue(md.contains("25.0×"), md);
    assertTrue(md.contains("not measured"), md);
    assertTrue(md.contains("LstmBenchmark is not on the class path"), md);
    assertTrue(md.contains("sgemv n = 64"), md);
  }

  @Test
  void readmeSectionIsReplacedAndTheRestKept() {
    String first = Report.replaceSection("", "kernels", "table one");
    assertTrue(first.startsWith("# Results"));
    String withOther = first + "\nhand-written text\n";
    String second = Report.replaceSection(withOther, "kernels", "table two");
    assertTrue(second.contains("table two") && !second.contains("table one"));
    assertTrue(second.contains("hand-written text"));
    String third = Report.replaceSection(second, "latency", "lat");
    assertTrue(third.contains("table two") && third.contains("lat"));
    assertEquals(third, Report.replaceSection(third, "latency", "lat"), "idempotent");
  }

  @Test
  void siFormatting() {
    assertEquals("32.0 GB/s", Report.si(3.2e10, "B/s"));
    assertEquals("1.23 M", Report.si(1.234e6, ""));
    assertEquals("999", Report.si(999, ""));
    assertEquals("–", Report.si(Double.NaN, "B/s"));
  }
}
