package org.neurorl.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.cli.CliRun;

/** The {@code plot} command line (package org.neurorl.plot so that the plot tests run together). */
class PlotCommandTest {
  private static CliRun run(String... args) {
    return CliRun.plot(args);
  }

  @Test
  void helpListsTheOptionsWithTheirDefaults() {
    CliRun r = run("regret", "--help");
    assertEquals(0, r.code(), r.err());
    for (String s : new String[] {"--episodes", "default: 300", "--seed", "default: 1", "--gamma", "0.95", "--p",
        "0.25,0.75", "--agent", "bayes-optimal", "--bayes-prior", "independent", "--out", "results/figures"}) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
    assertFalse(r.err().contains("WARN"), "picocli formats the help without complaint: " + r.err());
    r = run("heatmap", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--rows") && r.out().contains("default: 101") && r.out().contains("correlated"),
        r.out());
    r = run("--help");
    assertTrue(r.out().contains("regret") && r.out().contains("heatmap"), r.out());
  }

  @Test
  void aSmallRunWritesEveryFileAndRepeatsExactly(@TempDir Path dir) throws Exception {
    String[] args = {"regret", "--episodes", "20", "--trials", "15", "--agent", "ucb1,thompson,tabular-q",
        "--width", "500", "--height", "350", "--out", dir.toString()};
    CliRun r = run(args);
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"regret.png", "regret.csv", "regret.json", "better-arm.png", "better-arm.csv",
        "better-arm.json"}) {
      assertTrue(Files.exists(dir.resolve(f)), f);
      assertTrue(r.out().contains(dir.resolve(f).toString()), r.out());
    }
    String csv = Files.readString(dir.resolve("regret.csv"));
    String json = Files.readString(dir.resolve("regret.json"));
    assertTrue(json.contains("\"command\" : \"neurorl plot regret --episodes 20") && json.contains("\"machine\""), json);
    assertEquals(0, run(args).code());
    assertEquals(csv, Files.readString(dir.resolve("regret.csv")), "same options and seed, same numbers");
    r = run("heatmap", "--rows", "11", "--trials", "10", "--agent", "gittins,latent-q", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(dir.resolve("heatmap-gittins.png")) && Files.exists(dir.resolve("heatmap-latent-q.csv"))
        && Files.exists(dir.resolve("heatmap.json")));
  }

  @Test
  void badOptionsGetOneClearLineAndExitCode2(@TempDir Path dir) {
    String out = dir.toString();
    String[][] cases = {
        {"regret", "--episodes", "1", "--out", out}, {"episodes = 1; allowed: 2 to"},
        {"regret", "--agent", "ucb1,bogus", "--out", out}, {"agent = bogus; allowed: ucb1, thompson"},
        {"regret", "--p", "0.25", "--out", out}, {"allowed: two probabilities in [0, 1]"},
        {"regret", "--task", "weird", "--out", out}, {"task = weird; allowed: independent, correlated, fixed"},
        {"regret", "--gamma", "1", "--out", out}, {"gamma = 1.0; allowed: a discount in (0, 1)"},
        {"regret", "--eta", "0", "--out", out}, {"learningRate = 0.0; allowed"},
        {"regret", "--width", "10", "--out", out}, {"width = 10; allowed: 300 to 8000"},
        {"heatmap", "--rows", "1", "--out", out}, {"rows = 1; allowed"},
        {"heatmap", "--bayes-prior", "fixed", "--out", out}, {"bayes prior = fixed; allowed: independent, correlated"},
        {"heatmap", "--trials", "500", "--out", out}, {"trials = 500; allowed"},
    };
    for (int i = 0; i < cases.length; i += 2) {
      CliRun r = run(cases[i]);
      assertEquals(2, r.code(), String.join(" ", cases[i]) + "\n" + r.out() + r.err());
      assertTrue(r.err().contains(cases[i + 1][0]), String.join(" ", cases[i]) + " -> " + r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
    CliRun r = run("regret", "--no-such-option");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
  }
}
