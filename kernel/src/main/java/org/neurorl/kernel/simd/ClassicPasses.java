package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pass UCB1 and Thompson share: pull the chosen arm of every lane. One small loop nest in its own
 * method (see {@link QSimdPasses}: a large method exceeds C2's inlining budget and boxes every vector);
 * no pass mixes lanes, so a lane's result does not depend on the vector width or the block.
 */
final class ClassicPasses {
  static final VectorSpecies<Float> F = SimdSpecies.F;
  static final VectorSpecies<Integer> I = SimdSpecies.I;
  static final int L = F.length();

  private ClassicPasses() {}

  /**
   * Arm a = act: reward r = [u &lt; p_a] with u the trial's reward draw ({@code gRew} = counter·GOLDEN32),
   * s_a += r, f_a += 1 − r, regret += max p − p_a, reward sum += r, suboptimal += [p_a &lt; max p];
   * leaves r in {@code reward}.
   */
  static void pull(int[] keys, float[] p, float[] maxP, float[] act, float[] s, float[] f, float[] reward,
      float[] regret, float[] rewardSum, float[] suboptimal, int bl, int arms, int gRew) {
    FloatVector zero = FloatVector.zero(F);
    for (int j = 0; j < bl; j += L) {
      FloatVector u = QSimdPasses.uniform(IntVector.fromArray(I, keys, j), gRew);
      FloatVector a = FloatVector.fromArray(F, act, j);
      FloatVector pa = FloatVector.fromArray(F, p, j);
      for (int x = 1; x < arms; x++) {
        pa = pa.blend(FloatVector.fromArray(F, p, x * bl + j), a.compare(EQ, (float) x));
      }
      VectorMask<Float> win = u.compare(LT, pa);
      FloatVector r = zero.blend(1f, win);
      VectorMask<Float> lose = win.not();
      for (int x = 0; x < arms; x++) {
        VectorMask<Float> pulled = a.compare(EQ, (float) x);
        FloatVector.fromArray(F, s, x * bl + j).add(1f, pulled.and(win)).intoArray(s, x * bl + j);
        FloatVector.fromArray(F, f, x * bl + j).add(1f, pulled.and(lose)).intoArray(f, x * bl + j);
      }
      FloatVector best = FloatVector.fromArray(F, maxP, j);
      r.intoArray(reward, j);
      FloatVector.fromArray(F, regret, j).add(best.sub(pa)).intoArray(regret, j);
      FloatVector.fromArray(F, rewardSum, j).add(r).intoArray(rewardSum, j);
      FloatVector.fromArray(F, suboptimal, j).add(1f, pa.compare(LT, best)).intoArray(suboptimal, j);
    }
  }
}
