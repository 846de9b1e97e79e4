package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;

/**
 * Same seed and sizes give bit-identical results whatever the thread count, the way the trials are
 * split into calls, and the batch an agent runs in; episodes differ and replay exactly. Both agents,
 * both implementations.
 */
@Tag("simd-width")
class ClassicDeterminismTest {
  private record Outcome(double[] successes, double[] failures, double[] regret, double[] rewards,
      double[] suboptimal, int[] actions, float[] rewardTrace) {
    void assertSame(Outcome o, String what) {
      assertArrayEquals(successes, o.successes, 0.0, what + ": successes");
      assertArrayEquals(failures, o.failures, 0.0, what + ": failures");
      assertArrayEquals(regret, o.regret, 0.0, what + ": regret");
      assertArrayEquals(rewards, o.rewards, 0.0, what + ": reward sums");
      assertArrayEquals(suboptimal, o.suboptimal, 0.0, what + ": suboptimal pulls");
      assertArrayEquals(actions, o.actions, what + ": actions");
      assertArrayEquals(rewardTrace, o.rewardTrace, 0f, what + ": rewards");
    }
  }

  private static List<ClassicKernels.Agent> agents() {
    return List.of(ClassicKernels.Agent.of(ClassicKernels.simdUcb1()), ClassicKernels.Agent.of(new ReferenceUcb1()),
        ClassicKernels.Agent.of(ClassicKernels.simdThompson()), ClassicKernels.Agent.of(new ReferenceThompson()));
  }

  private static Outcome run(ClassicKernels.Agent agent, int b, int k, Parallel parallel, int[] segments,
      long first, int episode) {
    ClassicBatch batch = agent.newBatch(b, k, 2024, first);
    batch.setRewardProbabilities(ClassicKernels.probabilities(b, k, first));
    batch.reset(episode);
    int total = Arrays.stream(segments).sum();
    int[] actions = new int[total * b];
    float[] rewards = new float[total * b];
    for (int segment : segments) {
      agent.run(batch, segment, parallel, actions, rewards);
    }
    return outcome(batch, actions, rewards);
  }

  private static Outcome outcome(ClassicBatch batch, int[] actions, float[] rewards) {
    int b = batch.agents();
    double[] s = new double[batch.countsLength()], f = new double[batch.countsLength()];
    batch.successes(s);
    batch.failures(f);
    double[] regret = new double[b], sums = new double[b], sub = new double[b];
    batch.cumulativeRegret(regret);
    batch.rewardSums(sums);
    batch.suboptimalPulls(sub);
    return new Outcome(s, f, regret, sums, sub, actions, rewards);
  }

  @Test
  void resultsDoNotDependOnThreadsOrCallSplits() {
    try (Parallel two = Parallel.of(2); Parallel three = Parallel.of(3)) {
      for (ClassicKernels.Agent agent : agents()) {
        for (int k : new int[] {2, 3}) {
          int b = 1000; // ≥ 4 blocks, and enough agent-trials to leave the serial shortcut
          Outcome serial = run(agent, b, k, Parallel.serial(), new int[] {60}, 0, 0);
          String what = agent.name() + " k=" + k;
          serial.assertSame(run(agent, b, k, two, new int[] {60}, 0, 0), what + " 2 threads");
          serial.assertSame(run(agent, b, k, three, new int[] {60}, 0, 0), what + " 3 threads");
          serial.assertSame(run(agent, b, k, three, new int[] {1, 22, 37}, 0, 0), what + " split 1+22+37");
        }
      }
    }
  }

  /** Agents 300..999 of a batch starting at agent 0 equal a batch of 700 starting at agent 300. */
  @Test
  void anAgentsTrajectoryDoesNotDependOnItsBatch() {
    for (ClassicKernels.Agent agent : agents()) {
      int trials = 40, k = 2;
      Outcome whole = run(agent, 1000, k, Parallel.serial(), new int[] {trials}, 0, 3);
      Outcome part = run(agent, 700, k, Parallel.serial(), new int[] {trials}, 300, 3);
      for (int t = 0; t < trials; t++) {
        assertArrayEquals(Arrays.copyOfRange(whole.actions, t * 1000 + 300, t * 1000 + 1000),
            Arrays.copyOfRange(part.actions, t * 700, t * 700 + 700), agent.name() + " trial " + t);
      }
      assertArrayEquals(Arrays.copyOfRange(whole.regret, 300, 1000), part.regret, 0.0, agent.name() + " regret");
    }
  }

  @Test
  void episodesDifferAndReplay() {
    for (ClassicKernels.Agent agent : agents()) {
      Outcome e1 = run(agent, 64, 2, Parallel.serial(), new int[] {30}, 0, 1);
      Outcome e2 = run(agent, 64, 2, Parallel.serial(), new int[] {30}, 0, 2);
      assertFalse(Arrays.equals(e1.rewardTrace, e2.rewardTrace), agent.name() + ": episodes 1 and 2 differ");
      ClassicBatch batch = agent.newBatch(64, 2, 2024, 0);
      batch.setRewardProbabilities(ClassicKernels.probabilities(64, 2, 0));
      batch.reset(2);
      agent.run(batch, 30, Parallel.serial(), null, null);
      batch.reset(1); // back to episode 1: zero counts, the same draws
      int[] actions = new int[30 * 64];
      float[] rewards = new float[30 * 64];
      agent.run(batch, 30, Parallel.serial(), actions, rewards);
      e1.assertSame(outcome(batch, actions, rewards), agent.name() + " replay of episode 1");
    }
  }
}
