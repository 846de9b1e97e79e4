package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurorl.env.ReversalBanditTest.assertMessage;

import org.junit.jupiter.api.Test;

class WisconsinCardSortTest {
  @Test
  void theCardIsShownOneHotAndSortingByTheRuleIsRewarded() {
    int batch = 50;
    WisconsinCardSort env = new WisconsinCardSort(batch, 5, 10, false, false, 3, 0);
    int n = env.observationSize();
    assertEquals(17, n);
    float[] obs = new float[batch * n];
    float[] rewards = new float[batch];
    int[] actions = new int[batch];
    env.reset(0, obs);
    int rewardedWrong = 0, checkedWrong = 0;
    for (int t = 0; t < 5; t++) {
      int[] expectedReward = new int[batch];
      for (int b = 0; b < batch; b++) {
        for (int f = 0; f < 3; f++) {
          int v = env.cardFeature(b, f);
          for (int i = 0; i < 4; i++) {
            assertEquals(i == v ? 1f : 0f, obs[b * n + 4 * f + i], "feature " + f);
          }
        }
        // odd slots sort by a feature that is not the rule, when it names a different key card
        int other = (env.rule(b) + 1) % 3;
        boolean wrong = (b & 1) == 1 && env.cardFeature(b, other) != env.correctAction(b);
        actions[b] = wrong ? env.cardFeature(b, other) : env.correctAction(b);
        expectedReward[b] = wrong ? 0 : 1;
        checkedWrong += wrong ? 1 : 0;
      }
      env.step(actions, obs, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        assertEquals(expectedReward[b], rewards[b], "slot " + b + " trial " + t);
        assertEquals(1f, obs[b * n + 12 + actions[b]]);
        assertEquals(rewards[b], obs[b * n + 16]);
        rewardedWrong += expectedReward[b] == 0 && rewards[b] > 0 ? 1 : 0;
      }
    }
    assertTrue(checkedWrong > 20, "enough wrong sorts were tried: " + checkedWrong);
    assertEquals(0, rewardedWrong);
  }

  @Test
  void theRuleSwitchesAfterExactlyRunLengthConsecutiveCorrectChoices() {
    int runLength = 4;
    WisconsinCardSort env = new WisconsinCardSort(1, 40, runLength, true, true, 5, 0);
    env.reset(0, null);
    float[] rewards = new float[1];
    // script: 3 correct, 1 wrong (the run restarts), then correct forever
    int correctInARow = 0, expectedRule = WisconsinCardSort.COLOUR, expectedCategories = 0;
    int expectedPrevious = -1;
    for (int t = 0; t < 40; t++) {
      assertEquals(expectedRule, env.rule(0), "trial " + t);
      assertEquals(expectedPrevious, env.previousRule(0));
      assertEquals(correctInARow, env.run(0));
      assertEquals(expectedCategories, env.categoriesCompleted(0));
      boolean wrong = t == 3;
      int action = wrong ? (env.correctAction(0) + 1) % 4 : env.correctAction(0);
      env.step(new int[] {action}, null, rewards, null, null);
      assertEquals(wrong ? 0f : 1f, rewards[0]);
      correctInARow = wrong ? 0 : correctInARow + 1;
      if (correctInARow == runLength) {
        correctInARow = 0;
        expectedCategories++;
        expectedPrevious = expectedRule;
        expectedRule = (expectedRule + 1) % 3; // cyclic: colour, shape, number, colour ...
      }
    }
    // 3 + 1 trials before the first clean run, then 36 correct trials: 9 runs of 4
    assertEquals(9, env.categoriesCompleted(0));
  }

  @Test
  void aRandomNewRuleIsOneOfTheOtherTwoFeaturesWithEqualChance() {
    int batch = 10_000, runLength = 2;
    WisconsinCardSort env = new WisconsinCardSort(batch, 2, runLength, false, false, 9, 0);
    float[] rewards = new float[batch];
    int[] actions = new int[batch];
    long[] firstRule = new long[3];
    long plusOne = 0;
    env.reset(4, null);
    int[] before = new int[batch];
    for (int b = 0; b < batch; b++) {
      before[b] = env.rule(b);
      firstRule[before[b]]++;
    }
    for (int t = 0; t < 2; t++) {
      for (int b = 0; b < batch; b++) {
        actions[b] = env.correctAction(b);
      }
      env.step(actions, null, rewards, null, null);
    }
    for (int b = 0; b < batch; b++) {
      assertEquals(1, env.categoriesCompleted(b));
      assertNotEquals(before[b], env.rule(b), "the new rule differs from the old");
      plusOne += env.rule(b) == (before[b] + 1) % 3 ? 1 : 0;
    }
    EnvTesting.assertBinomial(0.5, plusOne, batch, "new rule = next feature");
    for (int f = 0; f < 3; f++) {
      EnvTesting.assertBinomial(1.0 / 3, firstRule[f], batch, "first rule " + f);
    }
  }

  @Test
  void cardFeaturesAreUniformAndIndependent() {
    int batch = 4000, trials = 5;
    WisconsinCardSort env = new WisconsinCardSort(batch, trials, 10, true, false, 13, 0);
    env.reset(0, null);
    long[][] count = new long[3][4];
    long colourEqualsShape = 0;
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        for (int f = 0; f < 3; f++) {
          count[f][env.cardFeature(b, f)]++;
        }
        colourEqualsShape += env.cardFeature(b, 0) == env.cardFeature(b, 1) ? 1 : 0;
      }
      env.step(new int[batch], null, new float[batch], null, null);
    }
    long total = (long) batch * trials;
    for (int f = 0; f < 3; f++) {
      for (int v = 0; v < 4; v++) {
        EnvTesting.assertBinomial(0.25, count[f][v], total, "feature " + f + " value " + v);
      }
    }
    EnvTesting.assertBinomial(0.25, colourEqualsShape, total, "colour and shape independent");
    assertEquals(-1, env.correctAction(0), "no card after the last trial");
  }

  @Test
  void theOracleEarnsEveryRewardAndTheRuleSwitchesEveryRunLengthTrials() {
    int batch = 200, trials = 100, runLength = 10;
    WisconsinCardSort env = new WisconsinCardSort(batch, trials, runLength, false, false, 17, 0);
    env.reset(3, null);
    float[] rewards = new float[batch];
    int[] actions = new int[batch];
    boolean[] trunc = new boolean[batch], term = new boolean[batch];
    double total = 0;
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        actions[b] = env.correctAction(b);
      }
      env.step(actions, null, rewards, term, trunc);
      for (int b = 0; b < batch; b++) {
        total += rewards[b];
        assertEquals((t + 1) / runLength, env.categoriesCompleted(b));
      }
      assertEquals(t == trials - 1, trunc[0]);
    }
    assertEquals((double) batch * trials, total);
    assertThrows(IllegalStateException.class, () -> env.step(actions, null, rewards, null, null));
  }

  @Test
  void aSlotPlaysTheSameEpisodeWhateverItsBatch() {
    WisconsinCardSort whole = new WisconsinCardSort(8, 30, 3, false, true, 2, 40);
    WisconsinCardSort part = new WisconsinCardSort(5, 30, 3, false, true, 2, 43);
    // slots pick key card (slot + trial) mod 4: some runs complete, so rules switch at random
    EnvTesting.assertSameEpisodes(whole, part, 3, 6, 30, (b, t) -> (b + t / 2) % 4);
  }

  @Test
  void badInputIsRefusedWithItsName() {
    assertMessage("runLength = 0; allowed: 1 to 1048576",
        () -> new WisconsinCardSort(2, 10, 0, false, false, 1, 0));
    assertMessage("trials = -1; allowed: 2 to 1048576",
        () -> new WisconsinCardSort(2, -1, 10, false, false, 1, 0));
    assertMessage("batch = 0; allowed: 1 to 119304647",
        () -> new WisconsinCardSort(0, 10, 10, false, false, 1, 0));
    WisconsinCardSort env = new WisconsinCardSort(2, 10, 10, false, false, 1, 0);
    env.reset(0, null);
    assertMessage("actions[0] = 4; allowed: 0 to 3",
        () -> env.step(new int[] {4, 0}, null, new float[2], null, null));
  }
}
