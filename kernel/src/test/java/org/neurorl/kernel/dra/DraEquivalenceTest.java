package org.neurorl.kernel.dra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.simd.SimdSpecies;

/**
 * SIMD (float32) against the float64 reference, both consuming the same draws.
 *
 * <p>Single steps are compared from the same state (the SIMD tables are copied into the reference before
 * every step), so every agent is compared at every step without accumulated error. Long runs are
 * compared agent by agent: a sampled action can legitimately differ when the uniform falls within
 * ~1e-7 of a float32 threshold, and that agent's path then diverges, so we require that almost every
 * agent chose identically throughout and compare the tables of those.
 */
@Tag("simd-width")
class DraEquivalenceTest {
  private static final int[] AGENTS = {1, 17, 300};
  private static final int[] ACTIONS = {2, 5};

  /**
   * π: a handful of float32 operations (fma, the polynomial exp with ~2 ulp error, one division) on
   * logits of order 10 → relative error ≲ 1e-6; 1e-5 absolute leaves a 10× margin.
   */
  private static final double PROB_TOLERANCE = 1e-5;
  /** q̄ after one update: target and step are ~8 roundings of values of order 1–3: 1e-5·(1 + |q|). */
  private static final double MEAN_TOLERANCE = 1e-5;
  /**
   * σ after one update: the gradient β ζ (1 − π) ψ is of order 10 summed over ≤ 5 steps, times α_σ;
   * float32 rounding of terms of that size is ~1e-6 each, so 1e-4 absolute is ≥ 10× the expected error.
   */
  private static final double SIGMA_TOLERANCE = 1e-4;

  @Test
  void singleStepsMatchTheReference() {
    DraKernel simd = DraFixture.simd();
    assertEquals("simd-" + SimdSpecies.BITS, simd.implementation());
    DraKernel ref = DraFixture.reference();
    for (float gamma : new float[] {0f, 0.9f}) {
      for (DraParams p : DraFixture.models(gamma)) {
        for (int b : AGENTS) {
          for (int a : ACTIONS) {
            for (int s : new int[] {1, 4}) {
              singleSteps(simd, ref, p, b, s, a);
            }
          }
        }
      }
    }
  }

  private static void singleSteps(DraKernel simdKernel, DraKernel refKernel, DraParams p, int b, int s, int a) {
    String where = p.model() + "/" + p.psi() + " γ=" + p.gamma() + " B=" + b + " S=" + s + " A=" + a;
    long seed = 11 + b * 31L + s * 7L + a;
    DraBatch simd = simdKernel.newBatch(b, s, a, p, seed, 3, 8);
    DraBatch ref = refKernel.newBatch(b, s, a, p, seed, 3, 8);
    int n = simd.tableLength();
    double[] means = new double[n], sig = new double[n], mr = new double[n], sr = new double[n];
    int key = Rng.key(seed, 99);
    for (int e = 0; e < n; e++) {
      means[e] = (float) (2 * Rng.uniform(key, e) - 1); // representable in float32: both start equal
      sig[e] = p.noisy() ? (float) (p.sigmaMin() + (p.sigmaBase() - p.sigmaMin()) * Rng.uniform(key, n + e)) : 0;
    }
    simd.setMeans(means);
    simd.setSigmas(sig);
    DraFixture.Task task = new DraFixture.Task(b, s, a, seed);
    int[] actS = new int[b], actR = new int[b], next = new int[b];
    float[] pS = new float[b], pR = new float[b], reward = new float[b];
    int flips = 0, compared = 0;
    for (int t = 0; t < 6; t++) {
      simd.readMeans(means);
      simd.readSigmas(sig);
      ref.setMeans(means);
      ref.setSigmas(sig);
      task.reset(t);
      simdKernel.act(simd, DraKernel.Phase.LEARN, t, task.state, null, actS, pS, Parallel.serial());
      refKernel.act(ref, DraKernel.Phase.LEARN, t, task.state, null, actR, pR, Parallel.serial());
      boolean[] same = new boolean[b];
      for (int i = 0; i < b; i++) {
        same[i] = actS[i] == actR[i];
        if (!same[i]) {
          flips++;
          continue;
        }
        compared++;
        assertEquals(pR[i], pS[i], PROB_TOLERANCE, where + " π, agent " + i + " step " + t);
        reward[i] = task.reward(i, t, task.state[i], actS[i]);
        next[i] = task.next(i, t, task.state[i], actS[i]);
      }
      simdKernel.learn(simd, reward, next, t + 1, Parallel.serial());
      refKernel.learn(ref, reward, next, t + 1, Parallel.serial());
      simd.readMeans(means);
      ref.readMeans(mr);
      compare(means, mr, same, b, MEAN_TOLERANCE, where + " q̄ step " + t);
      if (p.model() == DraParams.Model.DRA) {
        ref.setMeans(means);
        for (int step = 0; step < 3; step++) {
          task.reset(100 + t * 3 + step);
          simdKernel.act(simd, DraKernel.Phase.ROLLOUT, t * 3 + step, task.state, null, actS, null, Parallel.serial());
          refKernel.act(ref, DraKernel.Phase.ROLLOUT, t * 3 + step, task.state, null, actR, null, Parallel.serial());
          for (int i = 0; i < b; i++) {
            same[i] &= actS[i] == actR[i];
            reward[i] = task.reward(i, 50 + t, task.state[i], actS[i]);
          }
          simdKernel.rolloutReward(simd, reward, Parallel.serial());
          refKernel.rolloutReward(ref, reward, Parallel.serial());
        }
        simdKernel.endRollout(simd, Parallel.serial());
        refKernel.endRollout(ref, Parallel.serial());
        simdKernel.updateSigma(simd, Parallel.serial());
        refKernel.updateSigma(ref, Parallel.serial());
        simd.readSigmas(sig);
        ref.readSigmas(sr);
        compare(sig, sr, same, b, SIGMA_TOLERANCE, where + " σ step " + t);
      }
    }
    assertTrue(flips <= Math.max(1, compared / 1000), where + ": " + flips + " different actions of " + compared);
  }

  private static void compare(double[] simd, double[] ref, boolean[] agentOk, int b, double tol, String where) {
    for (int e = 0; e < simd.length; e++) {
      int i = e % b;
      if (agentOk[i]) {
        assertEquals(ref[e], simd[e], tol * (1 + Math.abs(ref[e])), where + " element " + e / b + " agent " + i);
      }
    }
  }

  /**
   * 40 episodes × 6 steps (+ 2 rollouts of 6 steps for DRA): ~700 decisions per agent with nothing
   * re-synchronised. Tables of agents whose choices all agreed must agree to 2e-3·(1 + |x|): float32
   * errors of ~1e-7 per operation accumulate over ≲ 10³ updates that are contractions (q̄ moves a
   * fraction α_q towards a target; σ is clipped).
   */
  @Test
  void longRunsMatchTheReference() {
    DraKernel simd = DraFixture.simd();
    DraKernel ref = DraFixture.reference();
    for (DraParams p : DraFixture.models(0.9f)) {
      for (int b : new int[] {5, 67}) {
        for (int a : new int[] {2, 3}) {
          int s = 4;
          String where = "long " + p.model() + "/" + p.psi() + " B=" + b + " A=" + a;
          DraBatch bs = simd.newBatch(b, s, a, p, 5 + b + a, 0, 6);
          DraBatch br = ref.newBatch(b, s, a, p, 5 + b + a, 0, 6);
          int[] as = DraFixture.drive(simd, bs, new DraFixture.Task(b, s, a, 9), 40, 6, Parallel.serial());
          int[] ar = DraFixture.drive(ref, br, new DraFixture.Task(b, s, a, 9), 40, 6, Parallel.serial());
          boolean[] same = new boolean[b];
          java.util.Arrays.fill(same, true);
          int diverged = 0;
          for (int x = 0; x < as.length; x++) {
            if (as[x] != ar[x] && same[x % b]) {
              same[x % b] = false;
              diverged++;
            }
          }
          assertTrue(diverged <= Math.max(1, b / 20), where + ": " + diverged + " of " + b + " agents diverged");
          double[] ts = new double[bs.tableLength()], tr = new double[ts.length];
          bs.readMeans(ts);
          br.readMeans(tr);
          compare(ts, tr, same, b, 2e-3, where + " q̄");
          bs.readSigmas(ts);
          br.readSigmas(tr);
          compare(ts, tr, same, b, 2e-3, where + " σ");
        }
      }
    }
  }
}
