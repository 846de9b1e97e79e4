package org.neurorl.kernel.classic;

import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;

/**
 * Float64 Thompson sampling, a literal transcription of MODELS.md §4 with plain loops; the Gamma
 * sampler is Marsaglia and Tsang's (2000) squeeze-rejection method on the draws {@link ClassicBatch}
 * documents.
 */
public final class ReferenceThompson implements ThompsonKernel {
  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex) {
    return new ReferenceClassicBatch(ClassicBatch.Strategy.THOMPSON, agents, arms, seed, firstAgentIndex);
  }

  @Override
  public void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    if (!(batch instanceof ReferenceClassicBatch rb)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by this kernel");
    }
    rb.checkRun(ClassicBatch.Strategy.THOMPSON, trials, actionsOut, rewardsOut);
    ReferenceClassicTrials.run(rb, trials, parallel, actionsOut, rewardsOut, ReferenceThompson::choose);
  }

  private static int choose(ReferenceClassicBatch batch, int i, int t) {
    int b = batch.agents(), k = batch.arms(), key = batch.keys[i];
    int best = 0;
    double bestSample = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      double theta = betaSample(key, ClassicBatch.armCounter(batch.episode(), t, k, a),
          1 + batch.successes[a * b + i], 1 + batch.failures[a * b + i]);
      if (theta > bestSample) {
        bestSample = theta;
        best = a;
      }
    }
    return best;
  }

  /**
   * A {@code Beta(alpha, beta)} sample ({@code alpha, beta ≥ 1}) X / (X + Y) from the arm slot starting
   * at draw {@code counter} of stream {@code key} (X takes the cosine, Y the sine normal of each pair).
   */
  public static double betaSample(int key, int counter, double alpha, double beta) {
    double x = gammaSample(key, counter, alpha, false);
    double y = gammaSample(key, counter, beta, true);
    return x / (x + y);
  }

  /**
   * A {@code Gamma(shape, 1)} sample, {@code shape ≥ 1}, by Marsaglia–Tsang from the arm slot at
   * {@code counter}: the cosine normals and u₃ at +2 ({@code sine} false, X) or the sine normals and u₃ at
   * +3 ({@code sine} true, Y).
   */
  public static double gammaSample(int key, int counter, double shape, boolean sine) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    int k = key;
    for (int proposal = 0; ; proposal++) {
      if (proposal == ClassicBatch.PROPOSALS) {
        k = Rng.hash(key ^ ClassicBatch.FALLBACK); // see ClassicBatch: exact, and almost never reached
      }
      int slot = proposal < ClassicBatch.PROPOSALS ? proposal : proposal - ClassicBatch.PROPOSALS;
      int n = counter + ClassicBatch.DRAWS_PER_PROPOSAL * slot;
      double u1 = ((Rng.bits(k, n) >>> 8) + 1) * 0x1p-24; // (0, 1]: log(u1) is finite
      double u2 = (Rng.bits(k, n + 1) >>> 8) * 0x1p-24;
      double u3 = ((Rng.bits(k, n + (sine ? 3 : 2)) >>> 8) + 1) * 0x1p-24;
      double angle = 2.0 * Math.PI * u2;
      double z = Math.sqrt(-2.0 * Math.log(u1)) * (sine ? Math.sin(angle) : Math.cos(angle));
      double v = 1.0 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double z2 = z * z;
      if (u3 < 1.0 - 0.0331 * z2 * z2 || Math.log(u3) < 0.5 * z2 + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
