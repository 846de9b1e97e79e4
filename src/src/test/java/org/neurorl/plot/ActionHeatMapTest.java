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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Parallel;

class ActionHeatMapTest {
  static final int TRIALS = 40;
  static ActionHeatMap.Result result;

  @BeforeAll
  static void compute() {
    result = ActionHeatMap.compute(new ActionHeatMap.Options(FigureAgents.defaults(BanditPrior.CORRELATED), 101,
        TRIALS, 1));
  }

  @Test
  void rowsAreTheP1GridInAscendingOrder() {
    double[] p1 = result.p1();
    assertEquals(101, p1.length);
    assertEquals(0.0, p1[0]);
    assertEquals(1.0, p1[100]);
    for (int r = 1; r < p1.length; r++) {
      assertTrue(p1[r] > p1[r - 1], "row " + r + " after row " + (r - 1));
      assertEquals(r / 100.0, p1[r], 1e-7, "grid step 0.01 (float p₁)");
    }
    for (ActionHeatMap.AgentActions a : result.agents()) {
      assertEquals(101, a.arms().length, a.agent());
      for (int[] row : a.arms()) {
        assertEquals(TRIALS, row.length);
        for (int arm : row) {
          assertTrue(arm == 0 || arm == 1, a.agent() + " arm " + arm);
        }
      }
    }
  }

  @Test
  void csvRowsAreSortedByP1AndHoldTheActions(@TempDir Path dir) throws Exception {
    List<Path> files = ActionHeatMap.write(result, dir, 700, 500, java.util.Map.of("command", "test"));
    assertEquals(2 * FigureAgents.ALL.size() + 1, files.size());
    for (ActionHeatMap.AgentActions a : result.agents()) {
      List<String> lines = Files.readAllLines(dir.resolve("heatmap-" + a.agent() + ".csv"));
      assertTrue(lines.get(0).startsWith("p1,p2,a1,a2"));
      assertEquals(102, lines.size());
      double previous = -1;
      for (int r = 0; r < 101; r++) {
        String[] f = lines.get(r + 1).split(",");
        double p1 = Double.parseDouble(f[0]);
        assertTrue(p1 > previous, "CSV row " + r + " sorted by p1");
        previous = p1;
        assertEquals(1f - Float.parseFloat(f[0]), Float.parseFloat(f[1]), 0f, "p2 = 1 - p1");
        for (int t = 0; t < TRIALS; t++) {
          assertEquals(a.arms()[r][t] + 1, Integer.parseInt(f[2 + t]));
        }
      }
      BufferedImage image = ImageIO.read(dir.resolve("heatmap-" + a.agent() + ".png").toFile());
      assertNotNull(image, a.agent());
      assertEquals(700, image.getWidth());
      assertEquals(500, image.getHeight());
    }
  }

  /** A kernel row is that slot's own episode: the same when the slot is played in a batch of one. */
  @Test
  void aKernelRowDoesNotDependOnTheOtherRows() {
    FigureAgents agents = FigureAgents.defaults(BanditPrior.CORRELATED);
    for (String agent : FigureAgents.KERNEL_AGENTS) {
      int[][] arms = result.agents().stream().filter(a -> a.agent().equals(agent)).findFirst().orElseThrow().arms();
      for (int r : new int[] {0, 37, 100}) {
        float p = (float) r / 100;
        int[] alone = RegretComparison.kernelActions(agents, agent, new float[] {p, 1f - p}, 1, TRIALS, 1, r,
            Parallel.serial());
        assertArrayEquals(alone, arms[r], agent + " row " + r);
      }
    }
  }

  /** Deterministic agents with certain arms: at p₁ = 1 an arm-1 reward is sure, so they never leave arm 1. */
  @Test
  void deterministicAgentsStayOnASureArm() {
    for (String agent : List.of("gittins", "bayes-optimal")) {
      int[] top = result.agents().stream().filter(a -> a.agent().equals(agent)).findFirst().orElseThrow().arms()[100];
      for (int t = 0; t < TRIALS; t++) {
        assertEquals(0, top[t], agent + " trial " + (t + 1));
      }
    }
  }

  @Test
  void badOptionsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ActionHeatMap.Options(FigureAgents.defaults(BanditPrior.CORRELATED), 1, 100, 1));
    assertTrue(e.getMessage().startsWith("rows = 1; allowed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ActionHeatMap.Options(FigureAgents.defaults(BanditPrior.CORRELATED), 11, 0, 1));
    assertTrue(e.getMessage().startsWith("trials = 0; allowed"), e.getMessage());
  }
}
