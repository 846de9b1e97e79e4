package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static CliRun run(String... args) {
    return CliRun.main(args);
  }

  @Test
  void simulatePrintsTheSummaryAndWritesARepeatableResult(@TempDir Path dir) throws Exception {
    Path outDir = dir.resolve("sim");
    CliRun r = run("simulate", "--agents", "2000", "--task", "fixed", "--p", "0.25,0.75", "--out", outDir.toString());
    Path out = outDir.resolve("summary.json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("latent-q") && r.out().contains("tabular-q") && r.out().contains("regret@100"),
        r.out());
    String json = Files.readString(out);
    assertTrue(json.contains("\"complete\" : true") && json.contains("\"spec\""), json);
    // regret_mean.npy: 6 agent types x 100 trials of float64 after a 64-byte-aligned header
    byte[] npy = Files.readAllBytes(outDir.resolve("regret_mean.npy"));
    assertEquals((byte) 0x93, npy[0]);
    int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLength) % 64);
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'shape': (6, 100)") && header.contains("'<f8'"), header);
    assertEquals(10 + headerLength + 6 * 100 * 8, npy.length);
    assertEquals(601, Files.readAllLines(outDir.resolve("curves.csv")).size());
    CliRun again = run("simulate", "--spec", out.toString(), "--threads", "1");
    assertEquals(0, again.code(), again.err());
    String rowsFirst = r.out().lines().filter(l -> l.contains("±"))
        .map(l -> l.substring(0, l.lastIndexOf(' ')).trim()).toList().toString();
    String rowsAgain = again.out().lines().filter(l -> l.contains("±"))
        .map(l -> l.substring(0, l.lastIndexOf(' ')).trim()).toList().toString();
    assertEquals(rowsFirst, rowsAgain, "the same spec repeats the same numbers (speed column aside)");
  }

  @Test
  void badInputGetsOneClearLineAndExitCode2() {
    CliRun r = run("simulate", "--agents", "10", "--eta", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("learningRate = 0.0; allowed: a rate in (0, 1]"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    r = run("simulate", "--task", "weird");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("task = weird; allowed: independent, correlated, fixed"), r.err());
  }

  @Test
  void specExcludesRunOptions(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("s.json");
    assertEquals(0, run("simulate", "--agents", "100", "--write-spec", spec.toString()).code());
    CliRun r = run("simulate", "--spec", spec.toString(), "--agents", "5");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("remove [--agents]"), r.err());
  }

  @Test
  void infoNamesTheKernelsAndOpenBlas() {
    CliRun r = run("info");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("openblas") && r.out().contains("simd"), r.out());
  }
}
