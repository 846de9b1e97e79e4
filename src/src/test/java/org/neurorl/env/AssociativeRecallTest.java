package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurorl.env.ReversalBanditTest.assertMessage;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AssociativeRecallTest {
  /** Reads a bipolar pattern back into its bits. */
  private static int decode(float[] obs, int offset, int length) {
    int pattern = 0;
    for (int i = 0; i < length; i++) {
      assertTrue(obs[offset + i] == 1f || obs[offset + i] == -1f, "bipolar input " + obs[offset + i]);
      pattern |= obs[offset + i] > 0 ? 1 << i : 0;
    }
    return pattern;
  }

  @Test
  void studyShowsEachPairThenTheQueryShowsAKeyAndOnlyItsValueIsRewarded() {
    // L = 2: 4 actions; observation 2 + 2 + 1 + 4 + 1 = 10
    AssociativeRecall env = new AssociativeRecall(1, 3, 2, 2, false, 5, 0);
    int n = env.observationSize();
    assertEquals(10, n);
    float[] obs = new float[n];
    float[] rewards = new float[1];
    boolean[] term = new boolean[1], trunc = new boolean[1];
    env.reset(0, obs);
    for (int i = 0; i < 3; i++) {
      assertEquals(env.key(0, i), decode(obs, 0, 2), "key of pair " + i);
      assertEquals(env.value(0, i), decode(obs, 2, 2), "value of pair " + i);
      assertEquals(0f, obs[4], "no query during study");
      assertEquals(-1, env.correctAction(0));
      // study-step actions earn nothing, even the right value
      env.step(new int[] {env.value(0, i)}, obs, rewards, term, trunc);
      assertEquals(0f, rewards[0]);
      assertFalse(term[0]);
    }
    for (int q = 0; q < 2; q++) {
      int pair = env.queriedPair(0);
      assertTrue(pair >= 0 && pair < 3);
      assertEquals(env.key(0, pair), decode(obs, 0, 2));
      assertArrayEquals(new float[2], Arrays.copyOfRange(obs, 2, 4), "no value at a query");
      assertEquals(1f, obs[4], "query input");
      int right = env.value(0, pair);
      assertEquals(right, env.correctAction(0));
      int answer = q == 0 ? right : (right + 1) % 4;
      env.step(new int[] {answer}, obs, rewards, term, trunc);
      assertEquals(q == 0 ? 1f : 0f, rewards[0]);
      assertEquals(q == 1, term[0]);
      assertEquals(1f, obs[5 + answer], "previous action one-hot");
      assertEquals(rewards[0], obs[9], "previous reward");
    }
    assertFalse(trunc[0]);
    assertArrayEquals(new float[5], Arrays.copyOfRange(obs, 0, 5), "nothing shown after the end");
    assertThrows(IllegalStateException.class, () -> env.step(new int[1], null, rewards, null, null));
  }

  @Test
  void keysAreDistinctAndUniformValuesAndQueriesUniform() {
    int batch = 20_000;
    AssociativeRecall env = new AssociativeRecall(batch, 2, 2, 1, false, 8, 0);
    env.reset(3, null);
    long[] firstKey = new long[4], secondGivenFirst0 = new long[4], value = new long[4], query = new long[2];
    long first0 = 0;
    for (int b = 0; b < batch; b++) {
      assertTrue(env.key(b, 0) != env.key(b, 1), "keys differ");
      firstKey[env.key(b, 0)]++;
      if (env.key(b, 0) == 0) {
        first0++;
        secondGivenFirst0[env.key(b, 1)]++;
      }
      value[env.value(b, 0)]++;
      value[env.value(b, 1)]++;
    }
    env.step(new int[batch], null, new float[batch], null, null);
    env.step(new int[batch], null, new float[batch], null, null);
    for (int b = 0; b < batch; b++) {
      query[env.queriedPair(b)]++;
    }
    for (int k = 0; k < 4; k++) {
      EnvTesting.assertBinomial(0.25, firstKey[k], batch, "first key " + k);
      EnvTesting.assertBinomial(0.25, value[k], 2L * batch, "value " + k);
      if (k > 0) {
        EnvTesting.assertBinomial(1.0 / 3, secondGivenFirst0[k], first0, "second key " + k + " after key 0");
      }
    }
    EnvTesting.assertBinomial(0.5, query[0], batch, "query of pair 0");
    // P = 2^L: the keys are a permutation of all patterns
    AssociativeRecall full = new AssociativeRecall(300, 16, 4, 1, false, 2, 0);
    full.reset(0, null);
    for (int b = 0; b < 300; b++) {
      boolean[] seen = new boolean[16];
      for (int i = 0; i < 16; i++) {
        assertFalse(seen[full.key(b, i)], "slot " + b + " repeats a key");
        seen[full.key(b, i)] = true;
      }
    }
  }

  @Test
  void aMemoryOfTheStudiedPairsAnswersEveryQueryAndGuessingRarelyDoes() {
    int batch = 1000, pairs = 6, length = 4, queries = 5;
    AssociativeRecall env = new AssociativeRecall(batch, pairs, length, queries, true, 3, 0);
    int n = env.observationSize();
    float[] obs = new float[batch * n];
    float[] rewards = new float[batch];
    boolean[] term = new boolean[batch];
    int[] actions = new int[batch];
    int[][] memory = new int[batch][16];
    env.reset(1, obs);
    long wins = 0;
    for (int s = 0; s < pairs + queries; s++) {
      for (int b = 0; b < batch; b++) {
        int key = decode(obs, b * n, length);
        if (obs[b * n + 2 * length] == 0f) {
          memory[b][key] = decode(obs, b * n + length, length);
          actions[b] = 0;
        } else {
          actions[b] = memory[b][key];
        }
      }
      env.step(actions, obs, rewards, term, null);
      for (float r : rewards) {
        wins += (long) r;
      }
      assertEquals(s == pairs + queries - 1, term[0]);
    }
    assertEquals((long) batch * queries, wins, "recall from the observations is always right");
    env.reset(2, obs);
    long guessWins = 0;
    Arrays.fill(actions, 5);
    for (int s = 0; s < pairs + queries; s++) {
      env.step(actions, obs, rewards, term, null);
      for (float r : rewards) {
        guessWins += (long) r;
      }
    }
    EnvTesting.assertBinomial(1.0 / 16, guessWins, (long) batch * queries, "a fixed guess");
  }

  @Test
  void aSlotPlaysTheSameEpisodeWhateverItsBatch() {
    AssociativeRecall whole = new AssociativeRecall(10, 4, 3, 3, true, 6, 0);
    AssociativeRecall part = new AssociativeRecall(3, 4, 3, 3, true, 6, 6);
    EnvTesting.assertSameEpisodes(whole, part, 6, 2, 7, (b, s) -> (b * 3 + s) % 8);
    for (int b = 0; b < 3; b++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(whole.key(6 + b, i), part.key(b, i));
        assertEquals(whole.value(6 + b, i), part.value(b, i));
      }
    }
  }

  @Test
  void badInputIsRefusedWithItsName() {
    assertMessage("pairs = 5; allowed: 1 to 4", () -> new AssociativeRecall(2, 5, 2, 1, false, 1, 0));
    assertMessage("pairs = 0; allowed: 1 to 8", () -> new AssociativeRecall(2, 0, 3, 1, false, 1, 0));
    assertMessage("length = 9; allowed: 1 to 8", () -> new AssociativeRecall(2, 4, 9, 1, false, 1, 0));
    assertMessage("queries = -2; allowed: 1 to 1048576",
        () -> new AssociativeRecall(2, 4, 3, -2, false, 1, 0));
    AssociativeRecall env = new AssociativeRecall(2, 2, 3, 1, false, 1, 0);
    env.reset(0, null);
    assertMessage("actions[0] = 8; allowed: 0 to 7",
        () -> env.step(new int[] {8, 0}, null, new float[2], null, null));
  }
}
