package org.neurorl.kernel.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.simd.SimdSpecies;
import org.neurorl.kernel.simd.SimdThompson;

/**
 * SIMD (float32) against the float64 reference, both consuming the same random draws.
 *
 * <p>UCB1 is deterministic given the rewards, and the rewards come from the same draws, so its
 * trajectories are compared exactly: an agent's actions must agree on every trial up to the first one
 * where two different arm scores lie within {@link #NEAR_TIE} of each other (float32 can order those
 * either way; exactly equal scores come from equal counts and are equal in both implementations).
 * Thompson is compared sample by sample (Beta samples from the same draws), trial by trial from the same
 * state, and as distributions over long runs.
 */
@Tag("simd-width")
class ClassicEquivalenceTest {
  private static final int[] AGENTS = {1, 3, 17, 64, 1000};
  private static final int[] ARMS = {2, 3, 5};
  /**
   * Relative score gap below which float32 may order two UCB1 scores differently: the float score
   * s/n + √(2 ln t / n) carries the inline log (≤ 3e-7, tested) and ~6 roundings (1/n, products, √, +)
   * of ≤ 2⁻²⁴ ≈ 6e-8 relative, so each score is within ~5e-7 relative and two can swap only when they
   * are within ~1e-6; 2e-6 leaves a 2× margin. (UCB1 drives the scores of the arms towards each other,
   * so gaps this small do occur: a few agents in a hundred meet one within 200 trials.)
   */
  private static final double NEAR_TIE = 2e-6;

  @Test
  void ucb1TrajectoriesMatchTheReferenceExactlyUntilANearTie() {
    Ucb1Kernel simdKernel = ClassicKernels.simdUcb1();
    assertEquals("simd-" + SimdSpecies.BITS, simdKernel.implementation());
    Ucb1Kernel refKernel = new ReferenceUcb1();
    int trials = 200, compared = 0, agentsTotal = 0, fullyCompared = 0;
    for (int b : AGENTS) {
      for (int k : ARMS) {
        long seed = 11 + b * 7L + k;
        ClassicBatch simd = simdKernel.newBatch(b, k, seed, 3);
        ClassicBatch ref = refKernel.newBatch(b, k, seed, 3);
        float[] p = ClassicKernels.probabilities(b, k, 3);
        simd.setRewardProbabilities(p);
        ref.setRewardProbabilities(p);
        int[] aS = new int[trials * b], aR = new int[trials * b];
        float[] rS = new float[trials * b], rR = new float[trials * b];
        simdKernel.run(simd, trials, Parallel.serial(), aS, rS);
        refKernel.run(ref, trials, Parallel.serial(), aR, rR);
        for (int i = 0; i < b; i++) {
          agentsTotal++;
          double[] s = new double[k], n = new double[k];
          int t = 0;
          for (; t < trials; t++) {
            if (nearTie(s, n, k)) {
              break;
            }
            assertEquals(aR[t * b + i], aS[t * b + i], "B=" + b + " k=" + k + " agent " + i + " trial " + t);
            assertEquals(rR[t * b + i], rS[t * b + i], "reward, agent " + i + " trial " + t);
            int a = aR[t * b + i];
            n[a]++;
            s[a] += rR[t * b + i];
            compared++;
          }
          if (t == trials) {
            fullyCompared++;
          }
        }
        if (b == 1000) {
          assertCountsEqualWhereFullyCompared(simd, ref, aS, aR, trials);
        }
      }
    }
    // near ties must be rare, or the comparison above would be empty
    System.out.println("ucb1: " + fullyCompared + " of " + agentsTotal + " agents compared in full, " + compared
        + " agent-trials");
    assertTrue(fullyCompared >= 0.75 * agentsTotal, fullyCompared + " of " + agentsTotal + " agents compared in full");
    assertTrue(compared > 0.9 * agentsTotal * trials, compared + " agent-trials compared");
  }

  /** Whether two arms with different (s, n) have UCB1 scores within {@link #NEAR_TIE} (double math). */
  private static boolean nearTie(double[] s, double[] n, int k) {
    double total = 0;
    for (int a = 0; a < k; a++) {
      if (n[a] == 0) {
        return false; // the lowest unpulled arm is played: no score compared
      }
      total += n[a];
    }
    for (int a = 0; a < k; a++) {
      for (int c = a + 1; c < k; c++) {
        if (s[a] == s[c] && n[a] == n[c]) {
          continue;
        }
        double x = ReferenceUcb1.score(s[a], n[a], total), y = ReferenceUcb1.score(s[c], n[c], total);
        if (Math.abs(x - y) <= NEAR_TIE * Math.max(x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Agents whose actions agree throughout have equal counts and, to float accumulation error, accumulators. */
  private static void assertCountsEqualWhereFullyCompared(ClassicBatch simd, ClassicBatch ref, int[] aS, int[] aR,
      int trials) {
    int b = simd.agents(), k = simd.arms();
    double[] sS = new double[k * b], sR = new double[k * b], fS = new double[k * b], fR = new double[k * b];
    simd.successes(sS);
    ref.successes(sR);
    simd.failures(fS);
    ref.failures(fR);
    double[] gS = new double[b], gR = new double[b], uS = new double[b], uR = new double[b];
    simd.cumulativeRegret(gS);
    ref.cumulativeRegret(gR);
    simd.suboptimalPulls(uS);
    ref.suboptimalPulls(uR);
    for (int i = 0; i < b; i++) {
      boolean same = true;
      for (int t = 0; t < trials && same; t++) {
        same = aS[t * b + i] == aR[t * b + i];
      }
      if (!same) {
        continue;
      }
      for (int a = 0; a < k; a++) {
        assertEquals(sR[a * b + i], sS[a * b + i], "successes");
        assertEquals(fR[a * b + i], fS[a * b + i], "failures");
      }
      assertEquals(uR[i], uS[i], "suboptimal pulls");
      // 200 float additions of terms ≤ 1: each rounds by ≤ 2⁻²⁴ of the running sum (≤ 200)
      assertEquals(gR[i], gS[i], 200 * 200 * 0x1p-24, "regret");
    }
  }

  /** UCB1 one trial from random states with large counts (so ln t and the bonus matter), every agent. */
  @Test
  void ucb1SingleTrialsFromRandomStatesMatch() {
    Ucb1Kernel simdKernel = ClassicKernels.simdUcb1();
    Ucb1Kernel refKernel = new ReferenceUcb1();
    int compared = 0, total = 0;
    for (int b : AGENTS) {
      for (int k : ARMS) {
        for (int rep = 0; rep < 5; rep++) {
          double[] s = ClassicKernels.counts(k * b, 60, rep * 100 + b + k);
          double[] f = ClassicKernels.counts(k * b, 60, rep * 100 + b + k + 50);
          ClassicBatch simd = simdKernel.newBatch(b, k, rep, 0);
          ClassicBatch ref = refKernel.newBatch(b, k, rep, 0);
          float[] p = ClassicKernels.probabilities(b, k, rep);
          for (ClassicBatch x : new ClassicBatch[] {simd, ref}) {
            x.setRewardProbabilities(p);
            x.setCounts(s, f);
          }
          int[] aS = new int[b], aR = new int[b];
          simdKernel.run(simd, 1, Parallel.serial(), aS, null);
          refKernel.run(ref, 1, Parallel.serial(), aR, null);
          for (int i = 0; i < b; i++) {
            double[] si = new double[k], ni = new double[k];
            for (int a = 0; a < k; a++) {
              si[a] = s[a * b + i];
              ni[a] = s[a * b + i] + f[a * b + i];
            }
            total++;
            if (!nearTie(si, ni, k)) {
              compared++;
              assertEquals(aR[i], aS[i], "B=" + b + " k=" + k + " agent " + i);
            }
          }
        }
      }
    }
    assertTrue(compared > 0.95 * total, compared + " of " + total);
  }

  /**
   * Beta samples of the float path against ReferenceThompson.betaSample on the same draws, over shapes
   * from 1 to 301. Where both accept the same proposals, the float sample differs by float rounding
   * only: z, v = (1 + cz)³, d·v and X/(X+Y) carry ~20 roundings of ≤ 6e-8 relative, and the inline log
   * and cos add ≤ 3e-7, so |Δθ| ≤ 2e-6 leaves a margin (measured worst: 2.3e-7). A sample may differ entirely when float
   * rounding flips an accept/reject test that lands within ~1e-6 of its bound (probability ~1e-6 per
   * proposal): at most 1 in 10⁴ samples may do so.
   */
  @Test
  void betaSamplesMatchTheReference() {
    int n = 1 << 16;
    int[] keys = new int[n];
    float[] alpha = new float[n], beta = new float[n], out = new float[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(9);
    for (int i = 0; i < n; i++) {
      keys[i] = Rng.key(77, i);
      alpha[i] = 1 + (i % 7 == 0 ? r.nextInt(301) : r.nextInt(12));
      beta[i] = 1 + (i % 5 == 0 ? r.nextInt(301) : r.nextInt(12));
    }
    int counter = ClassicBatch.armCounter(3, 17, 2, 1);
    SimdThompson.betaSamples(keys, counter, alpha, beta, out);
    int differ = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double ref = ReferenceThompson.betaSample(keys[i], counter, alpha[i], beta[i]);
      assertTrue(out[i] > 0 && out[i] < 1, "sample " + out[i]);
      double d = Math.abs(out[i] - ref);
      if (d > 2e-6) {
        differ++;
      } else {
        worst = Math.max(worst, d);
      }
    }
    System.out.println("beta samples: " + differ + " of " + n + " differ, worst close difference " + worst);
    assertTrue(differ <= n / 10_000, differ + " of " + n + " samples differ by more than 2e-6");
  }

  /**
   * Thompson, one trial from the same random state for every agent, repeated over episodes (fresh
   * draws). The arm differs only when an accept/reject test flips (above) or two arms' samples lie
   * within float rounding of each other; at most 1 in 10³ choices plus 2 may differ (measured: far fewer).
   */
  @Test
  void thompsonSingleTrialsMatchTheReference() {
    ThompsonKernel simdKernel = ClassicKernels.simdThompson();
    ThompsonKernel refKernel = new ReferenceThompson();
    int total = 0, differ = 0;
    for (int b : AGENTS) {
      for (int k : ARMS) {
        ClassicBatch simd = simdKernel.newBatch(b, k, 5 + b, 2);
        ClassicBatch ref = refKernel.newBatch(b, k, 5 + b, 2);
        float[] p = ClassicKernels.probabilities(b, k, 2);
        simd.setRewardProbabilities(p);
        ref.setRewardProbabilities(p);
        int[] aS = new int[b], aR = new int[b];
        float[] rS = new float[b], rR = new float[b];
        for (int e = 0; e < 20; e++) {
          double[] s = ClassicKernels.counts(k * b, 40, e * 31 + b);
          double[] f = ClassicKernels.counts(k * b, 40, e * 31 + b + 7);
          simd.reset(e);
          ref.reset(e);
          simd.setCounts(s, f);
          ref.setCounts(s, f);
          simdKernel.run(simd, 1, Parallel.serial(), aS, rS);
          refKernel.run(ref, 1, Parallel.serial(), aR, rR);
          for (int i = 0; i < b; i++) {
            total++;
            if (aS[i] != aR[i]) {
              differ++;
            } else {
              assertEquals(rR[i], rS[i], "same arm, same draw, same reward");
            }
          }
        }
      }
    }
    System.out.println("thompson single trials: " + differ + " of " + total + " differ");
    assertTrue(differ <= 2 + total / 1000, differ + " of " + total + " choices differ");
  }

  /**
   * Long runs (2·10⁴ agents, 100 trials, (0.25, 0.75) and three random arms): mean cumulative regret and
   * the per-trial frequency of each arm agree within Monte-Carlo error. As both use the same draws most
   * trajectories are identical, so the bound 4·σ/√B (σ the across-agent standard deviation, as if the
   * runs were independent) is conservative; and at least 95% of the agents must follow identical
   * trajectories (the same random numbers are consumed).
   */
  @Test
  void thompsonLongRunsAgreeInDistribution() {
    ThompsonKernel simdKernel = ClassicKernels.simdThompson();
    ThompsonKernel refKernel = new ReferenceThompson();
    int b = 20_000, trials = 100;
    for (int k : new int[] {2, 3}) {
      float[] p = k == 2 ? ClassicKernels.fixed(b, 0.25f, 0.75f) : ClassicKernels.probabilities(b, k, 0);
      ClassicBatch simd = simdKernel.newBatch(b, k, 99, 0);
      ClassicBatch ref = refKernel.newBatch(b, k, 99, 0);
      simd.setRewardProbabilities(p);
      ref.setRewardProbabilities(p);
      int[] aS = new int[trials * b], aR = new int[trials * b];
      try (Parallel two = Parallel.of(2)) {
        simdKernel.run(simd, trials, two, aS, null);
        refKernel.run(ref, trials, two, aR, null);
      }
      double[] gS = new double[b], gR = new double[b];
      simd.cumulativeRegret(gS);
      ref.cumulativeRegret(gR);
      double meanS = mean(gS), meanR = mean(gR), sd = Math.sqrt(variance(gR));
      assertEquals(meanR, meanS, 4 * sd / Math.sqrt(b), "k=" + k + " mean regret");
      for (int t = 0; t < trials; t++) {
        for (int a = 0; a < k; a++) {
          int cS = 0, cR = 0;
          for (int i = 0; i < b; i++) {
            cS += aS[t * b + i] == a ? 1 : 0;
            cR += aR[t * b + i] == a ? 1 : 0;
          }
          double q = (cR + 0.5) / (b + 1.0);
          assertEquals(cR, cS, 4 * Math.sqrt(b * q * (1 - q)) + 1, "k=" + k + " trial " + t + " arm " + a);
        }
      }
      int identical = 0;
      for (int i = 0; i < b; i++) {
        boolean same = true;
        for (int t = 0; t < trials && same; t++) {
          same = aS[t * b + i] == aR[t * b + i];
        }
        identical += same ? 1 : 0;
      }
      System.out.println("thompson k=" + k + ": regret " + meanS + " vs " + meanR + ", identical " + identical);
      assertTrue(identical >= 0.95 * b, identical + " of " + b + " trajectories identical");
    }
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double variance(double[] x) {
    double m = mean(x), s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }
}
