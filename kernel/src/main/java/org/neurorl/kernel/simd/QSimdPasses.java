package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Rng;

/**
 * The vector passes of the two bandit kernels, one lane per agent, over one block of agents held in
 * a per-worker scratch (rows of {@code bl} lanes, {@code bl} a multiple of every vector length). Each
 * pass is one small loop nest in its own method: a large method exceeds C2's inlining budget and
 * then every vector is boxed on the heap. Vector methods also hold no branch on the configuration
 * (cue or not, policy, recording): a branch first taken by a later batch of another shape is an
 * uncommon trap that sends the compiled method back to C1, where vector code runs boxed for seconds;
 * each configuration calls its own branch-free passes instead. No pass mixes lanes, so a lane's result does not depend on
 * the vector width, the block or its position in the block.
 */
final class QSimdPasses {
  static final VectorSpecies<Float> F = SimdSpecies.F;
  static final VectorSpecies<Integer> I = SimdSpecies.I;
  static final int L = F.length();

  private QSimdPasses() {}

  /** {@code Rng.bits(key, n)} lane by lane, given {@code g = n · GOLDEN32}. */
  static IntVector bits(IntVector key, int g) {
    IntVector x = key.add(g);
    x = x.lanewise(XOR, x.lanewise(LSHR, 16)).mul(Rng.MIX1);
    x = x.lanewise(XOR, x.lanewise(LSHR, 15)).mul(Rng.MIX2);
    return x.lanewise(XOR, x.lanewise(LSHR, 16));
  }

  /** {@code Rng.uniform(key, n)} lane by lane (bit-exact: the top 24 bits times 2⁻²⁴). */
  static FloatVector uniform(IntVector key, int g) {
    return ((FloatVector) bits(key, g).lanewise(LSHR, 8).convertShape(VectorOperators.I2F, F, 0)).mul(0x1p-24f);
  }

  /** ⌊m·n / 2²⁴⌋ (m = top 24 bits of the draw) as a float: an exact uniform index in [0, n). */
  static FloatVector index(IntVector key, int g, int n) {
    return (FloatVector) bits(key, g).lanewise(LSHR, 8).mul(n).lanewise(LSHR, 24).convertShape(VectorOperators.I2F, F, 0);
  }

  /** Initial values σ·(2u − 1) of one element row ({@code QBatch.initialValue} does the same float ops). */
  static void initRow(int[] keys, float[] row, int off, int bl, int g, float sigma) {
    for (int j = 0; j < bl; j += L) {
      FloatVector u = uniform(IntVector.fromArray(I, keys, j), g);
      u.mul(2f).sub(1f).mul(sigma).intoArray(row, off + j);
    }
  }

  /** The action and reward uniforms of one trial (draws d = 1 and 3). */
  static void uniforms(int[] keys, float[] uAct, float[] uRew, int bl, int gAct, int gRew) {
    for (int j = 0; j < bl; j += L) {
      IntVector key = IntVector.fromArray(I, keys, j);
      uniform(key, gAct).intoArray(uAct, j);
      uniform(key, gRew).intoArray(uRew, j);
    }
  }

  /** Uniform indices in [0, n) of one trial (the cue, d = 0, or the ε-greedy arm, d = 2). */
  static void indices(int[] keys, float[] out, int bl, int g, int n) {
    for (int j = 0; j < bl; j += L) {
      index(IntVector.fromArray(I, keys, j), g, n).intoArray(out, j);
    }
  }

  /** Softmax over two arms: a = 1 when u < σ(β(q1 − q0)), tested as u·(1 + e^{β(q0 − q1)}) < 1 (no division). */
  static void chooseSoftmax2(float[] q, int qOff, int bl, float[] uAct, float[] act, float beta) {
    FloatVector zero = FloatVector.zero(F);
    for (int j = 0; j < bl; j += L) {
      FloatVector q0 = FloatVector.fromArray(F, q, qOff + j);
      FloatVector q1 = FloatVector.fromArray(F, q, qOff + bl + j);
      FloatVector u = FloatVector.fromArray(F, uAct, j);
      FloatVector e = VectorMath.exp(q0.sub(q1).mul(beta));
      zero.blend(1f, u.fma(e, u).compare(VectorOperators.LT, 1f)).intoArray(act, j);
    }
  }

  /**
   * Softmax over A arms: w_a = e^{β(q_a − max q)}, cumulative sums c_a, threshold u·c_{A−1}; the action
   * is the first a with threshold < c_a, i.e. the count of c_a ≤ threshold over a < A − 1.
   */
  static void chooseSoftmax(float[] q, int qOff, int bl, int actions, float[] uAct, float[] cum, float[] act,
      float beta) {
    for (int j = 0; j < bl; j += L) {
      FloatVector max = FloatVector.fromArray(F, q, qOff + j);
      for (int a = 1; a < actions; a++) {
        max = max.max(FloatVector.fromArray(F, q, qOff + a * bl + j));
      }
      FloatVector sum = FloatVector.zero(F);
      for (int a = 0; a < actions; a++) {
        FloatVector qa = FloatVector.fromArray(F, q, qOff + a * bl + j);
        sum = sum.add(VectorMath.exp(qa.sub(max).mul(beta)));
        sum.intoArray(cum, a * bl + j);
      }
      FloatVector threshold = FloatVector.fromArray(F, uAct, j).mul(sum);
      FloatVector chosen = FloatVector.zero(F);
      for (int a = 0; a < actions - 1; a++) {
        VectorMask<Float> passed = FloatVector.fromArray(F, cum, a * bl + j).compare(VectorOperators.LE, threshold);
        chosen = chosen.add(1f, passed);
      }
      chosen.intoArray(act, j);
    }
  }

  /** ε-greedy: the random arm when u < ε, else the first arm of largest q. */
  static void chooseGreedy(float[] q, int qOff, int bl, int actions, float[] uAct, float[] arm, float[] act,
      float epsilon) {
    for (int j = 0; j < bl; j += L) {
      FloatVector best = FloatVector.fromArray(F, q, qOff + j);
      FloatVector chosen = FloatVector.zero(F);
      for (int a = 1; a < actions; a++) {
        FloatVector qa = FloatVector.fromArray(F, q, qOff + a * bl + j);
        VectorMask<Float> better = qa.compare(VectorOperators.GT, best);
        best = best.blend(qa, better);
        chosen = chosen.blend((float) a, better);
      }
      VectorMask<Float> explore = FloatVector.fromArray(F, uAct, j).compare(VectorOperators.LT, epsilon);
      chosen.blend(FloatVector.fromArray(F, arm, j), explore).intoArray(act, j);
    }
  }

  /** Rows {@code out[a]} = rows {@code in[s*A + a]} of each lane's cue s (the cue-selected part of a table). */
  static void selectByCue(float[] in, int rows, int states, float[] cue, float[] out, int bl) {
    for (int j = 0; j < bl; j += L) {
      FloatVector c = FloatVector.fromArray(F, cue, j);
      for (int r = 0; r < rows; r++) {
        FloatVector v = FloatVector.fromArray(F, in, r * bl + j);
        for (int s = 1; s < states; s++) {
          v = v.blend(FloatVector.fromArray(F, in, (s * rows + r) * bl + j), c.compare(VectorOperators.EQ, (float) s));
        }
        v.intoArray(out, r * bl + j);
      }
    }
  }

  /**
   * The bandit part of a trial on a plain bandit (S = 1): p = p[a], r = [u &lt; p], the regret, reward
   * and suboptimal-pull accumulators; leaves r in {@code reward}.
   */
  static void banditPlain(float[] p, float[] maxP, float[] act, float[] uRew, float[] reward, float[] regret,
      float[] rewardSum, float[] suboptimal, int bl, int actions) {
    FloatVector zero = FloatVector.zero(F);
    for (int j = 0; j < bl; j += L) {
      FloatVector a = FloatVector.fromArray(F, act, j);
      FloatVector pa = FloatVector.fromArray(F, p, j);
      FloatVector best = FloatVector.fromArray(F, maxP, j);
      for (int x = 1; x < actions; x++) {
        pa = pa.blend(FloatVector.fromArray(F, p, x * bl + j), a.compare(VectorOperators.EQ, (float) x));
      }
      FloatVector r = zero.blend(1f, FloatVector.fromArray(F, uRew, j).compare(VectorOperators.LT, pa));
      r.intoArray(reward, j);
      FloatVector.fromArray(F, regret, j).add(best.sub(pa)).intoArray(regret, j);
      FloatVector.fromArray(F, rewardSum, j).add(r).intoArray(rewardSum, j);
      FloatVector.fromArray(F, suboptimal, j).add(1f, pa.compare(VectorOperators.LT, best)).intoArray(suboptimal, j);
    }
  }

  /** As {@link #banditPlain} with cues: p = p[s, a] and max p[s, ·] of each lane's cue s. */
  static void banditCued(float[] p, float[] maxP, float[] cue, float[] act, float[] uRew, float[] reward,
      float[] regret, float[] rewardSum, float[] suboptimal, int bl, int states, int actions) {
    FloatVector zero = FloatVector.zero(F);
    for (int j = 0; j < bl; j += L) {
      FloatVector a = FloatVector.fromArray(F, act, j);
      FloatVector c = FloatVector.fromArray(F, cue, j);
      FloatVector pa = FloatVector.fromArray(F, p, j);
      FloatVector best = FloatVector.fromArray(F, maxP, j);
      for (int s = 0; s < states; s++) {
        VectorMask<Float> isCue = c.compare(VectorOperators.EQ, (float) s);
        best = best.blend(FloatVector.fromArray(F, maxP, s * bl + j), isCue);
        for (int x = 0; x < actions; x++) {
          VectorMask<Float> m = isCue.and(a.compare(VectorOperators.EQ, (float) x));
          pa = pa.blend(FloatVector.fromArray(F, p, (s * actions + x) * bl + j), m);
        }
      }
      FloatVector r = zero.blend(1f, FloatVector.fromArray(F, uRew, j).compare(VectorOperators.LT, pa));
      r.intoArray(reward, j);
      FloatVector.fromArray(F, regret, j).add(best.sub(pa)).intoArray(regret, j);
      FloatVector.fromArray(F, rewardSum, j).add(r).intoArray(rewardSum, j);
      FloatVector.fromArray(F, suboptimal, j).add(1f, pa.compare(VectorOperators.LT, best)).intoArray(suboptimal, j);
    }
  }

  /** max_a p[s, a] per cue, once per block and call (p does not change within a call). */
  static void maxRows(float[] p, float[] maxP, int bl, int states, int actions) {
    for (int s = 0; s < states; s++) {
      for (int j = 0; j < bl; j += L) {
        FloatVector m = FloatVector.fromArray(F, p, s * actions * bl + j);
        for (int a = 1; a < actions; a++) {
          m = m.max(FloatVector.fromArray(F, p, (s * actions + a) * bl + j));
        }
        m.intoArray(maxP, s * bl + j);
      }
    }
  }

  /** Writes the block's actions of one trial into the caller's [t*B + i] array. */
  static void recordActions(float[] act, int[] actionsOut, int base, int n) {
    for (int j = 0; j < n; j += L) {
      VectorMask<Float> in = F.indexInRange(j, n);
      FloatVector a = FloatVector.fromArray(F, act, j);
      ((IntVector) a.convertShape(VectorOperators.F2I, I, 0)).intoArray(actionsOut, base + j, in.cast(I));
    }
  }

  /** Writes the block's rewards of one trial into the caller's [t*B + i] array. */
  static void recordRewards(float[] reward, float[] rewardsOut, int base, int n) {
    for (int j = 0; j < n; j += L) {
      FloatVector.fromArray(F, reward, j).intoArray(rewardsOut, base + j, F.indexInRange(j, n));
    }
  }

  private static final VectorSpecies<Double> D = VectorSpecies.of(double.class,
      jdk.incubator.vector.VectorShape.forBitSize(SimdSpecies.BITS));

  /**
   * Adds Σ_j c_j and Σ_j c_j² of the block's cumulative regrets (float32, widened exactly to float64)
   * to {@code out[off]} and {@code out[off + 1]}. Inert padding lanes hold 0 and add nothing. Four
   * vector accumulators, reduced in a fixed order through {@code lanes} (not reduceLanes, whose order
   * differs between interpreted and compiled code). The sum is exact: every regret is a multiple of
   * 2⁻²⁴ below 2⁷ (probabilities are multiples of 2⁻²⁴), so any partial sum of a block fits in 53 bits;
   * the sum of squares rounds, in an order fixed by the vector width.
   */
  static void regretSums(float[] regret, int bl, double[] lanes, double[] out, int off) {
    DoubleVector s0 = DoubleVector.zero(D), s1 = s0, q0 = s0, q1 = s0;
    for (int j = 0; j < bl; j += L) {
      FloatVector c = FloatVector.fromArray(F, regret, j);
      DoubleVector lo = (DoubleVector) c.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector hi = (DoubleVector) c.convertShape(VectorOperators.F2D, D, 1);
      s0 = s0.add(lo);
      s1 = s1.add(hi);
      q0 = lo.fma(lo, q0);
      q1 = hi.fma(hi, q1);
    }
    int ld = D.length();
    s0.add(s1).intoArray(lanes, 0);
    q0.add(q1).intoArray(lanes, ld);
    double s = 0, q = 0;
    for (int l = 0; l < ld; l++) {
      s += lanes[l];
      q += lanes[ld + l];
    }
    out[off] += s;
    out[off + 1] += q;
  }

  /** Both records, each only when asked for (the branches are outside the vector methods). */
  static void record(float[] act, float[] reward, int[] actionsOut, float[] rewardsOut, int base, int n) {
    if (actionsOut != null) {
      recordActions(act, actionsOut, base, n);
    }
    if (rewardsOut != null) {
      recordRewards(reward, rewardsOut, base, n);
    }
  }
}
