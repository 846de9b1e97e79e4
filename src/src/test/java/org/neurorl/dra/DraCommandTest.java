package org.neurorl.dra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.cli.Main;

/** A tiny end-to-end run of {@code neurorl dra}: every output is written and bad options are refused. */
class DraCommandTest {
  @Test
  void tinyStudyWritesJsonFiguresAndConclusion(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{\"fitLambdas\": [0.01], \"fitBetas\": [4], \"fitAlphas\": [0.3, 1, 3],"
        + " \"mazeMaxSteps\": 30, \"mazeRolloutSteps\": 10}");
    int code = Main.run("dra", "--spec", spec.toString(), "--agents", "6", "--trials", "12", "--lambdas", "0.01",
        "--alphas", "0.5", "--maze-agents", "3", "--maze-episodes", "4", "--bootstrap", "20", "--threads", "1",
        "--out", dir.toString());
    assertEquals(0, code);
    for (String f : new String[] {"dra.json", "CONCLUSION.md", "accuracy-frequency.png", "entropy-stakes.png",
        "sigma-stakes.png", "fit-softq-frequency.png", "maze-steps.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 100, f);
    }
    String md = Files.readString(dir.resolve("CONCLUSION.md"));
    assertTrue(md.contains("Soft Q fitted to each agent") && md.contains("Maze"), md);
    assertEquals(2, Main.run("dra", "--agents", "1", "--out", dir.toString()));
  }

  /** The defaults --help states are the ones the study uses. */
  @Test
  void helpStatesTheSpecDefaults() {
    String help = new picocli.CommandLine(new org.neurorl.cli.Main()).getSubcommands().get("dra").getUsageMessage();
    DraSpec d = DraSpec.defaults();
    assertTrue(help.contains("(default: " + d.agents() + ")"), help);
    assertTrue(help.contains("(default: " + d.trials() + ")"), help);
    assertTrue(help.contains("(default: " + d.mazeAgents() + ")"), help);
    assertTrue(help.contains("(default: " + d.mazeEpisodes() + ")"), help);
    assertTrue(help.contains("(default: " + d.bootstrap() + ")"), help);
    assertTrue(help.contains("(default: " + d.psi() + ")"), help);
    String lambdas = String.join(",", d.lambdas().stream().map(x -> new java.math.BigDecimal(x.toString())
        .stripTrailingZeros().toPlainString()).toList());
    assertTrue(help.replaceAll("\\s+", " ").contains("(default: " + lambdas + ")"), lambdas + " in " + help);
  }
}
