package org.neurorl.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BanditSimulationTest {
  private static SimulationSpec spec(List<String> agents, long n, String task, int threads, int block) {
    return new SimulationSpec(agents, n, 100, task, new float[] {0.25f, 0.75f},
        0.1f, 5f, null, 2, 0.5f, 0.95f, new int[] {10, 50, 100}, 7, threads, block);
  }

  private static SimulationSpec spec(long agents, String task, int threads, int block) {
    return spec(List.of("latent-q", "tabular-q"), agents, task, threads, block);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    List<String> all = SimulationSpec.AGENT_TYPES;
    BanditSimulation.Result a = new BanditSimulation(spec(all, 3_000, "independent", 1, 700)).run(n -> { });
    BanditSimulation.Result b = new BanditSimulation(spec(all, 3_000, "independent", 2, 700)).run(n -> { });
    BanditSimulation.Result c = new BanditSimulation(spec(all, 3_000, "independent", 3, 700)).run(n -> { });
    for (int i = 0; i < all.size(); i++) {
      assertArrayEquals(a.agents().get(i).curveMean(), b.agents().get(i).curveMean(), 0.0, all.get(i));
      assertArrayEquals(a.agents().get(i).curveMean(), c.agents().get(i).curveMean(), 0.0, all.get(i));
      assertArrayEquals(a.agents().get(i).curveCi95(), c.agents().get(i).curveCi95(), 0.0, all.get(i));
      assertEquals(a.agents().get(i).meanReward(), c.agents().get(i).meanReward(), 0.0);
    }
  }

  @Test
  void classicAgentsRankAsTheoryPredictsOnTheIndependentPrior() {
    BanditSimulation.Result r = new BanditSimulation(
        spec(List.of("ucb1", "thompson", "bayes-optimal"), 20_000, "independent", 2, 4_096)).run(n -> { });
    double ucb = r.agents().get(0).meanRegret()[2];
    double thompson = r.agents().get(1).meanRegret()[2];
    double bayes = r.agents().get(2).meanRegret()[2];
    double ciBayes = r.agents().get(2).ci95()[2];
    // the exact table's expected regret at T = 100 under the independent prior is 1.748 (BayesOptimalPolicyTest)
    assertEquals(1.748, bayes, 2 * ciBayes + 1e-3, "Bayes-optimal regret vs its exact expectation");
    assertTrue(bayes < thompson && thompson < ucb, "bayes " + bayes + " thompson " + thompson + " ucb " + ucb);
  }

  @Test
  void learnersBeatChanceOnTheFixedBandit() {
    BanditSimulation.Result r = new BanditSimulation(spec(4_000, "fixed", 2, 4_000)).run(n -> { });
    assertTrue(r.complete());
    for (BanditSimulation.AgentSummary a : r.agents()) {
      // a coin flip has regret 0.25 per trial: 25 at trial 100; learners must do clearly better
      double chance = 25.0;
      assertTrue(a.meanRegret()[2] + a.ci95()[2] < chance * 0.8, a.agent() + " regret " + a.meanRegret()[2]);
      // regret grows with the trial and by less than 0.25 a trial
      assertTrue(a.meanRegret()[0] < a.meanRegret()[1] && a.meanRegret()[1] < a.meanRegret()[2]);
      assertEquals(4_000, a.agentsDone());
    }
  }

  @Test
  void specRoundTripsThroughJsonAndRepeatsTheRun(@TempDir Path dir) throws Exception {
    SimulationSpec s = spec(1_000, "correlated", 2, 300);
    Path file = dir.resolve("spec.json");
    Json.writeAtomically(file, s);
    SimulationSpec back = Json.readSpec(file);
    assertEquals(s, back);
    BanditSimulation.Result r1 = new BanditSimulation(s).run(n -> { });
    BanditSimulation.Result r2 = new BanditSimulation(back).run(n -> { });
    assertArrayEquals(r1.agents().get(0).meanRegret(), r2.agents().get(0).meanRegret(), 0.0);
  }

  @Test
  void badSpecsAreRefusedWithTheParameterName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SimulationSpec(List.of("ucb"), 10, 100, "independent", null, 0.1f, 5f, null, 2, 0.1f, 0.95f, null, 1, 1, 10));
    assertEquals("agent = ucb; allowed: [latent-q, tabular-q, ucb1, thompson, gittins, bayes-optimal]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "independent", null, 1.5f, 5f, null, 2, 0.1f, 0.95f, null, 1, 1, 10));
    assertEquals("learningRate = 1.5; allowed: a rate in (0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "independent", null, 0.1f, Float.NaN, null, 2, 0.1f, 0.95f, null, 1, 1, 10));
    assertEquals("beta = NaN; allowed: a finite value > 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SimulationSpec(List.of("tabular-q"), 0, 100, "independent", null, 0.1f, 5f, null, 2, 0.1f, 0.95f, null, 1, 1, 10));
    assertEquals("agents = 0; allowed: 1 to 2^40", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SimulationSpec(List.of("tabular-q"), 10, 100, "independent", null, 0.1f, 5f, null, 2, 0.1f, 0.95f,
            new int[] {50, 10}, 1, 1, 10));
    assertEquals("checkpoints = [50, 10]; allowed: ascending trials from 1 to 100", e.getMessage());
  }
}
