package org.neurorl.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.cli.FitCommand;
import org.neurorl.sim.Json;
import picocli.CommandLine;

class FitCommandTest {
  private record Run(int code, String out, String err) {}

  /** Runs the command the way Main does: bad input is one line on stderr and exit code 2. */
  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new FitCommand());
      cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
      cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
        if (e instanceof IllegalArgumentException) {
          cmd.getErr().println("neurorl fit: " + e.getMessage());
          return 2;
        }
        throw e;
      });
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
    }
  }

  private static List<String> rows(String out) {
    return out.lines().filter(l -> l.startsWith("agent-")).toList();
  }

  @Test
  void simulateThenFitRecoversTheTruthWhateverTheThreads(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("fit.json");
    Run r = run("--simulate", "--eta", "0.3", "--beta", "4", "--trials", "4000", "--seed", "1", "--subjects", "3",
        "--threads", "2", "--out", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("truth eta 0.3, beta 4.0") && r.out().contains("eta +- SE"), r.out());
    JsonNode root = Json.MAPPER.readTree(json.toFile());
    assertEquals(3, root.get("subjects").size());
    for (JsonNode s : root.get("subjects")) {
      // 3 SE, as in QFitTest; fixed seed, so deterministic.
      assertTrue(Math.abs(s.get("eta").asDouble() - 0.3) <= 3 * s.get("etaStandardError").asDouble(), s.toString());
      assertTrue(Math.abs(s.get("beta").asDouble() - 4) <= 3 * s.get("betaStandardError").asDouble(), s.toString());
      assertTrue(s.get("nllAtTruth").asDouble() >= s.get("nll").asDouble(), s.toString());
      assertEquals(0, s.get("warnings").size());
    }
    Run one = run("--simulate", "--eta", "0.3", "--beta", "4", "--trials", "4000", "--seed", "1", "--subjects", "3",
        "--threads", "1");
    assertEquals(rows(r.out()), rows(one.out()), "same table with 1 and 2 threads");
    assertEquals(3, rows(one.out()).size());
  }

  @Test
  void csvFitMatchesTheApiAndWritesNullForMissingStandardErrors(@TempDir Path dir) throws Exception {
    ChoiceData a = QSimulation.simulate("sA", 2, 1, 2, 500, 0.4, 5, 0, QSimulation.Schedule.reversal(100, 0.2, 0.8), 3, 0);
    ChoiceData flat = ChoiceData.of("sFlat", 2, new int[] {0, 1, 0, 1}, new double[4]);
    Path csv = dir.resolve("in.csv"), json = dir.resolve("fit.json");
    ChoiceCsv.write(csv, List.of(a, flat));
    Run r = run("--csv", csv.toString(), "--out", json.toString(), "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("warning: sFlat: Hessian not positive definite"), r.out());
    JsonNode s = Json.MAPPER.readTree(json.toFile()).get("subjects");
    FitResult expected = QFit.fit(a, FitOptions.defaults());
    assertEquals("sA", s.get(0).get("subject").asText());
    assertEquals(expected.eta(), s.get(0).get("eta").asDouble(), 0);
    assertEquals(expected.betaStandardError(), s.get(0).get("betaStandardError").asDouble(), 0);
    assertEquals(2, s.get(0).get("sessions").asInt());
    assertTrue(s.get(1).get("etaStandardError").isNull(), s.get(1).toString());
    assertFalse(s.get(1).get("hessianPositiveDefinite").asBoolean());
  }

  @Test
  void badInputGetsOneClearLine(@TempDir Path dir) throws Exception {
    Run r = run();
    assertEquals(2, r.code());
    assertEquals("neurorl fit: give exactly one of --csv FILE or --simulate", r.err().trim());
    Path csv = dir.resolve("x.csv");
    Files.writeString(csv, "action,reward\n0,1\n3,zero\n");
    r = run("--csv", csv.toString());
    assertEquals(2, r.code());
    assertEquals("neurorl fit: " + csv + ": line 3, column reward = \"zero\"; allowed: a finite number", r.err().trim());
    r = run("--csv", csv.toString(), "--eta", "0.2");
    assertEquals(2, r.code());
    assertEquals("neurorl fit: [--eta] only apply to --simulate; allowed with --csv: --actions, --beta-max, "
        + "--initial-value, --starts, --threads, --out", r.err().trim());
    r = run("--simulate", "--eta", "1.5");
    assertEquals(2, r.code());
    assertEquals("neurorl fit: learningRate (eta) = 1.5; allowed: a rate in (0, 1]", r.err().trim());
    r = run("--simulate", "--beta-max", "-1");
    assertEquals(2, r.code());
    assertEquals("neurorl fit: betaMax = -1.0; allowed: a finite number >= 0.01", r.err().trim());
  }
}
