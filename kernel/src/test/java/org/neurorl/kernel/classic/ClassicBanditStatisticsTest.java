package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.simd.SimdThompson;

/** What the agents must do as bandit players, for both implementations. */
class ClassicBanditStatisticsTest {
  private static List<ClassicKernels.Agent> ucb1() {
    return List.of(ClassicKernels.Agent.of(ClassicKernels.simdUcb1()), ClassicKernels.Agent.of(new ReferenceUcb1()));
  }

  private static List<ClassicKernels.Agent> thompson() {
    return List.of(ClassicKernels.Agent.of(ClassicKernels.simdThompson()),
        ClassicKernels.Agent.of(new ReferenceThompson()));
  }

  private static double[] regretAfter(ClassicKernels.Agent agent, int b, int trials, float... p) {
    ClassicBatch batch = agent.newBatch(b, p.length, 123, 0);
    batch.setRewardProbabilities(ClassicKernels.fixed(b, p));
    try (Parallel two = Parallel.of(2)) {
      agent.run(batch, trials, two, null, null);
    }
    double[] regret = new double[b];
    batch.cumulativeRegret(regret);
    return regret;
  }

  /**
   * On (0.25, 0.75) with T = 100 (Wang et al. 2018, Fig. 1d), Thompson's mean cumulative regret is below
   * UCB1's by more than 5 standard errors of the difference (independent agents, 2·10⁴ each; measured
   * Thompson 3.0 against UCB1 7.0, standard error 0.02).
   */
  @Test
  void thompsonHasLowerRegretThanUcb1() {
    int b = 20_000;
    for (int i = 0; i < 2; i++) {
      double[] u = regretAfter(ucb1().get(i), b, 100, 0.25f, 0.75f);
      double[] t = regretAfter(thompson().get(i), b, 100, 0.25f, 0.75f);
      double mu = ClassicEquivalenceTest.mean(u), mt = ClassicEquivalenceTest.mean(t);
      double se = Math.sqrt(ClassicEquivalenceTest.variance(u) / b + ClassicEquivalenceTest.variance(t) / b);
      System.out.println("regret at T = 100 on (0.25, 0.75): UCB1 " + mu + ", Thompson " + mt + ", se " + se);
      assertTrue(mu - mt > 5 * se, "UCB1 " + mu + " vs Thompson " + mt + " (se " + se + ")");
    }
  }

  /**
   * Every arm's observed reward frequency s_a / n_a, pooled over agents, matches p_a within 5 binomial
   * standard errors; UCB1 first plays every arm once in arm order; regret equals Σ_a n_a (max p − p_a).
   */
  @Test
  void rewardFrequenciesMatchProbabilitiesAndCountsAddUp() {
    float[] arms = {0.2f, 0.5f, 0.55f};
    int b = 5000, trials = 60, k = arms.length;
    for (ClassicKernels.Agent agent : List.of(ucb1().get(0), ucb1().get(1), thompson().get(0), thompson().get(1))) {
      ClassicBatch batch = agent.newBatch(b, k, 8, 0);
      batch.setRewardProbabilities(ClassicKernels.fixed(b, arms));
      int[] actions = new int[trials * b];
      agent.run(batch, trials, Parallel.serial(), actions, null);
      double[] s = new double[k * b], f = new double[k * b], regret = new double[b], sub = new double[b];
      batch.successes(s);
      batch.failures(f);
      batch.cumulativeRegret(regret);
      batch.suboptimalPulls(sub);
      for (int a = 0; a < k; a++) {
        double succ = 0, pulls = 0;
        for (int i = 0; i < b; i++) {
          succ += s[a * b + i];
          pulls += s[a * b + i] + f[a * b + i];
        }
        double se = Math.sqrt(arms[a] * (1 - arms[a]) / pulls);
        assertEquals(arms[a], succ / pulls, 5 * se, agent.name() + " arm " + a + " reward frequency");
      }
      for (int i = 0; i < b; i++) {
        double expected = 0, n = 0, subopt = 0;
        for (int a = 0; a < k; a++) {
          double na = s[a * b + i] + f[a * b + i];
          expected += na * ((double) arms[2] - arms[a]);
          n += na;
          subopt += a == 2 ? 0 : na;
        }
        assertEquals(trials, n, agent.name() + " pulls of agent " + i);
        assertEquals(expected, regret[i], 1e-4, agent.name() + " regret of agent " + i);
        assertEquals(subopt, sub[i], agent.name() + " suboptimal pulls of agent " + i);
        if (agent.name().startsWith("ucb1")) {
          for (int t = 0; t < k; t++) {
            assertEquals(t, actions[t * b + i], "UCB1 plays every arm once first");
          }
        }
      }
    }
  }

  /**
   * Beta(α, β) samples of both paths: mean and variance over 2¹⁷ samples match α/(α+β) and
   * αβ/((α+β)²(α+β+1)) within 5 standard errors (the variance's standard error from the fourth moment
   * of the Beta, approximated by √(2/n)·variance·(1 + excess kurtosis/2) ≤ 2√(2/n)·variance for these
   * shapes), over small, skewed and large shapes.
   */
  @Test
  void betaSamplesHaveTheRightMoments() {
    int n = 1 << 17;
    int[] keys = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = Rng.key(5, i);
    }
    float[][] shapes = {{1, 1}, {2, 5}, {1, 30}, {30, 70}, {101, 1}, {250, 240}};
    for (float[] ab : shapes) {
      float[] alpha = new float[n], beta = new float[n], out = new float[n];
      java.util.Arrays.fill(alpha, ab[0]);
      java.util.Arrays.fill(beta, ab[1]);
      SimdThompson.betaSamples(keys, 1000, alpha, beta, out);
      double[] ref = new double[n];
      double[] simd = new double[n];
      for (int i = 0; i < n; i++) {
        ref[i] = ReferenceThompson.betaSample(keys[i], 1000, ab[0], ab[1]);
        simd[i] = out[i];
      }
      double a = ab[0], c = ab[1];
      double mean = a / (a + c), var = a * c / ((a + c) * (a + c) * (a + c + 1));
      for (double[] x : new double[][] {simd, ref}) {
        double m = ClassicEquivalenceTest.mean(x), v = ClassicEquivalenceTest.variance(x);
        assertEquals(mean, m, 5 * Math.sqrt(var / n), "Beta(" + a + ", " + c + ") mean");
        assertEquals(var, v, 5 * 2 * Math.sqrt(2.0 / n) * var, "Beta(" + a + ", " + c + ") variance");
      }
    }
  }

  /** Counts set by setCounts are what a run starts from (here: a strong prior for arm 1 makes it the choice). */
  @Test
  void setCountsIsTheStartingState() {
    for (ClassicKernels.Agent agent : List.of(ucb1().get(0), ucb1().get(1), thompson().get(0), thompson().get(1))) {
      int b = 100;
      ClassicBatch batch = agent.newBatch(b, 2, 1, 0);
      batch.setRewardProbabilities(ClassicKernels.fixed(b, 0.5f, 0.5f));
      double[] s = new double[2 * b], f = new double[2 * b];
      for (int i = 0; i < b; i++) {
        s[i] = 1; // arm 0: 1 of 1000
        f[i] = 999;
        s[b + i] = 999; // arm 1: 999 of 1000
        f[b + i] = 1;
      }
      batch.setCounts(s, f);
      int[] actions = new int[b];
      agent.run(batch, 1, Parallel.serial(), actions, null);
      int[] ones = new int[b];
      java.util.Arrays.fill(ones, 1);
      assertArrayEquals(ones, actions, agent.name());
    }
  }
}
