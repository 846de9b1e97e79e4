package org.neurorl.kernel.qlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.SimdExpectations;
import org.neurorl.kernel.stats.ReferenceRegretCurve;

/**
 * {@code runRegretSums}: the per-trial regret sums the Q kernels compute while a block is in cache,
 * against the recorded-actions route (record every action, then {@link ReferenceRegretCurve}), against
 * the float64 reference kernel, across thread counts, and with bad arguments.
 */
@Tag("simd-width")
class QRegretSumsTest {
  private static final int TRIALS = 60;

  private static TabularQKernel simdTabular() {
    return SimdExpectations.load(TabularQKernel.class, "org.neurorl.kernel.simd.SimdTabularQ");
  }

  private static LatentQKernel simdLatent() {
    return SimdExpectations.load(LatentQKernel.class, "org.neurorl.kernel.simd.SimdLatentQ");
  }

  /** Probabilities that are multiples of 2⁻²⁴, as the bandit tasks draw them (regret sums are then exact). */
  private static float[] exactProbabilities(int agents, int arms, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] p = new float[agents * arms];
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextInt(1 << 24) * 0x1p-24f;
    }
    return p;
  }

  private interface Runner {
    QBatch batch(int agents, int arms, QParams params, long seed);

    void run(QBatch b, int trials, Parallel pool, int[] actions);

    void sums(QBatch b, int trials, Parallel pool, double[] sum, double[] squares);
  }

  private static Runner tabular(TabularQKernel k) {
    return new Runner() {
      public QBatch batch(int agents, int arms, QParams params, long seed) {
        return k.newBatch(agents, 1, arms, params, seed, 3);
      }

      public void run(QBatch b, int trials, Parallel pool, int[] actions) {
        k.run(b, trials, pool, actions, null);
      }

      public void sums(QBatch b, int trials, Parallel pool, double[] sum, double[] squares) {
        k.runRegretSums(b, trials, pool, sum, squares);
      }
    };
  }

  private static Runner latent(LatentQKernel k) {
    return new Runner() {
      public QBatch batch(int agents, int arms, QParams params, long seed) {
        return k.newBatch(agents, 1, 2, arms, params, seed, 3);
      }

      public void run(QBatch b, int trials, Parallel pool, int[] actions) {
        k.run(b, trials, pool, actions, null);
      }

      public void sums(QBatch b, int trials, Parallel pool, double[] sum, double[] squares) {
        k.runRegretSums(b, trials, pool, sum, squares);
      }
    };
  }

  private static QParams[] policies(float init) {
    return new QParams[] {QParams.softmax(0.2f, 5f, init), QParams.epsilonGreedy(0.2f, 0.1f, init)};
  }

  @Test
  void simdSumsEqualTheRecordedActionsRoute() {
    for (boolean isLatent : new boolean[] {false, true}) {
      Runner k = isLatent ? latent(simdLatent()) : tabular(simdTabular());
      for (QParams params : policies(isLatent ? 0.5f : 0f)) {
        for (int arms : new int[] {2, 3}) { // 2: the fused two-armed path; 3: the general passes
          for (int n : new int[] {1, 17, 1000}) {
            String where = (isLatent ? "latent" : "tabular") + " " + params.policy() + " A=" + arms + " B=" + n;
            float[] p = exactProbabilities(n, arms, n * 7L + arms);
            QBatch recorded = k.batch(n, arms, params, 11);
            recorded.setRewardProbabilities(p);
            int[] actions = new int[TRIALS * n];
            k.run(recorded, TRIALS, Parallel.serial(), actions);
            double[] sumR = new double[TRIALS], sqR = new double[TRIALS];
            new ReferenceRegretCurve().accumulate(n, TRIALS, arms, p, actions, new float[n], sumR, sqR);

            QBatch summed = k.batch(n, arms, params, 11);
            summed.setRewardProbabilities(p);
            double[] sum = new double[TRIALS], sq = new double[TRIALS];
            k.sums(summed, TRIALS, Parallel.serial(), sum, sq);
            // both sides add the same float32 cumulative regrets; their float64 sums are exact (every
            // value is a multiple of 2^-24 below 2^7), so equal whatever the order; the squares round,
            // in a different order: 1e-12 relative
            assertArrayEquals(sumR, sum, where + ": sums");
            for (int t = 0; t < TRIALS; t++) {
              assertEquals(sqR[t], sq[t], 1e-12 * Math.max(1, sqR[t]), where + ": squares at t=" + t);
            }
            double[] a = new double[n], b = new double[n];
            recorded.cumulativeRegret(a);
            summed.cumulativeRegret(b);
            assertArrayEquals(a, b, where + ": the same trajectories");
            if (n > 1) { // one agent may well have pulled only the best arm
              assertTrue(sum[TRIALS - 1] > 0, where + ": some regret at the end");
            }
          }
        }
      }
    }
  }

  @Test
  void simdSumsMatchTheFloat64Reference() {
    for (boolean isLatent : new boolean[] {false, true}) {
      Runner simd = isLatent ? latent(simdLatent()) : tabular(simdTabular());
      Runner ref = isLatent ? latent(new ReferenceLatentQ()) : tabular(new ReferenceTabularQ());
      for (int arms : new int[] {2, 3}) {
        int n = 300;
        QParams params = QParams.softmax(0.2f, 5f, isLatent ? 0.5f : 0f);
        float[] p = exactProbabilities(n, arms, 5 + arms);
        QBatch s = simd.batch(n, arms, params, 21);
        QBatch r = ref.batch(n, arms, params, 21);
        s.setRewardProbabilities(p);
        r.setRewardProbabilities(p);
        double[] sumS = new double[TRIALS], sqS = new double[TRIALS], sumR = new double[TRIALS], sqR = new double[TRIALS];
        simd.sums(s, TRIALS, Parallel.serial(), sumS, sqS);
        ref.sums(r, TRIALS, Parallel.serial(), sumR, sqR);
        // float32 vs float64 state: a softmax draw within ~1e-7 of its threshold can pick the other arm
        // (about once per 10^7 draws, so almost never in these 18,000); otherwise the cumulative regrets
        // differ by the float32 roundings of at most 60 additions (60 · 6e-8 relative < 1e-5)
        for (int t = 0; t < TRIALS; t++) {
          assertEquals(sumR[t], sumS[t], 1e-5 * Math.max(1, sumR[t]), "sum, t=" + t + " A=" + arms);
          assertEquals(sqR[t], sqS[t], 1e-5 * Math.max(1, sqR[t]), "squares, t=" + t + " A=" + arms);
        }
        double[] regret = new double[n];
        r.cumulativeRegret(regret);
        double last = 0;
        for (double x : regret) {
          last += x;
        }
        assertEquals(last, sumR[TRIALS - 1], 1e-9 * last, "the reference's sums are its accumulators'");
      }
    }
  }

  @Test
  void sumsDoNotDependOnTheThreadCountAndAddToWhatIsThere() {
    Runner k = tabular(simdTabular());
    int n = 5000;
    QParams params = QParams.softmax(0.1f, 5f, 0f);
    float[] p = exactProbabilities(n, 2, 99);
    double[] sum1 = new double[TRIALS], sq1 = new double[TRIALS];
    QBatch a = k.batch(n, 2, params, 5);
    a.setRewardProbabilities(p);
    k.sums(a, TRIALS, Parallel.serial(), sum1, sq1);
    double[] sum3 = new double[TRIALS + 2], sq3 = new double[TRIALS + 2];
    java.util.Arrays.fill(sum3, 1.0);
    try (Parallel pool = Parallel.of(3)) {
      QBatch b = k.batch(n, 2, params, 5);
      b.setRewardProbabilities(p);
      k.sums(b, TRIALS, pool, sum3, sq3);
    }
    for (int t = 0; t < TRIALS; t++) {
      assertEquals(sum1[t] + 1.0, sum3[t], "sum at t=" + t + " (1 vs 3 threads, added to 1.0)");
      assertEquals(sq1[t], sq3[t], "squares at t=" + t + " (1 vs 3 threads: bit for bit)");
    }
    assertEquals(1.0, sum3[TRIALS], "elements past the trials are not touched");
  }

  @Test
  void badSumArraysAreRefusedWithTheirName() {
    TabularQKernel simd = simdTabular();
    for (TabularQKernel k : new TabularQKernel[] {simd, new ReferenceTabularQ()}) {
      QBatch b = k.newBatch(10, 1, 2, QParams.softmax(0.1f, 5f, 0f), 1);
      b.setRewardProbabilities(exactProbabilities(10, 2, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> k.runRegretSums(b, 5, Parallel.serial(), new double[4], new double[5]));
      assertTrue(e.getMessage().contains("sum") && e.getMessage().contains(">= 5"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> k.runRegretSums(b, 5, Parallel.serial(), new double[5], null));
      assertTrue(e.getMessage().contains("sumSquares"), e.getMessage());
    }
  }
}
