package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.simd.SimdThompson;

/** Bad inputs get an IllegalArgumentException (or IllegalStateException for misuse) naming what is wrong. */
class ClassicValidationTest {
  private static List<ClassicKernels.Agent> agents() {
    return List.of(ClassicKernels.Agent.of(ClassicKernels.simdUcb1()), ClassicKernels.Agent.of(new ReferenceUcb1()),
        ClassicKernels.Agent.of(ClassicKernels.simdThompson()), ClassicKernels.Agent.of(new ReferenceThompson()));
  }

  private static void expect(Class<? extends RuntimeException> type, String fragment, Runnable r) {
    RuntimeException e = assertThrows(type, r::run);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
  }

  @Test
  void badShapesAndProbabilitiesAreRejected() {
    for (ClassicKernels.Agent agent : agents()) {
      expect(IllegalArgumentException.class, "agents", () -> agent.newBatch(0, 2, 1, 0));
      expect(IllegalArgumentException.class, "arms", () -> agent.newBatch(4, 1, 1, 0));
      expect(IllegalArgumentException.class, "arms", () -> agent.newBatch(4, ClassicBatch.MAX_ARMS + 1, 1, 0));
      expect(IllegalArgumentException.class, "firstAgentIndex", () -> agent.newBatch(4, 2, 1, -1));
      ClassicBatch batch = agent.newBatch(4, 2, 1, 0);
      expect(IllegalStateException.class, "setRewardProbabilities", () -> agent.run(batch, 1, Parallel.serial(), null, null));
      expect(IllegalArgumentException.class, "rewardProbabilities.length", () -> batch.setRewardProbabilities(new float[7]));
      float[] p = ClassicKernels.fixed(4, 0.2f, 0.8f);
      p[3] = 1.5f;
      expect(IllegalArgumentException.class, "rewardProbabilities[3] = 1.5", () -> batch.setRewardProbabilities(p));
      p[3] = Float.NaN;
      expect(IllegalArgumentException.class, "rewardProbabilities[3] = NaN", () -> batch.setRewardProbabilities(p));
      p[3] = -0.1f;
      expect(IllegalArgumentException.class, "probability", () -> batch.setRewardProbabilities(p));
    }
  }

  @Test
  void badRunsCountsAndEpisodesAreRejected() {
    for (ClassicKernels.Agent agent : agents()) {
      ClassicBatch batch = agent.newBatch(4, 2, 1, 0);
      batch.setRewardProbabilities(ClassicKernels.fixed(4, 0.2f, 0.8f));
      expect(IllegalArgumentException.class, "trials", () -> agent.run(batch, -1, Parallel.serial(), null, null));
      expect(IllegalArgumentException.class, "trials",
          () -> agent.run(batch, ClassicBatch.MAX_TRIALS_PER_EPISODE + 1, Parallel.serial(), null, null));
      expect(IllegalArgumentException.class, "actions", () -> agent.run(batch, 3, Parallel.serial(), new int[11], null));
      expect(IllegalArgumentException.class, "rewards", () -> agent.run(batch, 3, Parallel.serial(), null, new float[11]));
      expect(IllegalArgumentException.class, "episode", () -> batch.reset(-1));
      expect(IllegalArgumentException.class, "episode", () -> batch.reset(ClassicBatch.MAX_EPISODES));
      double[] ok = new double[8];
      double[] negative = new double[8];
      negative[5] = -1;
      expect(IllegalArgumentException.class, "successes[5] = -1", () -> batch.setCounts(negative, ok));
      double[] fraction = new double[8];
      fraction[2] = 0.5;
      expect(IllegalArgumentException.class, "failures[2] = 0.5", () -> batch.setCounts(ok, fraction));
      double[] nan = new double[8];
      nan[0] = Double.NaN;
      expect(IllegalArgumentException.class, "NaN", () -> batch.setCounts(nan, ok));
      double[] big = new double[8];
      big[1] = ClassicBatch.MAX_COUNT + 1.0;
      expect(IllegalArgumentException.class, "integer in [0,", () -> batch.setCounts(big, ok));
      expect(IllegalArgumentException.class, "length", () -> batch.setCounts(new double[7], ok));
      expect(IllegalArgumentException.class, "out", () -> batch.cumulativeRegret(new double[3]));
      expect(IllegalArgumentException.class, "out", () -> batch.successes(new double[7]));
    }
  }

  @Test
  void aBatchOfTheOtherAgentOrImplementationIsRejected() {
    ClassicBatch simdUcb = ClassicKernels.simdUcb1().newBatch(4, 2, 1);
    ClassicBatch refThompson = new ReferenceThompson().newBatch(4, 2, 1);
    simdUcb.setRewardProbabilities(ClassicKernels.fixed(4, 0.2f, 0.8f));
    refThompson.setRewardProbabilities(ClassicKernels.fixed(4, 0.2f, 0.8f));
    expect(IllegalArgumentException.class, "allowed: THOMPSON",
        () -> ClassicKernels.simdThompson().run(simdUcb, 1, Parallel.serial()));
    expect(IllegalArgumentException.class, "made by", () -> new ReferenceUcb1().run(simdUcb, 1, Parallel.serial()));
    expect(IllegalArgumentException.class, "made by", () -> ClassicKernels.simdUcb1().run(refThompson, 1, Parallel.serial()));
    expect(IllegalArgumentException.class, "allowed: UCB1",
        () -> new ReferenceUcb1().run(new ReferenceThompson().newBatch(4, 2, 1), 1, Parallel.serial()));
  }

  @Test
  void badBetaSampleShapesAreRejected() {
    int[] keys = new int[3];
    float[] out = new float[3];
    expect(IllegalArgumentException.class, "alpha", () -> SimdThompson.betaSamples(keys, 0, new float[2], new float[3], out));
    expect(IllegalArgumentException.class, "alpha - 1",
        () -> SimdThompson.betaSamples(keys, 0, new float[] {1, 0, 1}, new float[] {1, 1, 1}, out));
    expect(IllegalArgumentException.class, "integers",
        () -> SimdThompson.betaSamples(keys, 0, new float[] {1, 1.5f, 1}, new float[] {1, 1, 1}, out));
  }

  @Test
  void createChoosesAnImplementation() {
    assertTrue(List.of("reference", "simd-128", "simd-256", "simd-512").contains(Ucb1Kernel.create().implementation()));
    assertTrue(List.of("reference", "simd-128", "simd-256", "simd-512").contains(ThompsonKernel.create().implementation()));
  }
}
