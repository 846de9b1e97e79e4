package org.neurorl.kernel.qlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.simd.SimdSpecies;

/**
 * SIMD (float32) against the float64 reference, both consuming the same random draws.
 *
 * <p>Single trials are compared from the same state: before every trial the SIMD state is copied into
 * the reference, so errors cannot accumulate and every agent is compared on every trial. Long runs are
 * compared as distributions, because a sampled action can legitimately differ: the SIMD softmax
 * threshold (or ε-greedy comparison) is computed in float32, so when a uniform u falls within ~1e-7
 * of the threshold the two implementations choose different arms and that agent's trajectory then
 * diverges. That happens about once per 10⁷ draws.
 */
@Tag("simd-width")
class QEquivalenceTest {
  private static final int[] AGENTS = {1, 3, 17, 64, 1000};
  private static final int[] ACTIONS = {2, 3, 5};

  /**
   * Per-element tolerance of one trial: the SIMD trial is ~10 float32 operations on values of order 1
   * (q = zQ with K ≤ 3 terms, δ, η δ z, the two updates), each rounding by at most 2⁻²⁴ ≈ 6e-8 of its
   * magnitude; 2e-6·(1 + |x|) leaves a 3× margin over 10 roundings and scales with the values.
   */
  private static final double STEP_TOLERANCE = 2e-6;

  private static List<QParams> policies(boolean latent) {
    float sigma = latent ? QParams.DEFAULT_LATENT_INIT_SCALE : 0.1f;
    return List.of(QParams.softmax(0.3f, 4f, sigma), QParams.epsilonGreedy(0.2f, 0.2f, sigma));
  }

  @Test
  void latentSingleTrialsMatchTheReference() {
    QKernels simd = QKernels.simdLatent();
    assertEquals("simd-" + SimdSpecies.BITS, simd.implementation());
    for (int b : AGENTS) {
      for (int a : ACTIONS) {
        for (int k : new int[] {2, 3}) {
          for (int s : new int[] {1, 3}) {
            for (QParams params : policies(true)) {
              singleTrials(simd, QKernels.referenceLatent(), b, s, k, a, params);
            }
          }
        }
      }
    }
  }

  @Test
  void tabularSingleTrialsMatchTheReference() {
    QKernels simd = QKernels.simdTabular();
    for (int b : AGENTS) {
      for (int a : ACTIONS) {
        for (int s : new int[] {1, 3}) {
          for (QParams params : policies(false)) {
            singleTrials(simd, QKernels.referenceTabular(), b, s, 0, a, params);
          }
        }
      }
    }
  }

  private static void singleTrials(QKernels simdKernel, QKernels refKernel, int b, int s, int k, int a,
      QParams params) {
    String where = "B=" + b + " S=" + s + " K=" + k + " A=" + a + " " + params.policy();
    long seed = 42 + b * 31L + s * 7L + k * 3L + a;
    QBatch simd = simdKernel.newBatch(b, s, k, a, params, seed, 5);
    QBatch ref = refKernel.newBatch(b, s, k, a, params, seed, 5);
    float[] p = QKernels.probabilities(b, s, a, 5);
    simd.setRewardProbabilities(p);
    ref.setRewardProbabilities(p);
    boolean latent = k > 0;
    double[] ws = new double[simd.weightsLength()], wr = new double[ws.length];
    double[] qs = new double[simd.valuesLength()], qr = new double[qs.length];
    // initial values: the same draws, σ(2u − 1) rounded once to float32 (≤ half an ulp of σ)
    read(simd, ws, qs);
    read(ref, wr, qr);
    assertClose(ws, wr, 1e-7, where + " initial W");
    assertClose(qs, qr, 1e-7, where + " initial Q");
    int trials = 12;
    int[] actS = new int[trials * b], actR = new int[trials * b];
    float[] rewS = new float[trials * b], rewR = new float[trials * b];
    double[] regS = new double[b], regR = new double[b], regR0 = new double[b], regS0 = new double[b];
    int flips = 0;
    for (int t = 0; t < trials; t++) {
      read(simd, ws, qs);
      if (latent) {
        ref.setWeights(ws);
      }
      ref.setValues(qs);
      simd.cumulativeRegret(regS0);
      ref.cumulativeRegret(regR0);
      simdKernel.run(simd, 1, Parallel.serial(), actS, rewS);
      refKernel.run(ref, 1, Parallel.serial(), actR, rewR);
      read(simd, ws, qs);
      read(ref, wr, qr);
      simd.cumulativeRegret(regS);
      ref.cumulativeRegret(regR);
      for (int i = 0; i < b; i++) {
        int x = t * b + i;
        if (actS[x] != actR[x]) {
          flips++;
          continue;
        }
        assertEquals(rewR[x], rewS[x], 0f, where + " reward, agent " + i + " trial " + t);
        // regret increments are differences of two float probabilities: exact in double, one rounding in float
        assertEquals(regR[i] - regR0[i], regS[i] - regS0[i], 1e-6, where + " regret, agent " + i);
        for (int e = 0; e < qs.length / b; e++) {
          close(qs[e * b + i], qr[e * b + i], where + " Q element " + e + " agent " + i + " trial " + t);
        }
        for (int e = 0; e < ws.length / b; e++) {
          close(ws[e * b + i], wr[e * b + i], where + " W element " + e + " agent " + i + " trial " + t);
        }
      }
    }
    // a flip needs u within ~1e-7 of a float32 threshold: expected ≪ 1 over these 12·B trials
    assertTrue(flips <= 1 + trials * b / 100_000, where + ": " + flips + " action flips");
  }

  private static void read(QBatch batch, double[] w, double[] q) {
    if (batch.latent() > 0) {
      batch.weights(w);
    }
    batch.values(q);
  }

  private static void close(double simd, double ref, String what) {
    assertEquals(ref, simd, STEP_TOLERANCE * (1 + Math.abs(ref)), what);
  }

  private static void assertClose(double[] x, double[] y, double tol, String what) {
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], x[i], tol, what + " [" + i + "]");
    }
  }

  @Test
  void latentLongRunsHaveTheSameDistribution() {
    for (int a : ACTIONS) {
      longRun(QKernels.simdLatent(), QKernels.referenceLatent(), 2000, 1, 2, a, QParams.softmax(0.2f, 5f, 0.5f));
      longRun(QKernels.simdLatent(), QKernels.referenceLatent(), 1000, 3, 3, a,
          QParams.epsilonGreedy(0.2f, 0.1f, 0.5f));
    }
  }

  @Test
  void tabularLongRunsHaveTheSameDistribution() {
    for (int a : ACTIONS) {
      longRun(QKernels.simdTabular(), QKernels.referenceTabular(), 2000, 1, 0, a, QParams.softmax(0.2f, 5f, 0f));
      longRun(QKernels.simdTabular(), QKernels.referenceTabular(), 1000, 3, 0, a,
          QParams.epsilonGreedy(0.2f, 0.1f, 0.01f));
    }
  }

  /**
   * 100 trials from the same start without re-synchronising. Agents whose action sequences stay equal
   * must keep equal regret (within float32 accumulation: 100 roundings of values ≤ 1, 1e-4); agents that
   * diverged (a flip, then different draws' consequences) are independent samples, so the mean regret
   * and the arm frequencies may differ by at most 5 standard errors of those diverged agents.
   */
  private static void longRun(QKernels simdKernel, QKernels refKernel, int b, int s, int k, int a, QParams params) {
    String where = "long run B=" + b + " S=" + s + " K=" + k + " A=" + a + " " + params.policy();
    int trials = 100;
    QBatch simd = simdKernel.newBatch(b, s, k, a, params, 99, 0);
    QBatch ref = refKernel.newBatch(b, s, k, a, params, 99, 0);
    float[] p = QKernels.probabilities(b, s, a, 0);
    simd.setRewardProbabilities(p);
    ref.setRewardProbabilities(p);
    int[] actS = new int[trials * b], actR = new int[trials * b];
    simdKernel.run(simd, trials, Parallel.serial(), actS, null);
    refKernel.run(ref, trials, Parallel.serial(), actR, null);
    double[] regS = new double[b], regR = new double[b];
    simd.cumulativeRegret(regS);
    ref.cumulativeRegret(regR);
    int diverged = 0;
    double sumS = 0, sumR = 0, sumSq = 0;
    long[] countS = new long[a], countR = new long[a];
    for (int i = 0; i < b; i++) {
      boolean same = true;
      for (int t = 0; t < trials; t++) {
        countS[actS[t * b + i]]++;
        countR[actR[t * b + i]]++;
        same &= actS[t * b + i] == actR[t * b + i];
      }
      if (same) {
        assertEquals(regR[i], regS[i], 1e-4, where + " regret of agent " + i + " (same actions)");
      } else {
        diverged++;
      }
      sumS += regS[i];
      sumR += regR[i];
      sumSq += regR[i] * regR[i];
    }
    assertTrue(diverged <= b / 50, where + ": " + diverged + " of " + b + " agents diverged");
    double sd = Math.sqrt(Math.max(sumSq / b - (sumR / b) * (sumR / b), 1e-12));
    double meanTolerance = 5 * sd * Math.sqrt(2.0 * diverged) / b + 1e-4;
    assertEquals(sumR / b, sumS / b, meanTolerance, where + " mean cumulative regret");
    for (int x = 0; x < a; x++) {
      // each diverged agent can move at most `trials` choices between arms
      double tol = (double) diverged * trials / ((double) b * trials) + 1e-12;
      assertEquals(countR[x] / (double) (b * trials), countS[x] / (double) (b * trials), tol,
          where + " frequency of arm " + x);
    }
  }
}
