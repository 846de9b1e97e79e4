package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReversalBanditTest {
  private static float[] probabilitiesOfSlot(ReversalBandit env, int slot) {
    int k = env.actionCount(), batch = env.batchSize();
    float[] p = new float[k];
    for (int a = 0; a < k; a++) {
      p[a] = env.armProbabilities()[a * batch + slot];
    }
    return p;
  }

  @Test
  void twoArmsSwapExactlyAtTheReversalTrial() {
    ReversalBandit env = ReversalBandit.atTrial(3, 2, 10, BanditPrior.FIXED, new float[] {0.2f, 0.9f},
        5, false, 1, 0);
    env.reset(0, null);
    float[] rewards = new float[3];
    boolean[] term = new boolean[3], trunc = new boolean[3];
    for (int t = 0; t < 10; t++) {
      assertEquals(t, env.trial());
      float[] expected = t < 5 ? new float[] {0.2f, 0.9f} : new float[] {0.9f, 0.2f};
      for (int b = 0; b < 3; b++) {
        assertArrayEquals(expected, probabilitiesOfSlot(env, b), "trial " + t);
        assertEquals(t >= 5, env.reversed(b));
        assertEquals(5, env.reversalTrial(b));
      }
      // arm 1 is best before the reversal: its regret is 0 there and 0.7 after
      assertEquals(t < 5 ? 0f : 0.7f, env.expectedRegret(0, 1), 1e-6f);
      env.step(new int[] {1, 1, 0}, null, rewards, term, trunc);
      assertEquals(t < 5 ? 0f : 0.7f, env.lastExpectedRegret()[0], 1e-6f, "regret of the trial played");
      assertEquals(t < 5 ? 0.7f : 0f, env.lastExpectedRegret()[2], 1e-6f);
      assertFalse(term[0]);
      assertEquals(t == 9, trunc[0]);
    }
    assertThrows(IllegalStateException.class, () -> env.step(new int[3], null, rewards, null, null));
  }

  @Test
  void moreArmsReverseInRankWithTiesBrokenByArmIndex() {
    ReversalBandit five = ReversalBandit.atTrial(2, 5, 4, BanditPrior.FIXED,
        new float[] {0.1f, 0.5f, 0.9f, 0.3f, 0.7f}, 2, false, 1, 0);
    five.reset(0, null);
    float[] r = new float[2];
    five.step(new int[2], null, r, null, null);
    five.step(new int[2], null, r, null, null);
    // ranks 0.9 (arm 2) > 0.7 (4) > 0.5 (1) > 0.3 (3) > 0.1 (0): arm 2 takes 0.1, arm 4 takes 0.3,
    // the middle arm 1 keeps 0.5, arm 3 takes 0.7 and arm 0 takes 0.9
    assertArrayEquals(new float[] {0.9f, 0.5f, 0.1f, 0.7f, 0.3f}, probabilitiesOfSlot(five, 1));
    ReversalBandit tie = ReversalBandit.atTrial(1, 3, 4, BanditPrior.FIXED,
        new float[] {0.5f, 0.5f, 0.2f}, 1, false, 1, 0);
    tie.reset(0, null);
    tie.step(new int[1], null, new float[1], null, null);
    // arm 0 ranks above arm 1 (same p), so arm 0 takes the lowest and arm 1 keeps the middle
    assertArrayEquals(new float[] {0.2f, 0.5f, 0.5f}, probabilitiesOfSlot(tie, 0));
  }

  @Test
  void correlatedProbabilitiesStillSumToOneAfterTheReversal() {
    ReversalBandit env = ReversalBandit.atTrial(100, 2, 4, BanditPrior.CORRELATED, null, 2, false, 5, 0);
    env.reset(3, null);
    float[] before = env.armProbabilities().clone();
    env.step(new int[100], null, new float[100], null, null);
    env.step(new int[100], null, new float[100], null, null);
    for (int b = 0; b < 100; b++) {
      assertEquals(before[b], env.armProbabilities()[100 + b]);
      assertEquals(before[100 + b], env.armProbabilities()[b]);
      assertEquals(1f, env.armProbabilities()[b] + env.armProbabilities()[100 + b], 1e-6f);
    }
  }

  @Test
  void reversalTrialsAreUniformOverTheWindow() {
    int batch = 20_000;
    ReversalBandit env = new ReversalBandit(batch, 2, 20, BanditPrior.INDEPENDENT, null, 3, 7, false, 8, 0);
    env.reset(1, null);
    long[] count = new long[20];
    for (int b = 0; b < batch; b++) {
      count[env.reversalTrial(b)]++;
    }
    for (int t = 0; t < 20; t++) {
      if (t < 3 || t > 7) {
        assertEquals(0, count[t], "trial " + t + " is outside the window");
      } else {
        EnvTesting.assertBinomial(0.2, count[t], batch, "reversal at trial " + t);
      }
    }
  }

  @Test
  void rewardFrequenciesFollowTheProbabilitiesBeforeAndAfterTheReversal() {
    int batch = 2000, trials = 100;
    ReversalBandit env = ReversalBandit.atTrial(batch, 2, trials, BanditPrior.FIXED,
        new float[] {0.25f, 0.75f}, 50, false, 11, 0);
    env.reset(0, null);
    int[] actions = new int[batch];
    java.util.Arrays.fill(actions, 1);
    float[] rewards = new float[batch];
    long[] wins = new long[2];
    for (int t = 0; t < trials; t++) {
      env.step(actions, null, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        wins[t < 50 ? 0 : 1] += (long) rewards[b];
      }
    }
    EnvTesting.assertBinomial(0.75, wins[0], 50L * batch, "arm 1 before the reversal");
    EnvTesting.assertBinomial(0.25, wins[1], 50L * batch, "arm 1 after the reversal");
  }

  @Test
  void anOracleThatFollowsTheReversalHasNoRegretAndAStickyPlayerHasSome() {
    int batch = 500, trials = 30, arms = 4;
    ReversalBandit env = new ReversalBandit(batch, arms, trials, BanditPrior.INDEPENDENT, null, 5, 25,
        false, 2, 0);
    env.reset(7, null);
    int[] oracle = new int[batch];
    float[] rewards = new float[batch];
    int[] firstBest = new int[batch];
    double oracleRegret = 0, oracleReward = 0, expectedBest = 0;
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        int best = 0;
        for (int a = 1; a < arms; a++) {
          if (env.armProbabilities()[a * batch + b] > env.armProbabilities()[best * batch + b]) {
            best = a;
          }
        }
        oracle[b] = best;
        expectedBest += env.armProbabilities()[best * batch + b];
        if (t == 0) {
          firstBest[b] = best;
        }
      }
      env.step(oracle, null, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        oracleRegret += env.lastExpectedRegret()[b];
        oracleReward += rewards[b];
      }
    }
    assertEquals(0.0, oracleRegret, "the oracle never plays a worse arm");
    // the oracle's reward is the sum of the best probabilities: 5 sd of a sum of Bernoullis (var <= 1/4 each)
    assertEquals(expectedBest, oracleReward, 5 * Math.sqrt(batch * trials / 4.0));
    env.reset(7, null);
    double stickyRegret = 0;
    for (int t = 0; t < trials; t++) {
      env.step(firstBest, null, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        stickyRegret += env.lastExpectedRegret()[b];
      }
    }
    assertTrue(stickyRegret > 0.1 * batch, "after the reversal the first best arm is the worst: " + stickyRegret);
  }

  @Test
  void observationsCarryPreviousActionRewardAndTrial() {
    ReversalBandit env = ReversalBandit.atTrial(2, 3, 5, BanditPrior.FIXED, new float[] {1f, 0f, 0f}, 2,
        true, 1, 0);
    assertEquals(5, env.observationSize());
    float[] obs = new float[10];
    env.reset(0, obs);
    assertArrayEquals(new float[10], obs);
    env.step(new int[] {0, 2}, obs, new float[2], null, null);
    assertArrayEquals(new float[] {1, 0, 0, 1, 0.25f, 0, 0, 1, 0, 0.25f}, obs);
  }

  @Test
  void aSlotPlaysTheSameEpisodeWhateverItsBatch() {
    ReversalBandit whole = new ReversalBandit(10, 3, 12, BanditPrior.INDEPENDENT, null, 2, 9, true, 9, 100);
    ReversalBandit part = new ReversalBandit(4, 3, 12, BanditPrior.INDEPENDENT, null, 2, 9, true, 9, 106);
    EnvTesting.assertSameEpisodes(whole, part, 6, 4, 12, (b, t) -> (b + t) % 3);
    for (int b = 0; b < 4; b++) {
      assertEquals(whole.reversalTrial(6 + b), part.reversalTrial(b));
      assertArrayEquals(probabilitiesOfSlot(whole, 6 + b), probabilitiesOfSlot(part, b));
    }
  }

  @Test
  void badInputIsRefusedWithItsName() {
    assertMessage("arms = 1; allowed: 2 to 64",
        () -> new ReversalBandit(4, 1, 10, BanditPrior.INDEPENDENT, null, 5, 5, false, 1, 0));
    assertMessage("probabilities[1] = 1.5; allowed: a probability in [0, 1]",
        () -> new ReversalBandit(4, 2, 10, BanditPrior.FIXED, new float[] {0.5f, 1.5f}, 5, 5, false, 1, 0));
    assertMessage("probabilities[0] = -0.1; allowed: a probability in [0, 1]",
        () -> new ReversalBandit(4, 2, 10, BanditPrior.FIXED, new float[] {-0.1f, 0.5f}, 5, 5, false, 1, 0));
    assertMessage("trials = -3; allowed: 2 to 1048576",
        () -> new ReversalBandit(4, 2, -3, BanditPrior.INDEPENDENT, null, 5, 5, false, 1, 0));
    assertMessage("reversalMin = 0; allowed: 1 to 9",
        () -> new ReversalBandit(4, 2, 10, BanditPrior.INDEPENDENT, null, 0, 5, false, 1, 0));
    assertMessage("reversalMax = 10; allowed: 5 to 9",
        () -> new ReversalBandit(4, 2, 10, BanditPrior.INDEPENDENT, null, 5, 10, false, 1, 0));
    assertMessage("arms = 3; allowed: 2 with the correlated prior",
        () -> new ReversalBandit(4, 3, 10, BanditPrior.CORRELATED, null, 5, 5, false, 1, 0));
    assertMessage("batch = 0; allowed: 1 to 1073741823",
        () -> new ReversalBandit(0, 2, 10, BanditPrior.INDEPENDENT, null, 5, 5, false, 1, 0));
    ReversalBandit env = ReversalBandit.atTrial(2, 2, 10, BanditPrior.INDEPENDENT, null, 5, false, 1, 0);
    assertMessage("episode = -1; allowed: 0 to 165191049", () -> env.reset(-1, null));
    env.reset(0, null);
    assertMessage("actions[1] = 2; allowed: 0 to 1",
        () -> env.step(new int[] {0, 2}, null, new float[2], null, null));
    assertMessage("actions[0] = -1; allowed: 0 to 1",
        () -> env.step(new int[] {-1, 0}, null, new float[2], null, null));
  }

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  /** What simulate hands to the batched kernels after the reversal is what stepping produces. */
  @Test
  void reversedProbabilitiesAreThoseInForceAfterTheReversal() {
    int batch = 40, arms = 5, trials = 30;
    ReversalBandit env = new ReversalBandit(batch, arms, trials, BanditPrior.INDEPENDENT, null, 3, 20, false, 9, 4);
    env.reset(0, null);
    float[] drawn = env.armProbabilities().clone();
    float[] reversed = new float[drawn.length];
    env.reversedProbabilities(drawn, reversed);
    assertArrayEquals(drawn, env.armProbabilities(), "computing them changes nothing");
    int[] actions = new int[batch];
    float[] rewards = new float[batch];
    for (int t = 0; t < trials; t++) {
      env.step(actions, null, rewards, null, null);
    }
    assertArrayEquals(reversed, env.armProbabilities(), "after every slot's reversal trial");
    assertThrows(IllegalArgumentException.class, () -> env.reversedProbabilities(drawn, new float[3]));
  }
}
