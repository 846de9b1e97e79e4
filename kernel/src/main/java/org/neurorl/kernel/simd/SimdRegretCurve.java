package org.neurorl.kernel.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.stats.ReferenceRegretCurve;
import org.neurorl.kernel.stats.RegretCurveArguments;
import org.neurorl.kernel.stats.RegretCurveKernel;

/**
 * SIMD regret curves for two arms (the simulations' case; other arm counts take the reference loops):
 * lanes are agents; per trial the regret of the pulled arm is a blend of the two precomputed regrets,
 * the cumulative regret is a float32 vector, and its sum and sum of squares go into float64 lane
 * accumulators (two halves per float vector), reduced at the end of the trial in a fixed order.
 * An instance keeps scratch arrays: use one instance per thread.
 */
public final class SimdRegretCurve implements RegretCurveKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final VectorSpecies<Integer> I = SimdSpecies.I;
  private static final VectorSpecies<Double> D = VectorSpecies.of(double.class,
      jdk.incubator.vector.VectorShape.forBitSize(SimdSpecies.BITS));
  private static final int L = F.length();
  private static final int LD = D.length();
  private final ReferenceRegretCurve general = new ReferenceRegretCurve();
  private float[] g0 = new float[0], g1 = new float[0];
  private final double[] lanes = new double[2 * LD + 1];

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public long accumulate(int n, int trials, int arms, float[] p, int[] actions, float[] cumulative,
      double[] sum, double[] sumSquares) {
    if (arms != 2) {
      return general.accumulate(n, trials, arms, p, actions, cumulative, sum, sumSquares);
    }
    RegretCurveArguments.check(n, trials, arms, p, actions, cumulative, sum, sumSquares);
    if (g0.length < n) {
      g0 = new float[n];
      g1 = new float[n];
    }
    for (int i = 0; i < n; i++) {
      float best = Math.max(p[i], p[n + i]);
      g0[i] = best - p[i];
      g1[i] = best - p[n + i];
    }
    java.util.Arrays.fill(cumulative, 0, n, 0f);
    int nv = n - n % L;
    long wrong = 0;
    for (int t = 0; t < trials; t++) {
      wrong += trial(actions, t * n, nv, g0, g1, cumulative, lanes);
      if (lanes[2 * LD] != 0) {
        throw badAction(actions, t * n, n);
      }
      double s = 0, s2 = 0;
      for (int l = 0; l < LD; l++) {
        s += lanes[l];
        s2 += lanes[LD + l];
      }
      for (int i = nv; i < n; i++) {
        if ((actions[t * n + i] & ~1) != 0) {
          throw badAction(actions, t * n, n);
        }
        float r = actions[t * n + i] == 0 ? g0[i] : g1[i];
        if (r > 0f) {
          wrong++;
        }
        float c = cumulative[i] + r;
        cumulative[i] = c;
        s += c;
        s2 += (double) c * c;
      }
      sum[t] += s;
      sumSquares[t] += s2;
    }
    return wrong;
  }

  /** One trial over the vector part; lane sums into {@code lanes[0..LD)} and squares into {@code [LD..2LD)}. */
  private static long trial(int[] actions, int row, int nv, float[] g0, float[] g1, float[] cumulative,
      double[] lanes) {
    DoubleVector s = DoubleVector.zero(D), s2 = DoubleVector.zero(D);
    IntVector seen = IntVector.zero(I);
    long wrong = 0;
    FloatVector zero = FloatVector.zero(F);
    for (int i = 0; i < nv; i += L) {
      IntVector a = IntVector.fromArray(I, actions, row + i);
      seen = seen.or(a);
      VectorMask<Integer> arm1 = a.compare(VectorOperators.NE, 0);
      FloatVector r = FloatVector.fromArray(F, g0, i).blend(FloatVector.fromArray(F, g1, i), arm1.cast(F));
      wrong += r.compare(VectorOperators.GT, zero).trueCount();
      FloatVector c = FloatVector.fromArray(F, cumulative, i).add(r);
      c.intoArray(cumulative, i);
      DoubleVector lo = (DoubleVector) c.convertShape(VectorOperators.F2D, D, 0);
      DoubleVector hi = (DoubleVector) c.convertShape(VectorOperators.F2D, D, 1);
      s = s.add(lo).add(hi);
      s2 = lo.fma(lo, s2);
      s2 = hi.fma(hi, s2);
    }
    s.intoArray(lanes, 0);
    s2.intoArray(lanes, D.length());
    // an action other than 0 or 1 sets a higher bit somewhere: checked once per trial, not per agent
    lanes[2 * D.length()] = seen.and(~1).compare(VectorOperators.NE, 0).anyTrue() ? 1 : 0;
    return wrong;
  }

  private static IllegalArgumentException badAction(int[] actions, int row, int n) {
    for (int i = 0; i < n; i++) {
      if ((actions[row + i] & ~1) != 0) {
        return new IllegalArgumentException("actions[" + (row + i) + "] = " + actions[row + i] + "; allowed: 0 to 1");
      }
    }
    return new IllegalArgumentException("actions out of range in row " + row + "; allowed: 0 to 1");
  }
}
