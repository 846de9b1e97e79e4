package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurorl.env.ReversalBanditTest.assertMessage;

import org.junit.jupiter.api.Test;

class CuedTMazeTest {
  @Test
  void theCueComesFirstThenTheDelayThenTheChoiceWhichEndsTheEpisode() {
    CuedTMaze env = new CuedTMaze(2, 3, true, 1, 0);
    assertEquals(7, env.observationSize());
    assertEquals(5, env.steps());
    float[] obs = new float[14];
    env.reset(0, obs);
    int[] cue = env.cues().clone();
    // step 0: the cue only (no previous action or reward yet), step input 0
    for (int b = 0; b < 2; b++) {
      float[] expected = new float[7];
      expected[cue[b]] = 1f;
      assertArrayEquals(expected, java.util.Arrays.copyOfRange(obs, 7 * b, 7 * b + 7));
    }
    float[] rewards = new float[2];
    boolean[] term = new boolean[2], trunc = new boolean[2];
    // during the cue and the delay the action is ignored: even the cued side earns nothing
    for (int s = 0; s < 4; s++) {
      env.step(cue.clone(), obs, rewards, term, trunc);
      assertArrayEquals(new float[2], rewards, "step " + s);
      assertFalse(term[0] || trunc[0]);
      for (int b = 0; b < 2; b++) {
        float[] expected = new float[7];
        expected[2] = s + 1 == 4 ? 1f : 0f; // go at the choice step 4
        expected[3 + cue[b]] = 1f;
        expected[6] = (s + 1) / 4f;
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(obs, 7 * b, 7 * b + 7), "after step " + s);
      }
    }
    assertEquals(4, env.stepIndex());
    // slot 0 goes to the cued side, slot 1 to the other
    env.step(new int[] {cue[0], 1 - cue[1]}, obs, rewards, term, trunc);
    assertArrayEquals(new float[] {1f, 0f}, rewards);
    assertArrayEquals(new boolean[] {true, true}, term);
    assertArrayEquals(new boolean[] {false, false}, trunc);
    assertEquals(1f, obs[5]);
    assertThrows(IllegalStateException.class, () -> env.step(new int[2], null, rewards, null, null));
  }

  @Test
  void aPolicyThatRemembersTheCueAlwaysWinsAndOneThatGuessesWinsHalfTheTime() {
    int batch = 5000, delay = 6;
    CuedTMaze env = new CuedTMaze(batch, delay, false, 7, 0);
    int n = env.observationSize();
    float[] obs = new float[batch * n];
    float[] rewards = new float[batch];
    boolean[] term = new boolean[batch];
    int[] remembered = new int[batch];
    int[] actions = new int[batch];
    long memoryWins = 0, leftWins = 0, rightCues = 0;
    for (int episode = 0; episode < 2; episode++) {
      env.reset(episode, obs);
      for (int b = 0; b < batch; b++) {
        remembered[b] = obs[b * n] == 1f ? CuedTMaze.LEFT : CuedTMaze.RIGHT;
        rightCues += remembered[b];
      }
      do {
        for (int b = 0; b < batch; b++) {
          // only the go input tells when the remembered side counts
          actions[b] = obs[b * n + 2] == 1f ? remembered[b] : 1 - remembered[b];
        }
        env.step(actions, obs, rewards, term, null);
      } while (!term[0]);
      for (float r : rewards) {
        memoryWins += (long) r;
      }
      env.reset(episode, obs);
      java.util.Arrays.fill(actions, CuedTMaze.LEFT);
      for (int s = 0; s < env.steps(); s++) {
        env.step(actions, obs, rewards, term, null);
      }
      for (float r : rewards) {
        leftWins += (long) r;
      }
    }
    assertEquals(2L * batch, memoryWins, "remembering the cue wins every episode");
    EnvTesting.assertBinomial(0.5, leftWins, 2L * batch, "always left");
    EnvTesting.assertBinomial(0.5, rightCues, 2L * batch, "right cues");
  }

  @Test
  void noDelayMeansTheChoiceFollowsTheCue() {
    CuedTMaze env = new CuedTMaze(1, 0, false, 3, 0);
    float[] obs = new float[6];
    env.reset(5, obs);
    int cue = env.cues()[0];
    boolean[] term = new boolean[1];
    float[] rewards = new float[1];
    env.step(new int[] {1 - cue}, obs, rewards, term, null);
    assertEquals(1f, obs[2], "go");
    assertFalse(term[0]);
    env.step(new int[] {cue}, obs, rewards, term, null);
    assertEquals(1f, rewards[0]);
    assertEquals(true, term[0]);
  }

  @Test
  void aSlotPlaysTheSameEpisodeWhateverItsBatch() {
    CuedTMaze whole = new CuedTMaze(12, 2, true, 4, 0);
    CuedTMaze part = new CuedTMaze(5, 2, true, 4, 7);
    EnvTesting.assertSameEpisodes(whole, part, 7, 9, 4, (b, s) -> (b + s) & 1);
  }

  @Test
  void badInputIsRefusedWithItsName() {
    assertMessage("delay = -1; allowed: 0 to 1048576", () -> new CuedTMaze(2, -1, false, 1, 0));
    assertMessage("batch = 0; allowed: 1 to 268435455", () -> new CuedTMaze(0, 1, false, 1, 0));
    CuedTMaze env = new CuedTMaze(2, 1, false, 1, 0);
    assertThrows(IllegalStateException.class, () -> env.step(new int[2], null, new float[2], null, null),
        "step before reset");
    env.reset(0, null);
    assertMessage("actions[1] = 2; allowed: 0 to 1",
        () -> env.step(new int[] {0, 2}, null, new float[2], null, null));
    assertMessage("rewards.length = 1; allowed: a float array of length >= 2",
        () -> env.step(new int[] {0, 1}, null, new float[1], null, null));
  }
}
