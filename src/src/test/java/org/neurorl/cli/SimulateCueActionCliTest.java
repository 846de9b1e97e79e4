package org.neurorl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neurorl simulate --task cue-action}: help, outputs, spec repeat, refusals. */
class SimulateCueActionCliTest {
  @Test
  void helpListsTheTaskItsParametersAndTheRegretDefinition() {
    CliRun r = CliRun.main("simulate", "--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"--task cue-action", "--active-cues", "--replaced-cues", "--actions",
        "--switch-trial", "--correct-reward", "--wrong-reward", "--penalty", "expected reward of the best action",
        "latent-q and tabular-q only"}) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
  }

  @Test
  void writesCurvesArraysPerAgentSummariesAndRepeatsFromItsSpec(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.main("simulate", "--task", "cue-action", "--trials", "60", "--checkpoints", "30,31,60",
        "--agents", "300", "--block", "128", "--actions", "3", "--penalty", "-0.5", "--out", dir.toString(),
        "--per-agent");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("cue-action task (4 cues, 3 actions, 2 replaced at trial 30, reward 1 / -0.5)"),
        r.out());
    assertTrue(r.out().contains("1.5 per wrong choice"), r.out());
    for (String f : new String[] {"summary.json", "curves.csv", "regret_mean.npy", "accuracy_mean.npy",
        "accuracy_ci95.npy", "reward_mean.npy", "reward_ci95.npy", "per_agent_tabular-q.npy",
        "per_agent_latent-q.csv"}) {
      assertTrue(Files.exists(dir.resolve(f)), f);
    }
    java.util.List<String> csv = Files.readAllLines(dir.resolve("curves.csv"));
    assertEquals("agent,trial,mean_cumulative_regret,ci95,accuracy,accuracy_ci95,reward,reward_ci95", csv.get(0));
    assertEquals(1 + 2 * 60, csv.size());
    java.util.List<String> perAgent = Files.readAllLines(dir.resolve("per_agent_tabular-q.csv"));
    assertEquals("agent,total_reward,regret_at_T,suboptimal_pulls,accuracy_before_switch,accuracy_after_switch",
        perAgent.get(0));
    assertEquals(301, perAgent.size());
    String json = Files.readString(dir.resolve("summary.json"));
    assertTrue(json.contains("\"task\" : \"cue-action\"") && json.contains("\"switchTrial\" : 30")
        && json.contains("\"accuracyMean\""), json);
    CliRun again = CliRun.main("simulate", "--spec", dir.resolve("summary.json").toString(), "--threads", "1");
    assertEquals(0, again.code(), again.err());
    assertEquals(rows(r.out()), rows(again.out()), "the spec repeats the run (speed column aside)");
  }

  private static String rows(String out) {
    return out.lines().filter(l -> l.contains("±") && !l.contains("trials/s"))
        .map(l -> l.contains("java-f64") ? l.substring(0, l.lastIndexOf(' ')).trim() : l.trim()).toList().toString();
  }

  @Test
  void banditAgentsAndCueOptionsElsewhereGetOneClearLine() {
    CliRun r = CliRun.main("simulate", "--task", "cue-action", "--agent", "thompson");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("agent = thompson does not apply to the cue-action task"), r.err());
    CliRun b = CliRun.main("simulate", "--actions", "5");
    assertEquals(2, b.code());
    assertTrue(b.err().contains("--actions applies to --task cue-action only"), b.err());
  }
}
