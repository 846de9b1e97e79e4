package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntBinaryOperator;

/** Checks shared by the environment tests. */
final class EnvTesting {
  private EnvTesting() {}

  /**
   * Runs one episode in {@code whole} and in {@code part}, whose slot 0 is slot {@code offset} of
   * {@code whole} (built with {@code firstSlot} larger by {@code offset}), each slot playing
   * {@code action(slotInWhole, step)}, and asserts that every observation, reward and end flag of the
   * part equals the whole's for the same slot: a slot's episode does not depend on its batch.
   */
  static void assertSameEpisodes(BatchEnv whole, BatchEnv part, int offset, long episode, int steps,
      IntBinaryOperator action) {
    int n = whole.observationSize();
    assertEquals(n, part.observationSize());
    float[] obsW = new float[whole.batchSize() * n];
    float[] obsP = new float[part.batchSize() * n];
    float[] rW = new float[whole.batchSize()];
    float[] rP = new float[part.batchSize()];
    boolean[] termW = new boolean[whole.batchSize()], truncW = new boolean[whole.batchSize()];
    boolean[] termP = new boolean[part.batchSize()], truncP = new boolean[part.batchSize()];
    int[] aW = new int[whole.batchSize()];
    int[] aP = new int[part.batchSize()];
    whole.reset(episode, obsW);
    part.reset(episode, obsP);
    for (int s = 0; ; s++) {
      for (int b = 0; b < part.batchSize(); b++) {
        for (int i = 0; i < n; i++) {
          assertEquals(obsW[(offset + b) * n + i], obsP[b * n + i], "slot " + b + " step " + s + " input " + i);
        }
      }
      if (s == steps) {
        return;
      }
      for (int b = 0; b < whole.batchSize(); b++) {
        aW[b] = action.applyAsInt(b, s);
      }
      for (int b = 0; b < part.batchSize(); b++) {
        aP[b] = action.applyAsInt(offset + b, s);
      }
      whole.step(aW, obsW, rW, termW, truncW);
      part.step(aP, obsP, rP, termP, truncP);
      for (int b = 0; b < part.batchSize(); b++) {
        assertEquals(rW[offset + b], rP[b], "reward, slot " + b + " step " + s);
        assertEquals(termW[offset + b], termP[b]);
        assertEquals(truncW[offset + b], truncP[b]);
      }
    }
  }

  /**
   * Asserts that {@code hits} of {@code n} Bernoulli trials agree with probability {@code p} within
   * 5 binomial standard deviations (a false alarm about once in 3.5 million checks).
   */
  static void assertBinomial(double p, long hits, long n, String what) {
    double sd = Math.sqrt(p * (1 - p) / n);
    assertEquals(p, (double) hits / n, 5 * sd, what + " (" + hits + " of " + n + ")");
  }
}
