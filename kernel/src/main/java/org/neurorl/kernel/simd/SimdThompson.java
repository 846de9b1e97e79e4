package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.SQRT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.ThompsonKernel;

/**
 * Float32 Thompson sampling, vectorised across agents (one lane per agent, blocks of agents in scratch,
 * all trials of a block before the next). Per trial: the Gamma passes of every arm, a choose pass
 * (argmax of X/(X+Y)) and the pull pass ({@link ClassicPasses#pull}).
 *
 * <p><b>Gamma samples</b>: Marsaglia–Tsang, vectorised with per-lane masked retries. Every lane of a
 * vector computes proposal j on its own draws; lanes that accept keep their sample, and the vector goes
 * on to proposal j + 1 only while some lane has not accepted (at 95–99% acceptance per lane, about half
 * of the 16-lane vectors need a second round at small shapes). X and Y of an arm share Box–Muller pairs
 * (X the cosine, Y the sine normal), so one log and one square root serve two normals. The normals use
 * the inline {@link ClassicMath} log, cos and sin and the exact lanewise square root; the float64
 * reference uses the same uniforms with Math.log/cos/sin/sqrt. Float32 rounding can flip an accept/reject decision whose test lands within a few
 * ulps of its bound, or the argmax when two samples nearly tie: both are rare (tested) and change which
 * exact Gamma/Beta sample is drawn, not its distribution.
 */
public final class SimdThompson implements ThompsonKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final VectorSpecies<Integer> I = SimdSpecies.I;
  private static final int L = F.length();
  private static final int G = Rng.GOLDEN32;
  private static final int G_PROPOSAL = ClassicBatch.DRAWS_PER_PROPOSAL * Rng.GOLDEN32;

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public ClassicBatch newBatch(int agents, int arms, long seed, long firstAgentIndex) {
    return new ClassicSimdBatch(ClassicBatch.Strategy.THOMPSON, agents, arms, seed, firstAgentIndex);
  }

  @Override
  public void run(ClassicBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    ClassicSimdBatch.of(batch)
        .run(ClassicBatch.Strategy.THOMPSON, trials, parallel, actionsOut, rewardsOut, SimdThompson::block);
  }

  static void block(ClassicSimdBatch batch, ClassicSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut) {
    int bl = batch.blockAgents, k = batch.arms(), ep = batch.episode();
    for (int t = first; t < first + trials; t++) {
      for (int a = 0; a < k; a++) {
        gammaPair(sc.keys, sc.s, sc.f, a * bl, sc.gamma, 2 * a * bl, (2 * a + 1) * bl, sc, bl,
            ClassicBatch.armCounter(ep, t, k, a) * G);
      }
      choose(sc.gamma, sc.act, bl, k);
      ClassicSimdBatch.pullAndRecord(batch, sc, t, start, n, actionsOut, rewardsOut);
    }
  }

  /**
   * θ_a = X_a / (X_a + Y_a) compared without division: θ_a &gt; θ_best ⇔ X_a·Y_best &gt; X_best·Y_a (all
   * positive). Strictly greater wins, so ties go to the lower arm.
   */
  static void choose(float[] gamma, float[] act, int bl, int arms) {
    for (int j = 0; j < bl; j += L) {
      FloatVector bestX = FloatVector.fromArray(F, gamma, j);
      FloatVector bestY = FloatVector.fromArray(F, gamma, bl + j);
      FloatVector chosen = FloatVector.zero(F);
      for (int a = 1; a < arms; a++) {
        FloatVector x = FloatVector.fromArray(F, gamma, 2 * a * bl + j);
        FloatVector y = FloatVector.fromArray(F, gamma, (2 * a + 1) * bl + j);
        VectorMask<Float> better = x.mul(bestY).compare(GT, bestX.mul(y));
        bestX = bestX.blend(x, better);
        bestY = bestY.blend(y, better);
        chosen = chosen.blend((float) a, better);
      }
      chosen.intoArray(act, j);
    }
  }

  /**
   * X ~ Gamma(1 + s) into row {@code xOff} and Y ~ Gamma(1 + f) into row {@code yOff} of {@code out}: lane i
   * from the arm slot whose first draw has {@code g0 = counter·GOLDEN32} in stream {@code keys[i]} (see
   * {@link ClassicBatch} for the slot and the fallback stream). Proposal rounds run while any lane of X
   * or Y is pending; a round is flat vector passes (Box–Muller radius, cos / sin, ln u₃, accept), each
   * with at most one inline log or polynomial, and no vector or mask is carried across loop iterations:
   * one method with all the logs and the retry loop exceeded C2's inlining budget and boxed every vector
   * (~250 B per agent-trial), and even a log with a cos in one pass did (~60 B).
   */
  static void gammaPair(int[] keys, float[] s, float[] f, int countOff, float[] out, int xOff, int yOff,
      ClassicSimdBatch.Scratch sc, int bl, int g0) {
    shapes(s, countOff, sc.shapeX, sc.scaleX, sc.pendingX, bl);
    shapes(f, countOff, sc.shapeY, sc.scaleY, sc.pendingY, bl);
    int[] stream = keys;
    int g = g0;
    int leftX = bl, leftY = bl;
    for (int proposal = 0; leftX > 0 || leftY > 0; proposal++) {
      if (proposal == ClassicBatch.PROPOSALS) {
        fallbackKeys(keys, sc.fallbackKeys, bl);
        stream = sc.fallbackKeys;
        g = g0;
      }
      radii(stream, sc.radius, sc.pendingX, sc.pendingY, bl, g);
      if (leftX > 0) {
        cosines(stream, sc.radius, sc.normalX, sc.pendingX, bl, g + G);
        logUniforms(stream, sc.u3, sc.logU, sc.pendingX, bl, g + 2 * G);
        leftX = accept(sc.normalX, sc.u3, sc.logU, sc.shapeX, sc.scaleX, out, xOff, sc.pendingX, bl);
      }
      if (leftY > 0) {
        sines(stream, sc.radius, sc.normalY, sc.pendingY, bl, g + G);
        logUniforms(stream, sc.u3, sc.logU, sc.pendingY, bl, g + 3 * G);
        leftY = accept(sc.normalY, sc.u3, sc.logU, sc.shapeY, sc.scaleY, out, yOff, sc.pendingY, bl);
      }
      g += G_PROPOSAL;
    }
  }

  /** d = 1 + count − 1/3 and c = 1/√(9d) of Marsaglia–Tsang, and every lane pending. */
  static void shapes(float[] counts, int countOff, float[] shape, float[] scale, float[] pending, int bl) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    for (int j = 0; j < bl; j += L) {
      FloatVector d = FloatVector.fromArray(F, counts, countOff + j).add(1f).sub(1f / 3f);
      d.intoArray(shape, j);
      one.div(d.mul(9f).lanewise(SQRT)).intoArray(scale, j);
      one.intoArray(pending, j);
    }
  }

  /**
   * The fallback stream keys {@code Rng.hash(key ^ FALLBACK)}, in scalar code: this runs a few hundred
   * times per 10⁷ agent-trials, too rarely for C2 to compile a vector version, and interpreted vector code
   * allocates.
   */
  static void fallbackKeys(int[] keys, int[] out, int bl) {
    for (int j = 0; j < bl; j++) {
      out[j] = Rng.hash(keys[j] ^ ClassicBatch.FALLBACK);
    }
  }

  /** Box–Muller radius √(−2 ln u₁) (draw g) of the lanes pending in X or Y. */
  static void radii(int[] keys, float[] radius, float[] pendingX, float[] pendingY, int bl, int g) {
    for (int j = 0; j < bl; j += L) {
      if (!FloatVector.fromArray(F, pendingX, j).add(FloatVector.fromArray(F, pendingY, j)).compare(GT, 0f).anyTrue()) {
        continue;
      }
      ClassicMath.log(uniformOpen(IntVector.fromArray(I, keys, j), g)).mul(-2f).lanewise(SQRT).intoArray(radius, j);
    }
  }

  /** z_X = R cos 2πu₂ (draw {@code g2}) of the pending lanes. */
  static void cosines(int[] keys, float[] radius, float[] normal, float[] pending, int bl, int g2) {
    for (int j = 0; j < bl; j += L) {
      if (!FloatVector.fromArray(F, pending, j).compare(GT, 0f).anyTrue()) {
        continue;
      }
      FloatVector u2 = QSimdPasses.uniform(IntVector.fromArray(I, keys, j), g2);
      FloatVector.fromArray(F, radius, j).mul(ClassicMath.cos2pi(u2)).intoArray(normal, j);
    }
  }

  /** z_Y = R sin 2πu₂ (draw {@code g2}) of the pending lanes. */
  static void sines(int[] keys, float[] radius, float[] normal, float[] pending, int bl, int g2) {
    for (int j = 0; j < bl; j += L) {
      if (!FloatVector.fromArray(F, pending, j).compare(GT, 0f).anyTrue()) {
        continue;
      }
      FloatVector u2 = QSimdPasses.uniform(IntVector.fromArray(I, keys, j), g2);
      FloatVector.fromArray(F, radius, j).mul(ClassicMath.sin2pi(u2)).intoArray(normal, j);
    }
  }

  /** u₃ (draw {@code g3}) and ln u₃ of the pending lanes. */
  static void logUniforms(int[] keys, float[] u3, float[] logU, float[] pending, int bl, int g3) {
    for (int j = 0; j < bl; j += L) {
      if (!FloatVector.fromArray(F, pending, j).compare(GT, 0f).anyTrue()) {
        continue;
      }
      FloatVector u = uniformOpen(IntVector.fromArray(I, keys, j), g3);
      u.intoArray(u3, j);
      ClassicMath.log(u).intoArray(logU, j);
    }
  }

  /**
   * The Marsaglia–Tsang test of the pending lanes: v = (1 + cz)³, accept when v &gt; 0 and
   * (u₃ &lt; 1 − 0.0331 z⁴ or ln u₃ &lt; z²/2 + d(1 − v + ln v)); accepted lanes store d·v and leave the
   * pending set. Returns how many lanes are still pending.
   */
  static int accept(float[] normal, float[] u3, float[] logU, float[] shape, float[] scale, float[] out, int outOff,
      float[] pending, int bl) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    int left = 0;
    for (int j = 0; j < bl; j += L) {
      VectorMask<Float> want = FloatVector.fromArray(F, pending, j).compare(GT, 0f);
      if (!want.anyTrue()) {
        continue;
      }
      FloatVector z = FloatVector.fromArray(F, normal, j);
      FloatVector d = FloatVector.fromArray(F, shape, j);
      FloatVector w = z.fma(FloatVector.fromArray(F, scale, j), one);
      FloatVector v = w.mul(w).mul(w);
      FloatVector z2 = z.mul(z);
      VectorMask<Float> squeeze = FloatVector.fromArray(F, u3, j).compare(LT, z2.mul(z2).fma(-0.0331f, 1f));
      FloatVector bound = d.mul(one.sub(v).add(ClassicMath.log(v))).add(z2.mul(0.5f));
      VectorMask<Float> ok = want.and(w.compare(GT, 0f))
          .and(squeeze.or(FloatVector.fromArray(F, logU, j).compare(LT, bound)));
      FloatVector.fromArray(F, out, outOff + j).blend(d.mul(v), ok).intoArray(out, outOff + j);
      VectorMask<Float> still = want.andNot(ok);
      FloatVector.zero(F).blend(1f, still).intoArray(pending, j);
      left += still.trueCount();
    }
    return left;
  }

  /** (m + 1)·2⁻²⁴ ∈ (0, 1] with m the top 24 bits of the draw: the log of it is finite. */
  static FloatVector uniformOpen(IntVector key, int g) {
    IntVector m = QSimdPasses.bits(key, g).lanewise(LSHR, 8).add(1);
    return ((FloatVector) m.castShape(F, 0)).mul(0x1p-24f);
  }

  /**
   * Beta(α_i, β_i) samples X/(X + Y) of the float path for tests and analyses: lane i uses the arm slot
   * at draw {@code counter} of stream {@code keys[i]}, as {@code ReferenceThompson.betaSample} does in
   * float64. α − 1 and β − 1 must be integer counts in [0, {@value ClassicBatch#MAX_COUNT}].
   */
  public static void betaSamples(int[] keys, int counter, float[] alpha, float[] beta, float[] out) {
    int n = keys.length;
    Checks.length("alpha", alpha, n);
    Checks.length("beta", beta, n);
    Checks.length("out", out, n);
    for (int i = 0; i < n; i++) {
      Checks.range("alpha - 1", (int) alpha[i] - 1, 0, ClassicBatch.MAX_COUNT);
      Checks.range("beta - 1", (int) beta[i] - 1, 0, ClassicBatch.MAX_COUNT);
      if (alpha[i] != Math.rint(alpha[i]) || beta[i] != Math.rint(beta[i])) {
        throw new IllegalArgumentException("alpha[" + i + "] = " + alpha[i] + ", beta[" + i + "] = " + beta[i]
            + "; allowed: integers (1 + counts)");
      }
    }
    int bl = (n + 15) / 16 * 16;
    int[] k = java.util.Arrays.copyOf(keys, bl);
    float[] s = new float[bl], f = new float[bl];
    for (int i = 0; i < n; i++) {
      s[i] = alpha[i] - 1f;
      f[i] = beta[i] - 1f;
    }
    float[] gamma = new float[2 * bl];
    gammaPair(k, s, f, 0, gamma, 0, bl, new ClassicSimdBatch.Scratch(bl, 1), bl, counter * G);
    for (int i = 0; i < n; i++) {
      out[i] = gamma[i] / (gamma[i] + gamma[bl + i]);
    }
  }
}
