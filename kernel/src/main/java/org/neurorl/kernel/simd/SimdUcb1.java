package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.Ucb1Kernel;

/**
 * Float32 UCB1, vectorised across agents (one lane per agent, blocks of agents in scratch, all trials
 * of a block before the next). Per trial two passes: choose (scores of every arm, argmax) and pull
 * ({@link ClassicPasses#pull}). Counts are exact in float; only the score s/n + √(2 ln t / n) rounds,
 * so the choice differs from the float64 reference only when two arms' scores are within a few float
 * ulps of each other but not equal (equal counts give bit-equal scores in both, and ties go to the lower
 * arm in both).
 */
public final class SimdUcb1 implements Ucb1Kernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex) {
    return new ClassicSimdBatch(ClassicBatch.Strategy.UCB1, agents, arms, seed, firstAgentIndex);
  }

  @Override
  public void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    ClassicSimdBatch.of(batch)
        .run(ClassicBatch.Strategy.UCB1, trials, parallel, actionsOut, rewardsOut, SimdUcb1::block);
  }

  static void block(ClassicSimdBatch batch, ClassicSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut) {
    int bl = batch.blockAgents, k = batch.arms();
    for (int t = first; t < first + trials; t++) {
      choose(sc.s, sc.f, sc.act, bl, k);
      ClassicSimdBatch.pullAndRecord(batch, sc, t, start, n, actionsOut, rewardsOut);
    }
  }

  /**
   * The lowest unpulled arm (its score is +∞ and ties go to the lower arm), else the argmax of
   * s/n + √(2 ln t / n) with t = Σ n. Lanes with every arm unpulled compute ln 0 garbage that the +∞
   * blend discards.
   */
  static void choose(float[] s, float[] f, float[] act, int bl, int arms) {
    FloatVector zero = FloatVector.zero(F);
    FloatVector one = zero.broadcast(1f);
    for (int j = 0; j < bl; j += L) {
      FloatVector total = zero;
      for (int a = 0; a < arms; a++) {
        total = total.add(FloatVector.fromArray(F, s, a * bl + j)).add(FloatVector.fromArray(F, f, a * bl + j));
      }
      FloatVector twoLnT = ClassicMath.log(total).mul(2f);
      FloatVector bestScore = zero.broadcast(Float.NEGATIVE_INFINITY);
      FloatVector chosen = zero;
      for (int a = 0; a < arms; a++) {
        FloatVector sa = FloatVector.fromArray(F, s, a * bl + j);
        FloatVector na = sa.add(FloatVector.fromArray(F, f, a * bl + j));
        FloatVector inv = one.div(na);
        FloatVector score = twoLnT.mul(inv).lanewise(SQRT).add(sa.mul(inv))
            .blend(Float.POSITIVE_INFINITY, na.compare(EQ, 0f));
        VectorMask<Float> better = score.compare(GT, bestScore);
        bestScore = bestScore.blend(score, better);
        chosen = chosen.blend((float) a, better);
      }
      chosen.intoArray(act, j);
    }
  }
}
