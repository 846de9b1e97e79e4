package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The k-armed and reversal tasks from the command line: help, defaults, refusals, spec round trip. */
class SimulateTasksCliTest {
  private static CliRun run(String... args) {
    return CliRun.main(args);
  }

  @Test
  void helpListsTheTasksAndWhichAgentsApply() {
    CliRun r = run("simulate", "--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"--arms", "--reversal", "k-armed", "reversal", "two-armed", "bayes-optimal",
        "two arms, stationary", "gittins", "--per-agent"}) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
  }

  @Test
  void defaultAgentsAreThoseThatApplyAndTheSpecRepeats(@TempDir Path dir) throws Exception {
    CliRun r = run("simulate", "--arms", "3", "--reversal", "40,60", "--agents", "600", "--block", "256",
        "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("independent 3-armed reversal bandit (reversal at trial 40 to 60)"), r.out());
    assertTrue(r.out().contains("thompson") && !r.out().contains("gittins") && !r.out().contains("bayes"), r.out());
    String json = Files.readString(dir.resolve("summary.json"));
    assertTrue(json.contains("\"arms\" : 3") && json.contains("\"reversal\" : [ 40, 60 ]"), json);
    CliRun again = run("simulate", "--spec", dir.resolve("summary.json").toString(), "--threads", "1");
    assertEquals(0, again.code(), again.err());
    assertEquals(rows(r.out()), rows(again.out()), "the spec repeats the run (speed column aside)");
  }

  private static String rows(String out) {
    return out.lines().filter(l -> l.contains("±")).map(l -> l.substring(0, l.lastIndexOf(' ')).trim()).toList()
        .toString();
  }

  @Test
  void anAgentThatDoesNotApplyGetsOneClearLine() {
    CliRun r = run("simulate", "--agent", "bayes-optimal", "--arms", "4");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("agent = bayes-optimal does not apply to the independent 4-armed bandit"), r.err());
  }
}
