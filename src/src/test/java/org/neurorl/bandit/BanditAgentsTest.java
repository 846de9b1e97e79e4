package org.neurorl.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurorl.agent.BatchAgent;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;

class BanditAgentsTest {
  private static final int T = 100;
  private static final long SEED = 20260301L;
  /** Built once for the whole class (about a second each); the tests share them read-only. */
  private static final GittinsIndex GITTINS_95 = GittinsIndex.compute(0.95, T, 1, 1,
      GittinsIndex.defaultDepth(0.95), Parallel.serial());
  private static final BayesOptimalPolicy INDEPENDENT = BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, T);
  private static final BayesOptimalPolicy CORRELATED = BayesOptimalPolicy.compute(BanditPrior.CORRELATED, T);

  private record Named(String name, BanditRunner.AgentFactory factory) {}

  private static List<Named> agents(int arms) {
    List<Named> list = new ArrayList<>();
    list.add(new Named("ucb1", (n, first) -> new Ucb1Agent(n, arms)));
    list.add(new Named("thompson", (n, first) -> new ThompsonAgent(n, arms, T, SEED, first)));
    list.add(new Named("gittins-0.95", (n, first) -> new GittinsAgent(n, arms, GITTINS_95)));
    if (arms == 2) {
      list.add(new Named("bayes-independent", (n, first) -> new BayesOptimalAgent(n, INDEPENDENT)));
      list.add(new Named("bayes-correlated", (n, first) -> new BayesOptimalAgent(n, CORRELATED)));
    }
    return list;
  }

  /** Final cumulative regret of every slot (one episode each). */
  private static double[] finalRegret(BanditRunner.Setup setup, BanditRunner.AgentFactory factory) {
    double[] out = new double[(int) setup.agents()];
    BanditRunner.run(setup, factory, (slot, episode, regret, wrong) -> out[(int) slot] = regret);
    return out;
  }

  /** Mean and standard error of {@code x − y}, paired by slot (same episodes, same reward draws). */
  private static double[] pairedDifference(double[] x, double[] y) {
    double mean = 0;
    for (int i = 0; i < x.length; i++) {
      mean += x[i] - y[i];
    }
    mean /= x.length;
    double ss = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i] - mean;
      ss += d * d;
    }
    return new double[] {mean, Math.sqrt(ss / (x.length - 1) / x.length)};
  }

  @Test
  void gittinsAndThompsonBeatUcb1OnFixedArms() {
    BanditRunner.Setup setup = new BanditRunner.Setup(2, T, BanditPrior.FIXED, new float[] {0.25f, 0.75f},
        SEED, 2000, 1, 500);
    double[] ucb = finalRegret(setup, agents(2).get(0).factory());
    for (Named other : agents(2).subList(1, 3)) {
      double[] regret = finalRegret(setup, other.factory());
      double[] d = pairedDifference(ucb, regret);
      System.out.printf("(0.25, 0.75), T=100, 2000 episodes: ucb1 − %s = %.3f ± %.3f (SE)%n", other.name(), d[0],
          d[1]);
      // 4 standard errors: a false alarm about once in 30,000 runs if the true difference were 0
      assertTrue(d[0] > 4 * d[1], other.name() + " beats ucb1 outside Monte-Carlo error: " + d[0] + " ± " + d[1]);
    }
  }

  @Test
  void bayesOptimalIsBestUnderItsOwnPriorAndMatchesItsComputedRegret() {
    for (BanditPrior prior : new BanditPrior[] {BanditPrior.INDEPENDENT, BanditPrior.CORRELATED}) {
      BayesOptimalPolicy policy = prior == BanditPrior.INDEPENDENT ? INDEPENDENT : CORRELATED;
      BanditRunner.Setup setup = new BanditRunner.Setup(2, T, prior, null, SEED + 1, 20_000, 1, 4096);
      BanditRunner.AgentFactory optimal = (n, first) -> new BayesOptimalAgent(n, policy);
      double[] best = new double[20_000];
      BanditRunner.RegretCurve curve = BanditRunner.run(setup, optimal,
          (slot, episode, regret, wrong) -> best[(int) slot] = regret);
      double[] exact = policy.expectedCumulativeRegret();
      for (int t : new int[] {9, 49, 99}) {
        double se = curve.sd()[t] / Math.sqrt(curve.samples());
        System.out.printf("bayes-optimal %s: regret(%d) simulated %.4f ± %.4f (SE), computed %.4f%n",
            prior.label(), t + 1, curve.meanCumulativeRegret()[t], se, exact[t]);
        // 4 standard errors over 6 comparisons: a false alarm about once in 5,000 runs
        assertEquals(exact[t], curve.meanCumulativeRegret()[t], 4 * se, prior + " trial " + (t + 1));
      }
      for (Named other : agents(2)) {
        if (other.name().equals("bayes-" + prior.label())) {
          continue; // the optimal agent itself
        }
        double[] regret = finalRegret(setup, other.factory());
        double[] d = pairedDifference(regret, best);
        System.out.printf("%s prior: %s − bayes-optimal = %.4f ± %.4f (SE)%n", prior.label(), other.name(), d[0],
            d[1]);
        // nobody beats the optimum by more than 4 standard errors of the paired difference
        assertTrue(d[0] >= -4 * d[1], other.name() + " under the " + prior.label() + " prior: " + d[0] + " ± " + d[1]);
      }
    }
  }

  @Test
  void resultsDoNotDependOnBatchSize() {
    for (Named agent : agents(2)) {
      BanditRunner.RegretCurve reference = null;
      double[] referenceSlots = null;
      for (int block : new int[] {1, 7, 64}) {
        BanditRunner.Setup setup = new BanditRunner.Setup(2, T, BanditPrior.INDEPENDENT, null, SEED, 64, 2, block);
        double[] slots = new double[128];
        BanditRunner.RegretCurve curve = BanditRunner.run(setup, agent.factory(),
            (slot, episode, regret, wrong) -> slots[(int) (episode * 64 + slot)] = regret);
        if (reference == null) {
          reference = curve;
          referenceSlots = slots;
        } else {
          assertArrayEquals(referenceSlots, slots, 0.0, agent.name() + " per-slot regret, block " + block);
          assertArrayEquals(reference.meanCumulativeRegret(), curve.meanCumulativeRegret(), 0.0,
              agent.name() + " curve, block " + block);
        }
      }
    }
  }

  @Test
  void thompsonTrajectoriesAreThoseOfTheSlotWhateverTheBatch() {
    int slots = 9;
    int[][] together = play(slots, 0, slots);
    for (int i = 0; i < slots; i++) {
      int[][] alone = play(1, i, 1);
      assertArrayEquals(together[i], alone[0], "slot " + i);
    }
  }

  /** Actions of slots {@code first .. first + n − 1}, per slot and trial, over one episode. */
  private static int[][] play(int n, long first, int batch) {
    BernoulliBandit env = new BernoulliBandit(batch, 2, T, BanditPrior.INDEPENDENT, null, false, SEED, first);
    BatchAgent agent = new ThompsonAgent(batch, 2, T, SEED, first);
    env.reset(3, null);
    agent.reset(3);
    int[] actions = new int[batch];
    float[] rewards = new float[batch];
    boolean[] done = new boolean[batch];
    int[][] out = new int[n][T];
    for (int t = 0; t < T; t++) {
      agent.act(null, actions);
      env.step(actions, null, rewards, null, done);
      agent.observe(actions, rewards, done);
      for (int b = 0; b < n; b++) {
        out[b][t] = actions[b];
      }
    }
    return out;
  }

  @Test
  void betaSamplesHaveTheRightMoments() {
    int n = 100_000;
    for (int[] ab : new int[][] {{1, 1}, {3, 7}, {40, 12}}) {
      double alpha = ab[0], beta = ab[1];
      double sum = 0, sumSq = 0;
      int below = 0;
      for (int i = 0; i < n; i++) {
        double x = ThompsonAgent.betaSample(Rng.key(5, i), 17 * i, alpha, beta);
        assertTrue(x > 0 && x < 1);
        sum += x;
        sumSq += x * x;
        if (x < 0.25) {
          below++;
        }
      }
      double mean = sum / n;
      double var = sumSq / n - mean * mean;
      double trueMean = alpha / (alpha + beta);
      double trueVar = alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1));
      // 5 standard errors of the mean; the variance estimate's error is below σ²·sqrt(2/n)·2 here
      assertEquals(trueMean, mean, 5 * Math.sqrt(trueVar / n), "mean of Beta" + alpha + "," + beta);
      assertEquals(trueVar, var, 5 * trueVar * Math.sqrt(2.0 / n) * 2, "variance of Beta" + alpha + "," + beta);
      if (ab[0] == 1 && ab[1] == 1) {
        assertEquals(0.25, below / (double) n, 5 * Math.sqrt(0.25 * 0.75 / n), "Beta(1,1) is uniform");
      }
    }
  }

  @Test
  void ucb1PlaysEveryArmOnceThenItsIndex() {
    Ucb1Agent agent = new Ucb1Agent(1, 3);
    agent.reset(0);
    int[] action = new int[1];
    float[] reward = new float[1];
    for (int expected = 0; expected < 3; expected++) {
      agent.act(null, action);
      assertEquals(expected, action[0]);
      reward[0] = expected == 1 ? 1f : 0f;
      agent.observe(action, reward, null);
    }
    agent.act(null, action);
    assertEquals(1, action[0], "the arm that paid");
    assertEquals(1 + Math.sqrt(2 * Math.log(3)), Ucb1Agent.score(1, 1, 3), 1e-15);
  }

  @Test
  void kArmedAgentsLearn() {
    BanditRunner.Setup setup = new BanditRunner.Setup(5, T, BanditPrior.INDEPENDENT, null, SEED, 2000, 1, 512);
    for (Named agent : agents(5)) {
      BanditRunner.RegretCurve curve = BanditRunner.run(setup, agent.factory());
      // a random policy's regret is 100 · (E[max of 5 uniforms] − 1/2) = 100 · (5/6 − 1/2) ≈ 33.3;
      // UCB1, the slowest learner here, measures ~17 (2000 episodes, SE ~0.2)
      assertTrue(curve.finalMean() < 25, agent.name() + " on 5 arms: " + curve.finalMean());
      assertEquals("ucb1 thompson gittins".contains(curve.agent()), true, curve.agent());
    }
  }

  @Test
  void badInputsAreRejectedWithClearMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BanditRunner.Setup(0, T, BanditPrior.INDEPENDENT, null, 1, 10, 1, 10));
    assertEquals("arms = 0; allowed: 2 to 64", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BanditRunner.Setup(2, 0, BanditPrior.INDEPENDENT, null, 1, 10, 1, 10));
    assertEquals("trials = 0; allowed: 1 to 1048576", e.getMessage());
    BanditRunner.Setup bad = new BanditRunner.Setup(2, T, BanditPrior.FIXED, new float[] {0.25f, 1.5f}, 1, 10, 1,
        10);
    e = assertThrows(IllegalArgumentException.class, () -> BanditRunner.run(bad, (n, f) -> new Ucb1Agent(n, 2)));
    assertEquals("probabilities[1] = 1.5; allowed: a probability in [0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Ucb1Agent(4, 0));
    assertEquals("arms = 0; allowed: 1 to 64", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ThompsonAgent(4, 2, 0, 1, 0));
    assertEquals("trials = 0; allowed: 1 to 1048576", e.getMessage());
    BanditRunner.Setup ok = new BanditRunner.Setup(2, T, BanditPrior.INDEPENDENT, null, 1, 10, 1, 10);
    e = assertThrows(IllegalArgumentException.class, () -> BanditRunner.run(ok, (n, f) -> new Ucb1Agent(n, 3)));
    assertTrue(e.getMessage().startsWith("agent ucb1 has batch 10 and 3 actions"), e.getMessage());
    Ucb1Agent agent = new Ucb1Agent(2, 2);
    e = assertThrows(IllegalArgumentException.class,
        () -> agent.observe(new int[] {0, 2}, new float[] {1f, 0f}, null));
    assertEquals("actions[1] = 2; allowed: 0 to 1", e.getMessage());
    BayesOptimalAgent optimal = new BayesOptimalAgent(1, BayesOptimalPolicy.compute(BanditPrior.CORRELATED, 2));
    optimal.reset(0);
    int[] a = new int[1];
    for (int t = 0; t < 2; t++) {
      optimal.act(null, a);
      optimal.observe(a, new float[] {1f}, null);
    }
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> optimal.act(null, a));
    assertTrue(s.getMessage().contains("the whole horizon"), s.getMessage());
  }
}
