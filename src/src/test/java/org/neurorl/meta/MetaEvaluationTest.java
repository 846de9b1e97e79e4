package org.neurorl.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.lstm.LstmNetwork;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.sim.BanditSimulation;
import org.neurorl.sim.SimulationSpec;

class MetaEvaluationTest {
  private static final TinyRnn NET = new TinyRnn(3, 5);

  /** A network that ignores its input and plays arm {@code arm} with probability 1 − e⁻⁸⁰. */
  private static TrainedNetwork constant(int arm) {
    float[] p = new float[NET.layout().size()];
    int bpi = NET.layout().tensor("bpi").offset();
    p[bpi + arm] = 40f;
    p[bpi + 1 - arm] = -40f;
    return new TrainedNetwork("always-" + arm, "always arm " + (arm + 1), NET, p, false);
  }

  private static TrainedNetwork random(long seed) {
    return new TrainedNetwork("tiny", "tiny RNN", NET, NET.random(1.5f, seed), false);
  }

  @Test
  void aNetworkThatAlwaysPlaysTheWorseArmHasRegretHalfPerTrial() {
    RegretEvaluation.Options o = new RegretEvaluation.Options(20, 30, new float[] {0.25f, 0.75f},
        BanditPrior.INDEPENDENT, 0.5, 3);
    RegretEvaluation.Result r = RegretEvaluation.evaluate(o, List.of(constant(0), constant(1)), Parallel.serial());
    double[] worse = r.agent("always-0").curve().mean();
    double[] better = r.agent("always-1").curve().mean();
    for (int t = 0; t < 30; t++) {
      // 0.75f − 0.25f = 0.5 exactly in float; sums of 0.5 are exact
      assertEquals(0.5 * (t + 1), worse[t], 0.0, "trial " + (t + 1));
      assertEquals(0.0, better[t], 0.0);
    }
    assertEquals(1.0, r.agent("always-0").suboptimalFraction(), 0.0);
    // the paired gap to itself-like agents: always-1 has zero regret, so its gap to Bayes-optimal is
    // minus Bayes-optimal's mean regret, exactly
    RegretEvaluation.Gap g = r.gap("always-1", "bayes-optimal");
    assertEquals(-r.agent("bayes-optimal").finalMean(), g.mean(), 1e-12);
  }

  @Test
  void classicAgentsMatchBanditSimulationOnTheSameEpisodes() {
    int episodes = 300;
    int trials = 40;
    long seed = 11;
    // γ = 0.5 is exact in float and double, so both build the same Gittins table
    RegretEvaluation.Options o = new RegretEvaluation.Options(episodes, trials, new float[] {0.25f, 0.75f},
        BanditPrior.INDEPENDENT, 0.5, seed);
    RegretEvaluation.Result r = RegretEvaluation.evaluate(o, List.of(), Parallel.serial());
    int[] every = new int[trials];
    for (int t = 0; t < trials; t++) {
      every[t] = t + 1;
    }
    SimulationSpec spec = new SimulationSpec(List.of("gittins", "bayes-optimal"), episodes, trials, "fixed",
        new float[] {0.25f, 0.75f}, 0.1f, 5f, null, 2, 0.5f, 0.5f, every, seed, 1, 128);
    BanditSimulation.Result sim = new BanditSimulation(spec).run(n -> { });
    for (int k = 0; k < 2; k++) {
      String agent = k == 0 ? "gittins" : "bayes-optimal";
      double[] mine = r.agent(agent).curve().mean();
      double[] theirs = sim.agents().get(k).meanRegret();
      double[] mineCi = r.agent(agent).curve().ci95();
      double[] theirsCi = sim.agents().get(k).ci95();
      for (int t = 0; t < trials; t++) {
        // same episodes, same deterministic agents: the same regrets; only the summation differs
        // (Welford here, sums of squares there), so agreement to 1e-9 absolute on values ≤ 40
        assertEquals(theirs[t], mine[t], 1e-9, agent + " mean at trial " + (t + 1));
        assertEquals(theirsCi[t], mineCi[t], 1e-7, agent + " ci95 at trial " + (t + 1));
      }
      assertTrue(mine[trials - 1] > 0.5, agent + " should make some mistakes: " + mine[trials - 1]);
    }
  }

  @Test
  void gapsArePairedDifferencesOfTheSameEpisodes() {
    RegretEvaluation.Options o = new RegretEvaluation.Options(60, 25, new float[] {0.3f, 0.7f},
        BanditPrior.CORRELATED, 0.5, 5);
    RegretEvaluation.Result r = RegretEvaluation.evaluate(o, List.of(random(2)), Parallel.serial());
    for (String c : RegretEvaluation.CLASSIC) {
      RegretEvaluation.Gap g = r.gap("tiny", c);
      assertEquals(r.agent("tiny").finalMean() - r.agent(c).finalMean(), g.mean(), 1e-9, c);
      assertTrue(g.ci95() >= 0, c);
    }
    assertEquals(5, r.agents().size(), "1 network + 4 classic agents");
    assertEquals(4, r.gaps().size(), "the network against each classic agent");
  }

  @Test
  void networkDrawsDependOnTheSlotNotTheBatch() {
    TrainedNetwork net = random(4);
    int trials = 20;
    float[] rewards3 = new float[3];
    NetworkAgent batch = new NetworkAgent(net, 3, trials, 9, 0, Parallel.serial());
    int[][] together = new int[3][trials];
    int[] a3 = new int[3];
    batch.reset(1);
    for (int t = 0; t < trials; t++) {
      batch.act(null, a3);
      for (int s = 0; s < 3; s++) {
        together[s][t] = a3[s];
        rewards3[s] = (t + s) % 3 == 0 ? 1f : 0f;
      }
      batch.observe(a3, rewards3, null);
    }
    for (int s = 0; s < 3; s++) {
      NetworkAgent one = new NetworkAgent(net, 1, trials, 9, s, Parallel.serial());
      int[] a = new int[1];
      one.reset(1);
      for (int t = 0; t < trials; t++) {
        one.act(null, a);
        assertEquals(together[s][t], a[0], "slot " + s + " trial " + t);
        one.observe(a, new float[] {(t + s) % 3 == 0 ? 1f : 0f}, null);
      }
    }
    // a different episode number gives different draws (the actions are not all fixed by the weights)
    NetworkAgent other = new NetworkAgent(net, 3, trials, 9, 0, Parallel.serial());
    other.reset(2);
    int differences = 0;
    for (int t = 0; t < trials; t++) {
      other.act(null, a3);
      for (int s = 0; s < 3; s++) {
        differences += a3[s] != together[s][t] ? 1 : 0;
        rewards3[s] = (t + s) % 3 == 0 ? 1f : 0f;
      }
      other.observe(a3, rewards3, null);
    }
    assertTrue(differences > 0, "episode 2 should not repeat episode 1's draws");
  }

  @Test
  void evaluationIsTheSameWhateverTheThreadCount() {
    // the real LSTM network (SIMD when available), whose rollout splits the 40 episodes into blocks
    // handed to the pool's workers: the regret curve must not depend on the number of workers
    LstmNetwork lstm = LstmNetwork.create(3, 5, 2);
    float[] theta = LstmNetwork.initialParameters(3, 5, 2, 6);
    for (int i = 0; i < theta.length; i++) {
      theta[i] *= 4f; // larger weights than the initialisation: choices that depend on the history
    }
    TrainedNetwork net = new TrainedNetwork("lstm", "LSTM", lstm, theta, false);
    RegretEvaluation.Options o = new RegretEvaluation.Options(40, 15, new float[] {0.25f, 0.75f},
        BanditPrior.INDEPENDENT, 0.5, 8);
    RegretEvaluation.Result serial = RegretEvaluation.evaluate(o, List.of(net), Parallel.serial());
    try (Parallel two = Parallel.of(2)) {
      RegretEvaluation.Result parallel = RegretEvaluation.evaluate(o, List.of(net), two);
      assertArrayEquals(serial.agent("lstm").curve().mean(), parallel.agent("lstm").curve().mean(), 0.0);
      assertArrayEquals(serial.agent("lstm").finalRegret(), parallel.agent("lstm").finalRegret(), 0.0);
    }
    double last = serial.agent("lstm").finalMean();
    assertTrue(last > 0 && last < 0.5 * 15, "a sampling policy makes some mistakes, not all: " + last);
  }

  @Test
  void plasticityOffZeroesExactlyTheAlphaTensor() {
    TrainedNetwork net = random(3);
    TrainedNetwork off = net.withoutPlasticity("tiny-alpha0", "tiny, α = 0");
    ParameterLayout.Tensor alpha = NET.layout().tensor("alpha");
    float[] before = net.parameters();
    float[] after = off.parameters();
    int nonZeroAlpha = 0;
    for (int i = 0; i < before.length; i++) {
      boolean inAlpha = i >= alpha.offset() && i < alpha.offset() + alpha.size();
      if (inAlpha) {
        assertEquals(0f, after[i], 0f, "alpha[" + (i - alpha.offset()) + "]");
        nonZeroAlpha += before[i] != 0f ? 1 : 0;
      } else {
        assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "parameter " + i);
      }
    }
    assertTrue(nonZeroAlpha > 0, "the test needs a non-zero alpha to be meaningful");
    // and it changes behaviour: the hidden activity differs after a step with a non-zero state
    NetworkAgent a = new NetworkAgent(net, 1, 3, 1, 0, Parallel.serial());
    NetworkAgent b = new NetworkAgent(off, 1, 3, 1, 0, Parallel.serial());
    int[] act = new int[1];
    a.reset(0);
    b.reset(0);
    for (int t = 0; t < 2; t++) {
      a.act(null, act);
      a.observe(new int[] {0}, new float[] {1f}, null);
      b.act(null, act);
      b.observe(new int[] {0}, new float[] {1f}, null);
    }
    assertNotEquals(a.hidden(1)[0], b.hidden(1)[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainedNetwork.zeroTensor(NET.layout(), before, "gamma"));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
  }

  @Test
  void badOptionsAreRejectedWithTheParameterNamed() {
    float[] p = {0.25f, 0.75f};
    assertMessage("episodes", () -> new RegretEvaluation.Options(1, 100, p, BanditPrior.INDEPENDENT, 0.95, 1));
    assertMessage("trials", () -> new RegretEvaluation.Options(300, 0, p, BanditPrior.INDEPENDENT, 0.95, 1));
    assertMessage("p = ", () -> new RegretEvaluation.Options(300, 100, new float[] {0.2f, 0.3f, 0.5f},
        BanditPrior.INDEPENDENT, 0.95, 1));
    assertMessage("p1 + p2 = 1", () -> new RegretEvaluation.Options(300, 100, new float[] {0.2f, 0.3f},
        BanditPrior.CORRELATED, 0.95, 1));
    assertMessage("prior", () -> new RegretEvaluation.Options(300, 100, p, BanditPrior.FIXED, 0.95, 1));
    assertMessage("gittinsGamma", () -> new RegretEvaluation.Options(300, 100, p, BanditPrior.INDEPENDENT, 1.0, 1));
    assertMessage("inputs", () -> new TrainedNetwork("x", "x", NET, new float[NET.layout().size()], true));
    float[] nan = new float[NET.layout().size()];
    nan[3] = Float.NaN;
    assertMessage("parameters", () -> new TrainedNetwork("x", "x", NET, nan, false));
    assertMessage("id", () -> new TrainedNetwork("Bad Id", "x", NET, new float[NET.layout().size()], false));
    assertMessage("twice", () -> RegretEvaluation.evaluate(RegretEvaluation.Options.defaults(BanditPrior.INDEPENDENT),
        List.of(random(1), random(2)), Parallel.serial()));
  }

  private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(fragment), "message should name " + fragment + ": " + x.getMessage());
  }
}
