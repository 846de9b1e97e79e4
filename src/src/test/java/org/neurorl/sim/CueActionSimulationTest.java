package org.neurorl.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BanditSimulation} on the cue–action task: learning curves, determinism, spec round trip, refusals. */
class CueActionSimulationTest {
  private static SimulationSpec spec(List<String> agents, long n, int trials, int threads, int block,
      CueActionSpec cue) {
    return new SimulationSpec(agents, n, trials, "cue-action", null, 0.1f, 5f, null, 2, 0.5f, 0.95f,
        new int[] {trials}, 7, threads, block, null, null, cue);
  }

  private static BanditSimulation.Result run(SimulationSpec s) {
    return new BanditSimulation(s).run(n -> { });
  }

  @Test
  void tabularQAccuracyRisesThenDipsAtTheCueReplacementAndRecovers() {
    int n = 2000, trials = 100, sw = 50;
    BanditSimulation.Result r = run(spec(List.of("tabular-q"), n, trials, 2, 512,
        new CueActionSpec(4, 2, 4, sw, 1f, -1f)));
    assertTrue(r.complete());
    BanditSimulation.CueCurves c = r.agents().get(0).cueAction();
    double[] acc = c.accuracyMean();
    double[] ci = c.accuracyCi95();
    // trial 1: every Q is 0, softmax is uniform over 4 actions, so accuracy ~ Binomial(n, 1/4) / n;
    // 4 standard errors (sqrt(0.25 * 0.75 / 2000) = 0.0097) is a bound a correct run misses with p < 1e-4
    assertEquals(0.25, acc[0], 4 * Math.sqrt(0.25 * 0.75 / n));
    // learnt: the last trial before the replacement is far above chance, outside both intervals
    assertTrue(acc[sw - 1] - ci[sw - 1] > acc[0] + ci[0] + 0.4, "rise: " + acc[0] + " -> " + acc[sw - 1]);
    // the first trial after it: half the cues are new (chance 1/4 on them), so accuracy dips by ~ a third
    assertTrue(acc[sw] + ci[sw] < acc[sw - 1] - ci[sw - 1] - 0.15, "dip: " + acc[sw - 1] + " -> " + acc[sw]);
    // and recovers as the new cues are learnt
    assertTrue(acc[trials - 1] - ci[trials - 1] > acc[sw] + ci[sw] + 0.15, "recovery: " + acc[trials - 1]);
    // regret = expected reward of the rewarded action minus that of the chosen one: 2 per wrong choice, so
    // the mean cumulative regret grows by 2 (1 - accuracy) per trial (sums of whole numbers: exact to rounding)
    double[] regret = r.agents().get(0).curveMean();
    for (int t = 0; t < trials; t++) {
      double step = regret[t] - (t == 0 ? 0 : regret[t - 1]);
      assertEquals(2 * (1 - acc[t]), step, 1e-9, "trial " + t);
      assertEquals(-1 + 2 * acc[t], c.rewardMean()[t], 1e-12);
      assertEquals(2 * ci[t], c.rewardCi95()[t], 1e-12);
    }
    double meanAccuracy = java.util.Arrays.stream(acc).average().orElseThrow();
    assertEquals(1 - meanAccuracy, r.agents().get(0).suboptimalFraction(), 1e-12);
    assertEquals(-1 + 2 * meanAccuracy, r.agents().get(0).meanReward(), 1e-12);
  }

  @Test
  void latentQLearnsToo() {
    BanditSimulation.Result r = run(spec(List.of("latent-q"), 1000, 100, 2, 1000, null));
    double[] acc = r.agents().get(0).cueAction().accuracyMean();
    // 1000 agents: standard error of an accuracy <= 0.016; 0.15 is > 9 of them
    assertTrue(acc[49] > acc[0] + 0.15, acc[0] + " -> " + acc[49]);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    CueActionSpec cue = new CueActionSpec(3, 1, 5, 20, 1f, -0.5f);
    BanditSimulation.Result one = run(spec(List.of("tabular-q", "latent-q"), 1100, 40, 1, 100, cue));
    BanditSimulation.Result three = run(spec(List.of("tabular-q", "latent-q"), 1100, 40, 3, 100, cue));
    for (int a = 0; a < 2; a++) {
      BanditSimulation.AgentSummary x = one.agents().get(a), y = three.agents().get(a);
      assertArrayEquals(x.curveMean(), y.curveMean());
      assertArrayEquals(x.curveCi95(), y.curveCi95());
      assertArrayEquals(x.cueAction().accuracyMean(), y.cueAction().accuracyMean());
      assertEquals(x.meanReward(), y.meanReward());
      assertEquals(x.suboptimalFraction(), y.suboptimalFraction());
    }
  }

  @Test
  void agentIPlaysTheSameEpisodeWhateverTheBlockSize() {
    double[][] small = perAgent(spec(List.of("latent-q"), 700, 30, 2, 64, null));
    double[][] large = perAgent(spec(List.of("latent-q"), 700, 30, 1, 700, null));
    assertArrayEquals(large[0], small[0]);
    assertEquals(700 * BanditSimulation.CUE_COLUMNS.size(), small[0].length);
  }

  /** The per-agent rows of the first agent type, in agent order. */
  private static double[][] perAgent(SimulationSpec s) {
    double[] rows = new double[(int) s.agents() * BanditSimulation.CUE_COLUMNS.size()];
    new BanditSimulation(s).run(n -> { }, (type, first, n, columns, data) ->
        System.arraycopy(data, 0, rows, (int) first * columns, n * columns));
    return new double[][] {rows};
  }

  @Test
  void specRoundTripsAndOlderSpecsReadUnchanged(@TempDir Path dir) throws Exception {
    SimulationSpec s = spec(List.of("latent-q"), 10, 80, 1, 4, new CueActionSpec(5, 3, 6, 30, 2f, -3f));
    assertEquals(6, s.arms());
    Path file = dir.resolve("cue.json");
    Json.writeAtomically(file, s);
    assertTrue(Files.readString(file).contains("\"cueAction\" : {"), Files.readString(file));
    assertEquals(s, Json.readSpec(file));
    // no cueAction given: the defaults of MODELS.md section 5, the switch at half the trials
    Files.writeString(file, Files.readString(file).replaceAll("(?s),\\s*\"cueAction\" : \\{[^}]*}", "")
        .replace("\"arms\" : 6", "\"arms\" : null"));
    SimulationSpec d = Json.readSpec(file);
    assertEquals(new CueActionSpec(4, 2, 4, 40, 1f, -1f), d.cueAction());
    // a bandit spec writes no cueAction and a spec without one (older files) reads as before
    SimulationSpec bandit = SimulationSpec.defaults();
    Json.writeAtomically(file, bandit);
    assertFalse(Files.readString(file).contains("cueAction"));
    SimulationSpec back = Json.readSpec(file);
    assertEquals(bandit, back);
    assertNull(back.cueAction());
    assertFalse(back.onCueActionTask());
  }

  @Test
  void banditStrategiesAndBanditOptionsAreRefusedWithTheReason() {
    for (String agent : List.of("ucb1", "thompson", "gittins", "bayes-optimal")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> spec(List.of("tabular-q", agent), 10, 100, 1, 10, null));
      assertTrue(e.getMessage().startsWith("agent = " + agent + " does not apply to the cue-action task ("),
          e.getMessage());
      assertTrue(e.getMessage().contains(agent.equals("ucb1") || agent.equals("thompson") ? "ignores the cue"
          : "Bernoulli arms with a Beta prior"), e.getMessage());
      assertTrue(e.getMessage().endsWith("allowed here: [latent-q, tabular-q]"), e.getMessage());
    }
    assertMessage("epsilon = 0.1", () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "cue-action", null,
        0.1f, 5f, 0.1f, 2, 0.5f, 0.95f, null, 1, 1, 10, null, null, null));
    assertMessage("reversal = [50]", () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "cue-action",
        null, 0.1f, 5f, null, 2, 0.5f, 0.95f, null, 1, 1, 10, null, new int[] {50}, null));
    assertMessage("probabilities = [0.5, 0.5]", () -> new SimulationSpec(List.of("tabular-q"), 10, 100,
        "cue-action", new float[] {0.5f, 0.5f}, 0.1f, 5f, null, 2, 0.5f, 0.95f, null, 1, 1, 10, null, null, null));
    assertMessage("arms = 3", () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "cue-action", null, 0.1f,
        5f, null, 2, 0.5f, 0.95f, null, 1, 1, 10, 3, null, null));
    assertMessage("cueAction = ", () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "independent", null,
        0.1f, 5f, null, 2, 0.5f, 0.95f, null, 1, 1, 10, null, null, CueActionSpec.defaults()));
    assertMessage("switchTrial = 100", () -> spec(List.of("tabular-q"), 10, 100, 1, 10,
        new CueActionSpec(4, 2, 4, 100, 1f, -1f)));
    assertMessage("wrongReward = 1.0", () -> new CueActionSpec(4, 2, 4, null, 1f, 1f));
    assertMessage("replacedCues = 5", () -> new CueActionSpec(4, 5, 4, null, 1f, -1f));
    assertMessage("actions = 1", () -> new CueActionSpec(4, 2, 1, null, 1f, -1f));
  }

  @Test
  void aBlowUpIsReportedNotHidden() {
    // latent Q with eta = 1 and initial values of scale 1e30: each update multiplies the values by ~1e30 or
    // more, past the float64 range within a few trials (checked: it throws within these 10 trials)
    SimulationSpec s = new SimulationSpec(List.of("latent-q"), 4, 10, "cue-action", null, 1f, 5f, null, 2, 1e30f,
        0.95f, null, 1, 1, 4, null, null, null);
    assertThrows(org.neurorl.kernel.NumericalBlowUpException.class, () -> run(s));
  }

  private static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().startsWith(start) && x.getMessage().contains("allowed"), x.getMessage());
  }
}
