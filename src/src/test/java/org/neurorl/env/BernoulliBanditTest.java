package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BernoulliBanditTest {
  @Test
  void rewardFrequenciesMatchTheFixedProbabilities() {
    int batch = 1000, trials = 100;
    BernoulliBandit env = new BernoulliBandit(batch, 2, trials, BanditPrior.FIXED, new float[] {0.25f, 0.75f},
        false, 11, 0);
    env.reset(0, null);
    int[] actions = new int[batch];
    float[] rewards = new float[batch];
    long[] pulls = new long[2];
    double[] wins = new double[2];
    for (int t = 0; t < trials; t++) {
      for (int b = 0; b < batch; b++) {
        actions[b] = (b + t) & 1;
      }
      env.step(actions, null, rewards, null, null);
      for (int b = 0; b < batch; b++) {
        pulls[actions[b]]++;
        wins[actions[b]] += rewards[b];
      }
    }
    double[] p = {0.25, 0.75};
    for (int a = 0; a < 2; a++) {
      double n = pulls[a];
      // 4.5 binomial standard deviations: a false alarm about once in 150,000 runs
      double bound = 4.5 * Math.sqrt(p[a] * (1 - p[a]) / n);
      assertEquals(p[a], wins[a] / n, bound, "arm " + a);
    }
  }

  @Test
  void correlatedProbabilitiesSumToOneAndIndependentOnesLookUniform() {
    int batch = 20_000;
    BernoulliBandit c = new BernoulliBandit(batch, 2, 100, BanditPrior.CORRELATED, null, false, 3, 0);
    c.reset(4, null);
    float[] p = c.armProbabilities();
    for (int b = 0; b < batch; b++) {
      assertEquals(1f, p[b] + p[batch + b], 1e-6f);
    }
    BernoulliBandit ind = new BernoulliBandit(batch, 2, 100, BanditPrior.INDEPENDENT, null, false, 3, 0);
    ind.reset(0, null);
    float[] q = ind.armProbabilities();
    double mean = 0, cross = 0;
    for (int b = 0; b < batch; b++) {
      mean += q[b];
      cross += (q[b] - 0.5) * (q[batch + b] - 0.5);
    }
    // U(0,1): mean 1/2, sd 1/sqrt(12); 5 standard errors
    assertEquals(0.5, mean / batch, 5 * 0.2887 / Math.sqrt(batch));
    assertEquals(0.0, cross / batch / (1.0 / 12), 5 / Math.sqrt(batch), "arms drawn independently");
  }

  @Test
  void aSlotBehavesTheSameWhateverBatchItIsIn() {
    BernoulliBandit whole = new BernoulliBandit(10, 2, 5, BanditPrior.INDEPENDENT, null, true, 9, 0);
    BernoulliBandit tail = new BernoulliBandit(4, 2, 5, BanditPrior.INDEPENDENT, null, true, 9, 6);
    whole.reset(2, null);
    tail.reset(2, null);
    for (int b = 0; b < 4; b++) {
      for (int a = 0; a < 2; a++) {
        assertEquals(whole.armProbabilities()[a * 10 + 6 + b], tail.armProbabilities()[a * 4 + b]);
      }
    }
  }

  @Test
  void observationsCarryPreviousActionRewardAndTrial() {
    BernoulliBandit env = new BernoulliBandit(2, 2, 3, BanditPrior.FIXED, new float[] {0f, 1f}, true, 1, 0);
    float[] obs = new float[2 * env.observationSize()];
    env.reset(0, obs);
    assertEquals(4, env.observationSize());
    for (float v : obs) {
      assertEquals(0f, v);
    }
    float[] rewards = new float[2];
    boolean[] term = new boolean[2], trunc = new boolean[2];
    env.step(new int[] {1, 0}, obs, rewards, term, trunc);
    assertEquals(1f, rewards[0]);
    assertEquals(0f, rewards[1]);
    // slot 0: one-hot action 1, reward 1, trial 1 of 0..2 -> 0.5
    assertEquals(0f, obs[0]);
    assertEquals(1f, obs[1]);
    assertEquals(1f, obs[2]);
    assertEquals(0.5f, obs[3]);
    assertEquals(1f, obs[4]);
    assertEquals(0f, obs[6]);
    env.step(new int[] {1, 1}, obs, rewards, term, trunc);
    env.step(new int[] {1, 1}, obs, rewards, term, trunc);
    assertTrue(trunc[0] && trunc[1] && !term[0]);
    assertThrows(IllegalStateException.class, () -> env.step(new int[] {0, 0}, null, rewards, null, null));
    assertEquals(1f, env.expectedRegret(0, 0));
  }

  @Test
  void badInputIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BernoulliBandit(4, 2, 10, BanditPrior.FIXED, new float[] {0.5f, 1.5f}, false, 1, 0));
    assertEquals("probabilities[1] = 1.5; allowed: a probability in [0, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BernoulliBandit(0, 2, 10, BanditPrior.INDEPENDENT, null, false, 1, 0));
    assertTrue(e.getMessage().startsWith("batch = 0; allowed: 1 to"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BernoulliBandit(4, 3, 10, BanditPrior.CORRELATED, null, false, 1, 0));
    assertEquals("arms = 3; allowed: 2 with the correlated prior", e.getMessage());
    BernoulliBandit env = new BernoulliBandit(2, 2, 10, BanditPrior.INDEPENDENT, null, false, 1, 0);
    env.reset(0, null);
    e = assertThrows(IllegalArgumentException.class,
        () -> env.step(new int[] {0, 2}, null, new float[2], null, null));
    assertEquals("actions[1] = 2; allowed: 0 to 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BanditPrior.parse("bimodal"));
    assertEquals("task = bimodal; allowed: independent, correlated, fixed", e.getMessage());
  }
}
