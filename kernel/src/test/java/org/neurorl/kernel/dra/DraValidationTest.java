package org.neurorl.kernel.dra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.neurorl.kernel.Parallel;

/** Parameters and arguments outside their ranges get an IllegalArgumentException naming them. */
class DraValidationTest {
  private static void rejects(String expected, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(expected), "message '" + x.getMessage() + "' should contain '" + expected + "'");
    assertTrue(x.getMessage().contains("allowed"), x.getMessage());
  }

  @Test
  void parametersOutsideTheirRangesAreRejected() {
    DraParams.Psi adv = DraParams.Psi.ADVANTAGE;
    rejects("beta = 0.0", () -> DraParams.dra(0f, 0.1f, 0f, 1f, 0.1f, 0.1f, 0.1f, 1, adv));
    rejects("beta = -1.0", () -> DraParams.softmaxQ(-1f, 0.1f, 0f));
    rejects("beta = NaN", () -> DraParams.equalPrecision(Float.NaN, 0.1f, 0f, 1f, 0.1f));
    rejects("alpha = 0.0", () -> DraParams.softQ(0f, 0.1f, 0f));
    rejects("alpha = -0.5", () -> DraParams.softQ(-0.5f, 0.1f, 0f));
    rejects("sigmaBase = 0.5 is below sigmaMin = 1.0", () -> DraParams.dra(1f, 0.1f, 0f, 0.5f, 1f, 0.1f, 0.1f, 1, adv));
    rejects("sigmaBase = 0.0", () -> DraParams.dra(1f, 0.1f, 0f, 0f, 0f, 0.1f, 0f, 1, adv));
    rejects("sigmaMin = -0.1", () -> DraParams.dra(1f, 0.1f, 0f, 1f, -0.1f, 0.1f, 0f, 1, adv));
    rejects("sigmaMin = 0.0 with lambda = 0.1", () -> DraParams.dra(1f, 0.1f, 0f, 1f, 0f, 0.1f, 0.1f, 1, adv));
    rejects("lambda = -1.0", () -> DraParams.dra(1f, 0.1f, 0f, 1f, 0.1f, 0.1f, -1f, 1, adv));
    rejects("learningRate = 0.0", () -> DraParams.softQ(1f, 0f, 0f));
    rejects("learningRate = 1.5", () -> DraParams.softmaxQ(1f, 1.5f, 0f));
    rejects("gamma = 1.1", () -> DraParams.softmaxQ(1f, 0.1f, 1.1f));
    rejects("sigmaRate = -0.1", () -> DraParams.dra(1f, 0.1f, 0f, 1f, 0.1f, -0.1f, 0.1f, 1, adv));
    rejects("rollouts = 0", () -> DraParams.dra(1f, 0.1f, 0f, 1f, 0.1f, 0.1f, 0.1f, 0, adv));
    rejects("sigmaInit = 2.0", () -> DraParams.dra(1f, 0.1f, 0f, 1f, 0.1f, 0.1f, 0.1f, 1, adv).withSigmaInit(2f));
  }

  @Test
  void argumentsOutsideTheirRangesAreRejected() {
    for (DraKernel k : new DraKernel[] {DraFixture.reference(), DraFixture.simd()}) {
      DraParams p = DraParams.dra(1f, 0.1f, 0.5f, 1f, 0.1f, 0.1f, 0.1f, 1, DraParams.Psi.RETURN);
      rejects("agents = 0", () -> k.newBatch(0, 2, 2, p, 1, 0, 1));
      rejects("actions = 1", () -> k.newBatch(4, 2, 1, p, 1, 0, 1));
      DraBatch b = k.newBatch(4, 2, 2, p, 1, 0, 1);
      int[] act = new int[4];
      rejects("states[2] = 2", () -> k.act(b, DraKernel.Phase.LEARN, 0, new int[] {0, 1, 2, 0}, null, act, null,
          Parallel.serial()));
      rejects("states.length = 3", () -> k.act(b, DraKernel.Phase.LEARN, 0, new int[3], null, act, null,
          Parallel.serial()));
      rejects("forcedActions[1] = 5", () -> k.act(b, DraKernel.Phase.LEARN, 0, new int[4], new int[] {0, 5, 0, 0},
          act, null, Parallel.serial()));
      rejects("decision = -1", () -> k.act(b, DraKernel.Phase.LEARN, -1, new int[4], null, act, null,
          Parallel.serial()));
      rejects("rewards[0] = NaN", () -> k.learn(b, new float[] {Float.NaN, 0, 0, 0}, new int[4], 1, Parallel.serial()));
      rejects("sigmas[0] = 3.0", () -> b.setSigmas(new double[] {3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
      // a rollout longer than the steps the batch keeps for ψ = RETURN is a driver error
      k.act(b, DraKernel.Phase.ROLLOUT, 0, new int[4], null, act, null, Parallel.serial());
      assertThrows(IllegalStateException.class,
          () -> k.act(b, DraKernel.Phase.ROLLOUT, 1, new int[4], null, act, null, Parallel.serial()));
      DraBatch q = k.newBatch(4, 2, 2, DraParams.softQ(1f, 0.1f, 0f), 1, 0, 1);
      assertThrows(IllegalStateException.class,
          () -> k.act(q, DraKernel.Phase.ROLLOUT, 0, new int[4], null, act, null, Parallel.serial()));
    }
  }

  @Test
  void equalCostSigmaInvertsTheCost() {
    double sb = 2.0;
    for (double sigma : new double[] {0.01, 0.3, 1.0, 1.9, 2.0}) {
      double cost = 24 * DraParams.klCost(sigma, sb);
      // near σ_base the cost is quadratic in σ − σ_base, so a cost rounded at 1e-16 fixes σ only to ~1e-8
      assertEquals(sigma, DraParams.equalCostSigma(cost, 24, sb), 1e-7 * sigma);
    }
    rejects("totalCost = -1.0", () -> DraParams.equalCostSigma(-1, 24, sb));
  }
}
