package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --per-agent}: one row per agent, consistent with the aggregates, deterministic. */
class SimulatePerAgentTest {
  private static final String[] TYPES = {"tabular-q", "ucb1", "gittins"};

  private static int run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** A 2-D float64 .npy: checks the header, returns [row][column]. */
  private static double[][] npy(Path file, int columns) throws Exception {
    byte[] b = Files.readAllBytes(file);
    assertEquals((byte) 0x93, b[0]);
    int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLength) % 64, "header aligned as NumPy writes it");
    String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'<f8'") && header.contains("False") && header.endsWith("\n"), header);
    int rows = (b.length - 10 - headerLength) / (8 * columns);
    assertTrue(header.contains("'shape': (" + rows + ", " + columns + ")"), header);
    ByteBuffer body = ByteBuffer.wrap(b, 10 + headerLength, rows * columns * 8).order(ByteOrder.LITTLE_ENDIAN);
    double[][] out = new double[rows][columns];
    for (double[] row : out) {
      for (int c = 0; c < columns; c++) {
        row[c] = body.getDouble();
      }
    }
    return out;
  }

  @Test
  void perAgentRowsAgreeWithTheAggregatesAndDoNotDependOnThreads(@TempDir Path dir) throws Exception {
    String agents = String.join(",", TYPES);
    Path a = dir.resolve("a"), b = dir.resolve("b");
    assertEquals(0, run("simulate", "--agent", agents, "--agents", "2500", "--block", "1000", "--threads", "2",
        "--per-agent", "--out", a.toString()));
    assertEquals(0, run("simulate", "--agent", agents, "--agents", "2500", "--block", "1000", "--threads", "1",
        "--per-agent", "--out", b.toString()));
    JsonNode summary = new ObjectMapper().readTree(a.resolve("summary.json").toFile());
    assertEquals("total_reward", summary.path("perAgent").path("columns").get(0).asText());
    double[][] first = null;
    for (int k = 0; k < TYPES.length; k++) {
      String type = TYPES[k];
      Path file = a.resolve("per_agent_" + type + ".npy");
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(b.resolve("per_agent_" + type + ".npy")),
          type + ": same bytes with 1 and 2 threads");
      double[][] rows = npy(file, 5);
      assertEquals(2500, rows.length, type);
      JsonNode s = summary.path("agents").get(k);
      double reward = 0, regret = 0, wrong = 0;
      for (double[] row : rows) {
        reward += row[0];
        regret += row[1];
        wrong += row[2];
        assertTrue(row[0] >= 0 && row[0] <= 100 && row[2] >= 0 && row[2] <= 100 && row[1] >= 0, type);
        assertTrue(row[3] >= 0 && row[3] <= 1 && row[4] >= 0 && row[4] <= 1, type);
      }
      int last = s.path("meanRegret").size() - 1; // the checkpoint at T = 100
      // per-agent float values summed here in a different order than the aggregates: 1e-9 relative
      assertEquals(s.path("meanRegret").get(last).asDouble(), regret / 2500, 1e-9, type + " regret at T");
      assertEquals(s.path("meanReward").asDouble(), reward / 2500 / 100, 1e-12, type + " reward");
      assertEquals(s.path("suboptimalFraction").asDouble(), wrong / 2500 / 100, 1e-12, type + " suboptimal");
      if (first == null) {
        first = rows;
        assertNotEquals(rows[0][3], rows[1][3], "episodes differ between agents");
      } else {
        for (int i = 0; i < rows.length; i++) {
          assertEquals(first[i][3], rows[i][3], "every type plays the same episodes");
          assertEquals(first[i][4], rows[i][4]);
        }
      }
      assertEquals(2501, Files.readAllLines(a.resolve("per_agent_" + type + ".csv")).size(), "CSV header + rows");
    }
    try (var files = Files.list(a)) {
      assertTrue(files.noneMatch(f -> f.toString().endsWith(".part")), "no temporary files left");
    }
  }

  @Test
  void perAgentNeedsAnOutputDirectory() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(2, Main.run("simulate", "--agents", "10", "--per-agent"));
    } finally {
      System.setErr(oldErr);
    }
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--per-agent needs --out"), err.toString());
  }
}
