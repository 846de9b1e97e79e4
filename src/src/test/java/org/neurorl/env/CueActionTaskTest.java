package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurorl.env.ReversalBanditTest.assertMessage;

import org.junit.jupiter.api.Test;

class CueActionTaskTest {
  @Test
  void rewardedActionEarnsTheRewardAndOthersThePenalty() {
    int[] correct = {0, 1, 2, 3, 1, 0};
    CueActionTask env = new CueActionTask(3, 4, 4, 2, 10, 5, 2f, -0.5f, correct, false, 4, 0);
    int n = env.observationSize();
    assertEquals(6 + 4 + 1, n);
    float[] obs = new float[3 * n];
    env.reset(0, obs);
    int[] cue = env.currentCue().clone();
    for (int b = 0; b < 3; b++) {
      assertTrue(cue[b] >= 0 && cue[b] < 4);
      assertEquals(1f, obs[b * n + cue[b]], "the cue is shown one-hot");
      assertEquals(correct[cue[b]], env.correctAction(b, cue[b]));
    }
    // slot 0 right, slot 1 wrong, slot 2 right
    int[] actions = {correct[cue[0]], (correct[cue[1]] + 1) % 4, correct[cue[2]]};
    float[] rewards = new float[3];
    env.step(actions, obs, rewards, null, null);
    assertArrayEquals(new float[] {2f, -0.5f, 2f}, rewards);
    // previous action one-hot after the 6 cue inputs, then the previous reward
    assertEquals(1f, obs[n + 6 + actions[1]]);
    assertEquals(-0.5f, obs[n + env.previousRewardOffset()]);
    assertEquals(10, env.previousRewardOffset());
  }

  @Test
  void twoCuesAreReplacedByFreshOnesExactlyAtTheSwitchTrial() {
    int batch = 4000, trials = 40, switchTrial = 15;
    CueActionTask env = new CueActionTask(batch, 4, 4, 2, trials, switchTrial, 1f, -1f, null, false, 6, 0);
    int n = env.observationSize();
    float[] obs = new float[batch * n];
    env.reset(2, obs);
    long[][] count = new long[2][6];
    int[] actions = new int[batch];
    float[] rewards = new float[batch];
    boolean[] trunc = new boolean[batch];
    for (int t = 0; t < trials; t++) {
      assertEquals(t < switchTrial ? 0 : 2, env.firstActiveCue(t));
      for (int b = 0; b < batch; b++) {
        int c = env.currentCue()[b];
        assertTrue(env.active(c, t), "cue " + c + " at trial " + t);
        for (int i = 0; i < 6; i++) {
          assertEquals(i == c ? 1f : 0f, obs[b * n + i]);
        }
        count[t < switchTrial ? 0 : 1][c]++;
      }
      env.step(actions, obs, rewards, null, trunc);
      assertEquals(t == trials - 1, trunc[0]);
    }
    assertEquals(-1, env.currentCue()[0], "no cue after the last trial");
    // before the switch cues 0-3 only, each 1/4 of the time; after it cues 2-5 only (4 and 5 are new)
    for (int c = 0; c < 6; c++) {
      long before = (long) batch * switchTrial, after = (long) batch * (trials - switchTrial);
      if (c < 4) {
        EnvTesting.assertBinomial(0.25, count[0][c], before, "cue " + c + " before the switch");
      } else {
        assertEquals(0, count[0][c], "new cue " + c + " shown before the switch");
      }
      if (c >= 2) {
        EnvTesting.assertBinomial(0.25, count[1][c], after, "cue " + c + " after the switch");
      } else {
        assertEquals(0, count[1][c], "dropped cue " + c + " shown after the switch");
      }
    }
  }

  @Test
  void drawnRewardedActionsAreUniformPerCueAndChangeWithTheEpisode() {
    int batch = 20_000;
    CueActionTask env = CueActionTask.standard(batch, 20, false, 3, 0);
    env.reset(0, null);
    int[] first = env.correctActions().clone();
    for (int c = 0; c < 6; c++) {
      long[] count = new long[4];
      for (int b = 0; b < batch; b++) {
        count[env.correctAction(b, c)]++;
      }
      for (int a = 0; a < 4; a++) {
        EnvTesting.assertBinomial(0.25, count[a], batch, "cue " + c + " action " + a);
      }
    }
    env.reset(1, null);
    long same = 0;
    for (int i = 0; i < first.length; i++) {
      same += first[i] == env.correctActions()[i] ? 1 : 0;
    }
    EnvTesting.assertBinomial(0.25, same, first.length, "rewarded action kept from episode 0 to 1");
  }

  @Test
  void theOracleEarnsTheMaximumAndALearnerFromObservationsMakesBoundedErrors() {
    int batch = 300, trials = 60;
    CueActionTask env = CueActionTask.standard(batch, trials, true, 12, 0);
    int n = env.observationSize(), s = env.cueCount();
    float[] obs = new float[batch * n];
    float[] rewards = new float[batch];
    int[] actions = new int[batch];
    env.reset(5, obs);
    double total = 0;
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        actions[b] = env.correctAction(b, env.currentCue()[b]);
      }
      env.step(actions, obs, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        total += rewards[b];
      }
    }
    assertEquals((double) batch * trials, total, "the oracle is rewarded +1 in every trial");

    // A learner that sees only observations: it reads the cue, tries the actions in order until one is
    // rewarded and then keeps it. It errs at most 3 times per cue, 6 cues: at most 18 penalties.
    env.reset(5, obs);
    int[][] known = new int[batch][s];
    int[][] next = new int[batch][s];
    int[] shownCue = new int[batch];
    int[] penalties = new int[batch];
    for (int[] k : known) {
      java.util.Arrays.fill(k, -1);
    }
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        int c = 0;
        while (obs[b * n + c] == 0f) {
          c++;
        }
        shownCue[b] = c;
        actions[b] = known[b][c] >= 0 ? known[b][c] : next[b][c];
      }
      env.step(actions, obs, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        float r = obs[b * n + env.previousRewardOffset()];
        assertEquals(rewards[b], r);
        if (r > 0) {
          known[b][shownCue[b]] = actions[b];
        } else {
          next[b][shownCue[b]]++;
          penalties[b]++;
        }
      }
    }
    for (int b = 0; b < batch; b++) {
      assertTrue(penalties[b] <= 18, "slot " + b + ": " + penalties[b] + " penalties");
    }
  }

  @Test
  void aSlotPlaysTheSameEpisodeWhateverItsBatch() {
    CueActionTask whole = CueActionTask.standard(9, 16, true, 21, 0);
    CueActionTask part = CueActionTask.standard(3, 16, true, 21, 5);
    EnvTesting.assertSameEpisodes(whole, part, 5, 3, 16, (b, t) -> (b * 7 + t) % 4);
    for (int b = 0; b < 3; b++) {
      for (int c = 0; c < 6; c++) {
        assertEquals(whole.correctAction(5 + b, c), part.correctAction(b, c));
      }
    }
  }

  @Test
  void noReplacementKeepsTheFirstCues() {
    CueActionTask env = new CueActionTask(50, 3, 2, 0, 10, 5, 1f, 0f, null, false, 1, 0);
    assertEquals(2, env.cueCount());
    env.reset(0, null);
    for (int t = 0; t < 10; t++) {
      for (int b = 0; b < 50; b++) {
        assertTrue(env.currentCue()[b] < 2);
      }
      env.step(new int[50], null, new float[50], null, null);
    }
    assertFalse(env.active(2, 9));
  }

  @Test
  void badInputIsRefusedWithItsName() {
    assertMessage("actions = 1; allowed: 2 to 64",
        () -> new CueActionTask(2, 1, 4, 2, 10, 5, 1f, -1f, null, false, 1, 0));
    assertMessage("activeCues = 0; allowed: 1 to 64",
        () -> new CueActionTask(2, 4, 0, 0, 10, 5, 1f, -1f, null, false, 1, 0));
    assertMessage("replacedCues = 5; allowed: 0 to 4",
        () -> new CueActionTask(2, 4, 4, 5, 10, 5, 1f, -1f, null, false, 1, 0));
    assertMessage("replacedCues = -1; allowed: 0 to 4",
        () -> new CueActionTask(2, 4, 4, -1, 10, 5, 1f, -1f, null, false, 1, 0));
    assertMessage("switchTrial = 10; allowed: 1 to 9",
        () -> new CueActionTask(2, 4, 4, 2, 10, 10, 1f, -1f, null, false, 1, 0));
    assertMessage("wrongReward = NaN; allowed: a finite number",
        () -> new CueActionTask(2, 4, 4, 2, 10, 5, 1f, Float.NaN, null, false, 1, 0));
    assertMessage("correctActions.length = 4; allowed: exactly 6 (activeCues + replacedCues)",
        () -> new CueActionTask(2, 4, 4, 2, 10, 5, 1f, -1f, new int[4], false, 1, 0));
    assertMessage("correctActions[2] = 4; allowed: 0 to 3",
        () -> new CueActionTask(2, 4, 4, 2, 10, 5, 1f, -1f, new int[] {0, 1, 4, 0, 0, 0}, false, 1, 0));
    CueActionTask env = CueActionTask.standard(2, 10, false, 1, 0);
    env.reset(0, null);
    assertMessage("actions[1] = 4; allowed: 0 to 3",
        () -> env.step(new int[] {0, 4}, null, new float[2], null, null));
    assertMessage("observations.length = 3; allowed: a float array of length >= 22",
        () -> env.reset(0, new float[3]));
  }
}
