package org.neurorl.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The k-armed and reversal bandit tasks of {@code simulate}. */
class SimulationTasksTest {
  private static final List<String> KERNEL_AGENTS = List.of("latent-q", "tabular-q", "ucb1", "thompson");

  private static SimulationSpec spec(List<String> agents, long n, String task, float[] p, int threads, int block,
      int arms, int[] reversal) {
    return new SimulationSpec(agents, n, 100, task, p, 0.1f, 5f, null, 2, 0.5f, 0.95f, new int[] {50, 100}, 3,
        threads, block, arms, reversal);
  }

  /**
   * E[reward of a trial] = max p − E[regret of the trial] when the best probability stays the same (it
   * does on these tasks: a rank reversal keeps the set of probabilities), so the mean reward fraction
   * must equal max p − regret@T / T up to the Bernoulli noise of the rewards: sd ≤ sqrt(0.25 / (N·T)).
   */
  private static void rewardMatchesRegret(BanditSimulation.Result r, double maxP, long n) {
    double sd = Math.sqrt(0.25 / (n * 100.0));
    for (BanditSimulation.AgentSummary a : r.agents()) {
      double regretAtT = a.meanRegret()[a.meanRegret().length - 1];
      assertEquals(maxP - regretAtT / 100, a.meanReward(), 5 * sd, a.agent() + ": reward vs regret");
      assertEquals(n, a.agentsDone());
    }
  }

  @Test
  void kArmedRewardsAgreeWithRegretAndEveryAgentLearns() {
    long n = 2_000;
    List<String> agents = SimulationSpec.applicableAgents(3, null);
    assertEquals(List.of("latent-q", "tabular-q", "ucb1", "thompson", "gittins"), agents);
    BanditSimulation.Result r = new BanditSimulation(spec(agents, n, "fixed", new float[] {0.2f, 0.5f, 0.8f}, 2,
        700, 3, null)).run(x -> { });
    rewardMatchesRegret(r, 0.8, n);
    for (BanditSimulation.AgentSummary a : r.agents()) {
      // chance (uniform over the arms) loses (0.8 − 0.5) per trial, 30 over 100 trials
      assertTrue(a.meanRegret()[1] < 25, a.agent() + " learns: regret@100 = " + a.meanRegret()[1]);
    }
  }

  @Test
  void reversalRepeatsTheStationaryTrialsUpToTheReversalThenRegretJumps() {
    long n = 2_000;
    float[] p = {0.25f, 0.75f};
    int r = 60;
    BanditSimulation.Result stationary = new BanditSimulation(spec(KERNEL_AGENTS, n, "fixed", p, 2, 700, 2, null))
        .run(x -> { });
    BanditSimulation.Result reversal = new BanditSimulation(spec(KERNEL_AGENTS, n, "fixed", p, 2, 700, 2,
        new int[] {r})).run(x -> { });
    rewardMatchesRegret(reversal, 0.75, n);
    for (int k = 0; k < KERNEL_AGENTS.size(); k++) {
      double[] s = stationary.agents().get(k).curveMean(), v = reversal.agents().get(k).curveMean();
      String agent = KERNEL_AGENTS.get(k);
      // the agents' streams and the fixed probabilities are the same, so trials 1..r are the same trials
      for (int t = 0; t < r; t++) {
        assertEquals(s[t], v[t], 0.0, agent + " before the reversal, trial " + (t + 1));
      }
      double before = v[r - 1] - v[r - 2], after = v[r] - v[r - 1];
      // after 60 trials every agent mostly pulls the 0.75 arm, which pays 0.25 from trial r + 1 on
      assertTrue(after > 0.25 && after > 3 * before, agent + ": per-trial regret " + before + " -> " + after);
    }
  }

  @Test
  void reversalRangeResultsDoNotDependOnTheThreadCountAndRoundTripThroughJson(@TempDir Path dir) throws Exception {
    SimulationSpec s = spec(KERNEL_AGENTS, 2_000, "independent", null, 1, 700, 3, new int[] {20, 80});
    Path file = dir.resolve("spec.json");
    Json.writeAtomically(file, s);
    SimulationSpec back = Json.readSpec(file);
    assertEquals(s, back);
    assertEquals(3, back.arms());
    assertArrayEquals(new int[] {20, 80}, back.reversal());
    BanditSimulation.Result one = new BanditSimulation(s).run(x -> { });
    BanditSimulation.Result three = new BanditSimulation(new SimulationSpec(s.agentTypes(), s.agents(), s.trials(),
        s.task(), s.probabilities(), s.learningRate(), s.beta(), s.epsilon(), s.latentUnits(), s.initScale(),
        s.gittinsDiscount(), s.checkpoints(), s.seed(), 3, s.blockAgents(), s.arms(), s.reversal())).run(x -> { });
    for (int k = 0; k < KERNEL_AGENTS.size(); k++) {
      assertArrayEquals(one.agents().get(k).curveMean(), three.agents().get(k).curveMean(), 0.0);
      assertArrayEquals(one.agents().get(k).curveCi95(), three.agents().get(k).curveCi95(), 0.0);
      assertEquals(one.agents().get(k).meanReward(), three.agents().get(k).meanReward(), 0.0);
    }
    SimulationSpec oldStyle = new SimulationSpec(List.of("ucb1"), 10, 100, "independent", null, 0.1f, 5f, null, 2,
        0.5f, 0.95f, null, 1, 1, 10);
    assertEquals(2, oldStyle.arms(), "specs without arms (older JSON) are two-armed");
  }

  @Test
  void agentsAndTasksThatDoNotGoTogetherAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("bayes-optimal"), 10, "independent", null, 1, 10, 3, null));
    assertEquals("agent = bayes-optimal does not apply to the independent 3-armed bandit (its exact dynamic"
        + " programme is for two arms); allowed here: [latent-q, tabular-q, ucb1, thompson, gittins]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("gittins"), 10, "independent", null, 1, 10, 2, new int[] {50}));
    assertTrue(e.getMessage().startsWith("agent = gittins does not apply to the independent two-armed reversal"
        + " bandit (reversal at trial 50)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("ucb1"), 10, "correlated", null, 1, 10, 3, null));
    assertEquals("arms = 3; allowed: 2 with the correlated task (p2 = 1 - p1)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("ucb1"), 10, "fixed", new float[] {0.1f, 0.9f}, 1, 10, 3, null));
    assertTrue(e.getMessage().startsWith("probabilities = [0.1, 0.9]; allowed: 3 probabilities"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("ucb1"), 10, "independent", null, 1, 10, 9, null));
    assertEquals("arms = 9; allowed: 2 to 8", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("ucb1"), 10, "independent", null, 1, 10, 2, new int[] {0, 50}));
    assertTrue(e.getMessage().startsWith("reversal = [0, 50]; allowed:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> spec(List.of("ucb1"), 10, "independent", null, 1, 10, 2, new int[] {100}));
    assertTrue(e.getMessage().contains("trials - 1 = 99"), e.getMessage());
  }
}
