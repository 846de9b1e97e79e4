package org.neurorl.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.bandit.BanditRunner;
import org.neurorl.env.BanditPrior;
import org.neurorl.sim.BanditSimulation;

class RegretComparisonTest {
  /** Small enough to run in a second or two; long enough that the agents differ. */
  static final int EPISODES = 60;
  static final int TRIALS = 30;
  static RegretComparison.Options options;
  static RegretComparison.Result result;

  @BeforeAll
  static void compute() {
    FigureAgents agents = new FigureAgents(FigureAgents.ALL, 0.95, BanditPrior.INDEPENDENT, 0.1f, 5f, 2, 0.1f);
    options = new RegretComparison.Options(agents, EPISODES, TRIALS, BanditPrior.FIXED, new float[] {0.25f, 0.75f},
        7, 1);
    result = RegretComparison.compute(options);
  }

  private static RegretComparison.AgentCurves curves(String agent) {
    return result.agents().stream().filter(a -> a.agent().equals(agent)).findFirst().orElseThrow();
  }

  @Test
  void plottedRegretIsExactlyTheRunnersRegret() {
    assertEquals(FigureAgents.ALL, result.agents().stream().map(RegretComparison.AgentCurves::agent).toList());
    for (String agent : List.of("gittins", "bayes-optimal")) {
      BanditRunner.RegretCurve runner = BanditRunner.run(RegretComparison.runnerSetup(options),
          options.agents().classicFactory(agent, TRIALS, options.seed()));
      TrialCurve plotted = curves(agent).cumulativeRegret();
      assertArrayEquals(runner.meanCumulativeRegret(), plotted.mean(), 0.0, agent);
      assertArrayEquals(runner.ci95(), plotted.ci95(), 0.0, agent);
      assertEquals(EPISODES, plotted.samples());
    }
    // UCB1 and Thompson included: a figure shows exactly what simulate computes for the same seed
    assertEquals(List.of("tabular-q", "latent-q", "ucb1", "thompson"), FigureAgents.KERNEL_AGENTS);
    for (String agent : FigureAgents.KERNEL_AGENTS) {
      BanditSimulation.AgentSummary sim = new BanditSimulation(RegretComparison.simulationSpec(options, agent))
          .run(n -> { }).agents().get(0);
      TrialCurve plotted = curves(agent).cumulativeRegret();
      assertArrayEquals(sim.meanRegret(), plotted.mean(), 0.0, agent);
      assertArrayEquals(sim.ci95(), plotted.ci95(), 0.0, agent);
    }
  }

  /**
   * On (0.25, 0.75) a trial's expected regret is 0.5 when the worse arm is chosen and 0 otherwise, so
   * mean cumulative regret at t must equal Σ_{k ≤ t} 0.5 · (1 − P(better arm at k)). This ties the
   * better-arm curve (recorded actions) to the regret curve (the runner's own accumulation): they come
   * from the same trajectories. Classic agents: exact up to double rounding (1e-12). Kernel agents
   * accumulate regret in float32 (SIMD), 2⁻²⁴ relative per add: 1e-5 · t is a wide bound.
   */
  @Test
  void betterArmCurveComesFromTheSameTrajectoriesAsTheRegret() {
    for (RegretComparison.AgentCurves a : result.agents()) {
      double[] regret = a.cumulativeRegret().mean();
      double[] better = a.betterArm().mean();
      double sum = 0;
      for (int t = 0; t < TRIALS; t++) {
        sum += 0.5 * (1 - better[t]);
        double tolerance = FigureAgents.runsInKernel(a.agent()) ? 1e-5 * (t + 1) : 1e-12 * (t + 1);
        assertEquals(sum, regret[t], tolerance, a.agent() + " trial " + (t + 1));
      }
    }
  }

  @Test
  void theAgentsAreRankedAsTheTheoryExpects() {
    // first trial: the deterministic index agents play arm 1 (the worse one here): regret 0.5 exactly
    for (String agent : List.of("ucb1", "gittins", "bayes-optimal")) {
      assertEquals(0.5, curves(agent).cumulativeRegret().mean()[0], 0.0, agent);
    }
    double gittins = curves("gittins").cumulativeRegret().mean()[TRIALS - 1];
    double ucb = curves("ucb1").cumulativeRegret().mean()[TRIALS - 1];
    assertTrue(gittins < ucb, "Gittins " + gittins + " should beat UCB1 " + ucb);
  }

  @Test
  void kernelCurvesDoNotDependOnTheThreadCount() {
    FigureAgents q = new FigureAgents(FigureAgents.KERNEL_AGENTS, 0.95, BanditPrior.INDEPENDENT, 0.1f, 5f, 2, 0.1f);
    RegretComparison.Result one = RegretComparison.compute(new RegretComparison.Options(q, EPISODES, TRIALS,
        BanditPrior.INDEPENDENT, null, 3, 1));
    RegretComparison.Result two = RegretComparison.compute(new RegretComparison.Options(q, EPISODES, TRIALS,
        BanditPrior.INDEPENDENT, null, 3, 2));
    for (int i = 0; i < FigureAgents.KERNEL_AGENTS.size(); i++) {
      assertArrayEquals(one.agents().get(i).cumulativeRegret().mean(), two.agents().get(i).cumulativeRegret().mean(), 0.0);
      assertArrayEquals(one.agents().get(i).betterArm().mean(), two.agents().get(i).betterArm().mean(), 0.0);
    }
  }

  @Test
  void writesPngsThatDecodeAndCsvsThatHoldThePlottedNumbers(@TempDir Path dir) throws Exception {
    List<Path> files = RegretComparison.writeRegret(result, dir, 640, 420, Map.of("command", "test"));
    files = new java.util.ArrayList<>(files);
    files.addAll(RegretComparison.writeBetterArm(result, dir, 640, 420, Map.of("command", "test")));
    for (String name : List.of("regret", "better-arm")) {
      BufferedImage image = ImageIO.read(dir.resolve(name + ".png").toFile());
      assertNotNull(image, name + ".png decodes");
      assertEquals(640, image.getWidth());
      assertEquals(420, image.getHeight());
      assertTrue(Files.size(dir.resolve(name + ".json")) > 100);
    }
    List<String> lines = Files.readAllLines(dir.resolve("regret.csv"));
    assertEquals("agent,trial,mean,ci95,lower,upper,samples", lines.get(0));
    assertEquals(1 + FigureAgents.ALL.size() * TRIALS, lines.size());
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      TrialCurve c = curves(f[0]).cumulativeRegret();
      int t = Integer.parseInt(f[1]) - 1;
      assertEquals(c.mean()[t], Double.parseDouble(f[2]), 0.0, line);
      assertEquals(c.ci95()[t], Double.parseDouble(f[3]), 0.0, line);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json = org.neurorl.sim.Json.MAPPER.readValue(dir.resolve("regret.json").toFile(), Map.class);
    assertEquals("test", json.get("command"));
  }

  @Test
  void badOptionsAreRejectedWithTheNameAndTheAllowedValues() {
    FigureAgents a = FigureAgents.defaults(BanditPrior.INDEPENDENT);
    var e = assertThrows(IllegalArgumentException.class,
        () -> new RegretComparison.Options(a, 1, 100, BanditPrior.FIXED, new float[] {0.25f, 0.75f}, 1, 1));
    assertTrue(e.getMessage().startsWith("episodes = 1; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegretComparison.Options(a, 10, 100, BanditPrior.FIXED, new float[] {0.25f}, 1, 1));
    assertTrue(e.getMessage().contains("allowed: two probabilities"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegretComparison.Options(a, 10, 100, BanditPrior.FIXED, new float[] {0.25f, 1.5f}, 1, 1));
    assertTrue(e.getMessage().contains("p[1] = 1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new FigureAgents(List.of("ucb1", "bogus"), 0.95, BanditPrior.INDEPENDENT, 0.1f, 5f, 2, 0.1f));
    assertTrue(e.getMessage().contains("agent = bogus; allowed: ucb1, thompson"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new FigureAgents(List.of("ucb1"), 1.0, BanditPrior.INDEPENDENT, 0.1f, 5f, 2, 0.1f));
    assertTrue(e.getMessage().startsWith("gamma = 1.0; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new FigureAgents(List.of("ucb1"), 0.9, BanditPrior.FIXED, 0.1f, 5f, 2, 0.1f));
    assertTrue(e.getMessage().contains("allowed: independent, correlated"), e.getMessage());
  }
}
