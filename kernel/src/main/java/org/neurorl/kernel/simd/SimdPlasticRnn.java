package org.neurorl.kernel.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticRnnArguments;
import org.neurorl.kernel.plastic.PlasticRnnKernel;
import org.neurorl.kernel.plastic.PlasticRnnState;
import org.neurorl.kernel.plastic.PlasticRnnWeights;
import org.neurorl.kernel.plastic.PlasticityRule;
import org.neurorl.nativeblas.OpenBlas;

/**
 * The plastic RNN step in float32 with the Vector API, one streaming pass over each agent's N×N state.
 *
 * <p>Per agent the state keeps {@code pre = (α ⊙ dU_{t−1}) h_{t−1}}, produced by the previous step's
 * pass (MODELS.md §1: {@code dU_t} and {@code h_t} are both known once {@code h_t} and {@code M_t} are).
 * A step, per fixed block of {@value #AGENT_BLOCK} agents:
 * <ol>
 *   <li>the shared products {@code [x h] · [[W U]; [Wz Uz]]ᵀ} for the whole block in one sgemm (OpenBLAS,
 *       one thread) or, for small networks or without OpenBLAS, a vectorised Java loop;</li>
 *   <li>{@code g = … + b + pre}, {@code z}, {@code v}, {@code h}, the traces, and the heads ({@code M},
 *       logits, value) elementwise;</li>
 *   <li>one pass over the rows of {@code E} and {@code dU}: row {@code i} is updated, clipped with
 *       compare + blend, and immediately reduced into {@code pre_i} for the next step, so {@code E} and
 *       {@code dU} are read and written once (16·N² bytes per agent-step; 8·N² under STDP, which has no
 *       {@code E}).</li>
 * </ol>
 * Rows are padded to a multiple of the vector length with zeros that stay zero (h, e and α are zero
 * there), so no loop has a tail. Horizontal sums are never {@code reduceLanes} (its order differs between
 * the interpreter and C2): each row's accumulator vector is stored and summed in a fixed scalar order
 * ({@link #rowSums}). The agent blocks do not depend on the thread count, so results are bit-identical
 * whatever the pool. Tiny values are flushed to zero ({@link #TINY_STATE}) to keep subnormal floats out
 * of the pass.
 */
public final class SimdPlasticRnn implements PlasticRnnKernel {
  static final VectorSpecies<Float> F = SimdSpecies.F;
  static final int L = F.length();
  /** Agents per block: the unit of parallel work and of one sgemm call (fixed: results must not depend on threads). */
  public static final int AGENT_BLOCK = 16;
  /**
   * Smallest hidden size for which the shared products go to OpenBLAS; below it the vectorised Java loop
   * is used (a downcall costs 30–70 ns plus OpenBLAS's set-up, and the products are a few thousand flops).
   * At N = 128 and B = 1 OpenBLAS measured faster than the Java loop; the crossover itself was not
   * measured finely (the machine was shared).
   */
  public static final int BLAS_MIN_HIDDEN = 64;

  /**
   * Magnitudes below which E and dU entries are set to zero. x86 computes with subnormal floats
   * (below 1.2e−38) in microcode at ~100 cycles per operation and Java cannot switch on flush-to-zero;
   * entries of E, dU and the traces decay geometrically wherever h stays 0, reach subnormals after a few
   * hundred steps, and then made the step 20–40× slower. The flush keeps every product in the pass
   * normal: E, dU ≥ 1e−20 or 0; h and the traces ≥ 1e−10 or 0 ({@link #TINY_TRACE}); τU·M ≥ 1e−10 or 0
   * ({@link #TINY_FACTOR}); |α| ≥ 1e−8 or 0 ({@link #TINY_ALPHA}). Each changes a quantity by less than float32 resolves next to the values that drive
   * the network (O(c) for dU, O(h²) for E, O(h) for h).
   */
  public static final float TINY_STATE = 1e-20f;
  /** Flush threshold for h and the traces (see {@link #TINY_STATE}). */
  public static final float TINY_TRACE = 1e-10f;
  /** Flush threshold for τU·M (see {@link #TINY_STATE}). */
  public static final float TINY_FACTOR = 1e-10f;
  /** Flush threshold for the entries of α, applied once when a state packs the weights. */
  public static final float TINY_ALPHA = 1e-8f;

  private final OpenBlas blas;

  /** The kernel, using OpenBLAS for the shared products when it is available. */
  public SimdPlasticRnn() {
    this(true);
  }

  /** With {@code allowBlas = false} the shared products always use the Java loop (tests cover both paths). */
  public SimdPlasticRnn(boolean allowBlas) {
    this.blas = allowBlas ? OpenBlas.get().orElse(null) : null;
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  /** True when states of networks with {@code hidden} units compute the shared products with OpenBLAS. */
  public boolean usesBlas(int hidden) {
    return blas != null && hidden >= BLAS_MIN_HIDDEN;
  }

  @Override
  public PlasticRnnState newState(PlasticRnnWeights weights, PlasticityRule rule, int batch) {
    PlasticRnnArguments.newState(weights, rule, batch);
    return new State(weights, rule, batch, usesBlas(weights.hidden()) ? blas : null);
  }

  @Override
  public void step(PlasticRnnState state, float[] x, float[] logits, float[] values, Parallel pool) {
    PlasticRnnArguments.step(state, x, logits, values, pool);
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("state = " + state.getClass().getName()
          + "; allowed: a state created by a SimdPlasticRnn");
    }
    if (s.preStale) {
      s.recomputePre();
    }
    s.task.x = x;
    s.task.logits = logits;
    s.task.values = values;
    try {
      pool.forEachBlock(s.blocks, s.task);
    } finally {
      s.task.x = null;
      s.task.logits = null;
      s.task.values = null;
    }
    s.steps++;
  }

  // ---------------------------------------------------------------------------------------------
  // One block of agents. Each loop nest is its own small method so that C2 compiles it with every
  // vector in registers (a large method exceeds C2's node budget and then boxes vectors).

  static void block(State s, int block, float[] x, float[] logits, float[] values) {
    int a0 = block * AGENT_BLOCK;
    int a1 = Math.min(s.batch, a0 + AGENT_BLOCK);
    int m = a1 - a0;
    int in = s.in, np = s.np, kcat = s.kcat, gzw = 2 * np;
    // [x h] rows for this block
    for (int a = a0; a < a1; a++) {
      System.arraycopy(x, a * in, s.xh, a * kcat, in);
      System.arraycopy(s.h, a * np, s.xh, a * kcat + in, np);
    }
    if (s.blas != null) {
      MemorySegment xhSeg = s.xhBlocks[block];
      MemorySegment gzSeg = s.gzBlocks[block];
      MemorySegment.copy(s.xh, a0 * kcat, xhSeg, ValueLayout.JAVA_FLOAT, 0, m * kcat);
      s.blas.sgemm(false, true, m, gzw, kcat, 1f, xhSeg, kcat, s.wcatSeg, kcat, 0f, gzSeg, gzw);
      MemorySegment.copy(gzSeg, ValueLayout.JAVA_FLOAT, 0, s.gz, a0 * gzw, m * gzw);
    } else {
      for (int a = a0; a < a1; a++) {
        sharedProducts(s.xh, a * kcat, kcat, s.wcatT, s.gz, a * gzw, gzw);
      }
    }
    PlasticityRule r = s.rule;
    boolean modulated = r.kind() == PlasticityRule.Kind.MODULATED;
    for (int a = a0; a < a1; a++) {
      int off = a * np;
      gates(s.gz, a * gzw, s.bcat, s.pre, s.v, s.h, off, np);
      if (modulated) {
        trace(s.h, s.e, off, np, r.traceRate());
      } else {
        trace(s.h, s.e, off, np, r.plusRate());
        trace(s.h, s.eMinus, off, np, r.minusRate());
      }
      heads(s.heads, s.headRows, s.h, off, np, s.reduce[block], s.headOut, a * s.headRows);
      float mod = VectorMath.tanhScalar(s.headOut[a * s.headRows] + s.weights.bM());
      int na = s.na;
      for (int k = 0; k < na; k++) {
        logits[a * na + k] = s.headOut[a * s.headRows + 2 + k] + s.weights.bPi()[k];
      }
      values[a] = s.headOut[a * s.headRows + 1] + s.weights.bv();
      float tU = r.plasticRate();
      boolean sweep = s.steps % s.sweepPeriod == 0;
      if (modulated) {
        s.modulator[a] = mod;
        float dE = 1f - r.eligibilityRate(), tE = r.eligibilityRate(), decay = 1f - tU, mU = flush(tU * mod);
        if (sweep) {
          fusedModulated(s.plastic[a], s.alpha, s.h, s.e, off, s.n, np, dE, tE, decay, mU, r.clip(),
              s.reduce[block], s.pre);
        } else if (s.alphaConstant) {
          fusedModulatedConstantAlpha(s.plastic[a], s.alphaValue, s.h, s.e, off, s.n, np, dE, tE, decay, mU,
              r.clip(), s.reduce[block], s.pre);
        } else {
          fusedModulatedLean(s.plastic[a], s.alpha, s.h, s.e, off, s.n, np, dE, tE, decay, mU, r.clip(),
              s.reduce[block], s.pre);
        }
      } else {
        float decay = 1f - tU, plus = tU * r.plusAmplitude(), minus = tU * r.minusAmplitude();
        if (sweep) {
          fusedStdp(s.plastic[a], s.alpha, s.h, s.e, s.eMinus, off, s.n, np, decay, plus, minus, r.clip(),
              s.reduce[block], s.pre);
        } else {
          fusedStdpLean(s.plastic[a], s.alpha, s.h, s.e, s.eMinus, off, s.n, np, decay, plus, minus, r.clip(),
              s.reduce[block], s.pre);
        }
      }
    }
    checkFinite(s, a0, a1, logits, values);
  }

  /** x, or 0 when |x| is below {@link #TINY_FACTOR}. */
  static float flush(float x) {
    return Math.abs(x) < TINY_FACTOR ? 0f : x;
  }

  /**
   * gz[0 .. gzw) = [x h] · wcatᵀ as a sum of rows of wcatᵀ (no horizontal sums, fixed order: k = 0, 1, ..
   * for every output). The outputs are done in chunks of six, three, then one vector held in registers
   * over the whole k loop: accumulating in gz itself put a store-to-load round trip on every k step's
   * critical path (measured: this product was ~7% of an A2C update at N = 48 before).
   */
  static void sharedProducts(float[] xh, int xhOff, int kcat, float[] wcatT, float[] gz, int gzOff, int gzw) {
    int j = 0;
    for (; j + 6 * L <= gzw; j += 6 * L) {
      products6(xh, xhOff, kcat, wcatT, gz, gzOff, gzw, j);
    }
    for (; j + 3 * L <= gzw; j += 3 * L) {
      products3(xh, xhOff, kcat, wcatT, gz, gzOff, gzw, j);
    }
    for (; j < gzw; j += L) {
      FloatVector a0 = FloatVector.zero(F);
      for (int k = 0; k < kcat; k++) {
        a0 = FloatVector.fromArray(F, wcatT, k * gzw + j).fma(FloatVector.broadcast(F, xh[xhOff + k]), a0);
      }
      a0.intoArray(gz, gzOff + j);
    }
  }

  private static void products6(float[] xh, int xhOff, int kcat, float[] w, float[] gz, int gzOff, int gzw, int j) {
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    for (int k = 0; k < kcat; k++) {
      FloatVector s = FloatVector.broadcast(F, xh[xhOff + k]);
      int row = k * gzw + j;
      a0 = FloatVector.fromArray(F, w, row).fma(s, a0);
      a1 = FloatVector.fromArray(F, w, row + L).fma(s, a1);
      a2 = FloatVector.fromArray(F, w, row + 2 * L).fma(s, a2);
      a3 = FloatVector.fromArray(F, w, row + 3 * L).fma(s, a3);
      a4 = FloatVector.fromArray(F, w, row + 4 * L).fma(s, a4);
      a5 = FloatVector.fromArray(F, w, row + 5 * L).fma(s, a5);
    }
    int o = gzOff + j;
    a0.intoArray(gz, o);
    a1.intoArray(gz, o + L);
    a2.intoArray(gz, o + 2 * L);
    a3.intoArray(gz, o + 3 * L);
    a4.intoArray(gz, o + 4 * L);
    a5.intoArray(gz, o + 5 * L);
  }

  private static void products3(float[] xh, int xhOff, int kcat, float[] w, float[] gz, int gzOff, int gzw, int j) {
    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0;
    for (int k = 0; k < kcat; k++) {
      FloatVector s = FloatVector.broadcast(F, xh[xhOff + k]);
      int row = k * gzw + j;
      a0 = FloatVector.fromArray(F, w, row).fma(s, a0);
      a1 = FloatVector.fromArray(F, w, row + L).fma(s, a1);
      a2 = FloatVector.fromArray(F, w, row + 2 * L).fma(s, a2);
    }
    int o = gzOff + j;
    a0.intoArray(gz, o);
    a1.intoArray(gz, o + L);
    a2.intoArray(gz, o + 2 * L);
  }

  /** g = Wx + Uh + b + pre, z = σ(Wz x + Uz h + bz), v ← v + z (g − v), h = [v]₊. */
  static void gates(float[] gz, int gzOff, float[] bcat, float[] pre, float[] v, float[] h, int off, int np) {
    FloatVector zero = FloatVector.zero(F);
    for (int i = 0; i < np; i += L) {
      FloatVector g = FloatVector.fromArray(F, gz, gzOff + i).add(FloatVector.fromArray(F, bcat, i))
          .add(FloatVector.fromArray(F, pre, off + i));
      FloatVector z = VectorMath.sigmoid(
          FloatVector.fromArray(F, gz, gzOff + np + i).add(FloatVector.fromArray(F, bcat, np + i)));
      FloatVector vOld = FloatVector.fromArray(F, v, off + i);
      FloatVector vNew = g.sub(vOld).fma(z, vOld);
      vNew.intoArray(v, off + i);
      // h = [v]₊ with tiny values flushed (see TINY_STATE); one compare + blend, and a NaN in v reaches h
      vNew.blend(zero, vNew.compare(VectorOperators.LT, TINY_TRACE)).intoArray(h, off + i);
    }
  }

  /** e ← e + τ (h − e), i.e. (1 − τ) e + τ h, flushed below {@link #TINY_TRACE} (e ≥ 0 as h ≥ 0). */
  static void trace(float[] h, float[] e, int off, int np, float rate) {
    FloatVector zero = FloatVector.zero(F);
    for (int i = 0; i < np; i += L) {
      FloatVector ev = FloatVector.fromArray(F, e, off + i);
      ev = FloatVector.fromArray(F, h, off + i).sub(ev).mul(rate).add(ev);
      ev.blend(zero, ev.compare(VectorOperators.LT, TINY_TRACE)).intoArray(e, off + i);
    }
  }

  /** out[r] = heads row r · h for the rows wM, wv, Wπ (lanes summed in a fixed order). */
  static void heads(float[] heads, int rows, float[] h, int off, int np, float[] red, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      FloatVector acc = FloatVector.zero(F);
      for (int i = 0; i < np; i += L) {
        acc = FloatVector.fromArray(F, heads, r * np + i).fma(FloatVector.fromArray(F, h, off + i), acc);
      }
      acc.intoArray(red, r * L);
    }
    rowSums(red, rows, out, outOff);
  }

  /**
   * out[outOff + r] = Σ_l red[r·L + l] for r < rows, in a fixed order (four interleaved partial sums,
   * then a pairwise finish). The fused passes store each row's accumulator vector to {@code red} and sum
   * all rows here: a horizontal sum inside the row loop (reduceLanes is not reproducible; shape
   * reinterpretation measured 2× slower overall) would sit on the loop's critical path.
   */
  static void rowSums(float[] red, int rows, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      int base = r * L;
      float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
      for (int l = 0; l < L; l += 4) {
        s0 += red[base + l];
        s1 += red[base + l + 1];
        s2 += red[base + l + 2];
        s3 += red[base + l + 3];
      }
      out[outOff + r] = (s0 + s2) + (s1 + s3);
    }
  }

  /**
   * The fused pass of the modulated rule: for each row i, E_i ← dE·E_i + τE (h_i e − e_i h),
   * dU_i ← clip(dU·decay + τU M E_i, ±c), and pre_i = Σ_j α_ij dU_ij h_j for the next step.
   */
  static void fusedModulated(float[] st, float[] alpha, float[] h, float[] e, int off, int n, int np,
      float dE, float tE, float decay, float mU, float c, float[] red, float[] pre) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector zero = FloatVector.zero(F);
    FloatVector tiny = FloatVector.broadcast(F, TINY_STATE);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int row = 2 * i * np; // E_i, then dU_i: one sequential stream (see State)
      int arow = i * np;
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        // h_i e_j − e_i h_j from two rounded products: entry (j, i) gets exactly the negated value, so E
        // and dU stay exactly antisymmetric in float32 as they do in exact arithmetic
        FloatVector t = FloatVector.fromArray(F, e, off + j).mul(hiV).sub(hj.mul(ei));
        FloatVector eg = t.fma(tEv, FloatVector.fromArray(F, st, row + j).mul(dE));
        eg = eg.blend(zero, eg.abs().compare(VectorOperators.LT, tiny));
        eg.intoArray(st, row + j);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, row + np + j).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d = d.blend(zero, d.abs().compare(VectorOperators.LT, tiny));
        d.intoArray(st, row + np + j);
        acc = d.mul(FloatVector.fromArray(F, alpha, arow + j)).fma(hj, acc);
      }
      acc.intoArray(red, i * L);
    }
    rowSums(red, n, pre, off);
  }

  /**
   * {@link #fusedModulated} without the flush of tiny values: the flush is needed only every
   * {@link State#sweepPeriod} steps (see there), and dropping it from the other steps removes 6 of the
   * loop's 19 vector operations.
   */
  static void fusedModulatedLean(float[] st, float[] alpha, float[] h, float[] e, int off, int n, int np,
      float dE, float tE, float decay, float mU, float c, float[] red, float[] pre) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int row = 2 * i * np;
      int arow = i * np;
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector t = FloatVector.fromArray(F, e, off + j).mul(hiV).sub(hj.mul(ei));
        FloatVector eg = t.fma(tEv, FloatVector.fromArray(F, st, row + j).mul(dE));
        eg.intoArray(st, row + j);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, row + np + j).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, row + np + j);
        acc = d.mul(FloatVector.fromArray(F, alpha, arow + j)).fma(hj, acc);
      }
      acc.intoArray(red, i * L);
    }
    rowSums(red, n, pre, off);
  }

  /**
   * {@link #fusedModulatedLean} for a constant α (the common scalar-α network): pre_i = α Σ_j dU_ij h_j,
   * one load and one multiply fewer per element. α·(Σ …) rounds differently from Σ α·(…): both are
   * within the equivalence tests' float32 tolerance, and the choice is fixed by the weights, so results
   * stay reproducible.
   */
  static void fusedModulatedConstantAlpha(float[] st, float alpha, float[] h, float[] e, int off, int n,
      int np, float dE, float tE, float decay, float mU, float c, float[] red, float[] pre) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int row = 2 * i * np;
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector t = FloatVector.fromArray(F, e, off + j).mul(hiV).sub(hj.mul(ei));
        FloatVector eg = t.fma(tEv, FloatVector.fromArray(F, st, row + j).mul(dE));
        eg.intoArray(st, row + j);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, row + np + j).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, row + np + j);
        acc = d.fma(hj, acc);
      }
      acc.intoArray(red, i * L);
    }
    rowSums(red, n, pre, off);
    for (int i = 0; i < n; i++) {
      pre[off + i] *= alpha;
    }
  }

  /**
   * The fused pass of the STDP rule: dU_ij ← clip(dU·decay + τU a₊ h_i e⁺_j − τU a₋ e⁻_i h_j, ±c) and
   * pre_i = Σ_j α_ij dU_ij h_j.
   */
  static void fusedStdp(float[] dU, float[] alpha, float[] h, float[] ePlus, float[] eMinus, int off, int n,
      int np, float decay, float plus, float minus, float c, float[] red, float[] pre) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector zero = FloatVector.zero(F);
    FloatVector tiny = FloatVector.broadcast(F, TINY_STATE);
    for (int i = 0; i < n; i++) {
      FloatVector pi = FloatVector.broadcast(F, plus * h[off + i]);
      FloatVector qi = FloatVector.broadcast(F, -minus * eMinus[off + i]);
      int row = i * np;
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector d = FloatVector.fromArray(F, dU, row + j).mul(decay);
        d = FloatVector.fromArray(F, ePlus, off + j).fma(pi, d);
        d = hj.fma(qi, d);
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d = d.blend(zero, d.abs().compare(VectorOperators.LT, tiny));
        d.intoArray(dU, row + j);
        acc = d.mul(FloatVector.fromArray(F, alpha, row + j)).fma(hj, acc);
      }
      acc.intoArray(red, i * L);
    }
    rowSums(red, n, pre, off);
  }

  /** {@link #fusedStdp} without the flush of tiny values (see {@link #fusedModulatedLean}). */
  static void fusedStdpLean(float[] dU, float[] alpha, float[] h, float[] ePlus, float[] eMinus, int off, int n,
      int np, float decay, float plus, float minus, float c, float[] red, float[] pre) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    for (int i = 0; i < n; i++) {
      FloatVector pi = FloatVector.broadcast(F, plus * h[off + i]);
      FloatVector qi = FloatVector.broadcast(F, -minus * eMinus[off + i]);
      int row = i * np;
      FloatVector acc = FloatVector.zero(F);
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector d = FloatVector.fromArray(F, dU, row + j).mul(decay);
        d = FloatVector.fromArray(F, ePlus, off + j).fma(pi, d);
        d = hj.fma(qi, d);
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(dU, row + j);
        acc = d.mul(FloatVector.fromArray(F, alpha, row + j)).fma(hj, acc);
      }
      acc.intoArray(red, i * L);
    }
    rowSums(red, n, pre, off);
  }

  /** O(B·N) check: x·0 is ±0 for finite x and NaN otherwise, so a sum of them flags any NaN or ±∞. */
  static void checkFinite(State s, int a0, int a1, float[] logits, float[] values) {
    int n = s.n, np = s.np, na = s.na;
    for (int a = a0; a < a1; a++) {
      int off = a * np;
      float sv = 0f, sp = 0f, sl = 0f;
      for (int i = 0; i < n; i++) {
        sv += s.v[off + i] * 0f;
        sp += s.pre[off + i] * 0f;
      }
      for (int k = 0; k < na; k++) {
        sl += logits[a * na + k] * 0f;
      }
      if (sv != 0f || sp != 0f || sl != 0f || !Float.isFinite(values[a])) {
        for (int i = 0; i < n; i++) {
          if (!Float.isFinite(s.v[off + i])) {
            throw new NumericalBlowUpException("v", a, s.steps, s.v[off + i]);
          }
        }
        for (int i = 0; i < n; i++) {
          if (!Float.isFinite(s.pre[off + i])) {
            throw new NumericalBlowUpException("plastic input (alpha*dU)h", a, s.steps, s.pre[off + i]);
          }
        }
        for (int k = 0; k < na; k++) {
          if (!Float.isFinite(logits[a * na + k])) {
            throw new NumericalBlowUpException("logit", a, s.steps, logits[a * na + k]);
          }
        }
        throw new NumericalBlowUpException("value", a, s.steps, values[a]);
      }
    }
  }

  /** The block task of one state: fields set by {@link #step} for the duration of one call (no allocation). */
  static final class StepTask implements Parallel.BlockTask {
    final State state;
    float[] x, logits, values;

    StepTask(State state) {
      this.state = state;
    }

    @Override
    public void run(int worker, int block) {
      SimdPlasticRnn.block(state, block, x, logits, values);
    }
  }

  /**
   * float32 state with rows padded to {@code np}, a multiple of the vector length. Each agent's N×N
   * state is one array: under the modulated rule row i holds E_i then dU_i ({@code rowStride} = 2·np),
   * so the pass reads and writes one sequential stream; two separate arrays whose sizes are multiples of
   * 4 KiB put loads of one at the same 4 KiB offsets as stores to the other (false store-to-load
   * dependencies).
   */
  static final class State implements PlasticRnnState {
    final PlasticRnnWeights weights;
    final PlasticityRule rule;
    final OpenBlas blas;
    final int batch, n, np, in, na, kcat, blocks, headRows;
    final float[] v, h, e, eMinus, pre, modulator;
    /** Per agent: rows of [E_i dU_i] (modulated) or dU_i (STDP). */
    final float[][] plastic;
    final int rowStride, duOffset;
    final float[] alpha, bcat, heads, wcatT, xh, gz, headOut;
    final float[][] reduce;
    final MemorySegment wcatSeg;
    final MemorySegment[] xhBlocks, gzBlocks;
    final StepTask task = new StepTask(this);
    /**
     * Steps between passes that flush E and dU entries below {@link #TINY_STATE}. Between two sweeps an
     * entry only decays by at most f = max(1 − τE, 1 − τU) per step (new contributions are products of
     * flushed traces, far above the subnormal range). With a period of 16 / ln(1/f) steps an entry of
     * 1e-20 falls at most by e^-16 to 1.1e-27, and even its product with the smallest unflushed τU·M
     * (1e-10) stays above float32's smallest normal (1.2e-38).
     */
    final int sweepPeriod;
    /** True when every α_ij is the same value {@link #alphaValue}: the pass then skips α's loads. */
    final boolean alphaConstant;
    final float alphaValue;
    boolean preStale;
    long steps;

    State(PlasticRnnWeights w, PlasticityRule rule, int batch, OpenBlas blas) {
      this.weights = w;
      this.rule = rule;
      this.batch = batch;
      this.blas = blas;
      this.n = w.hidden();
      this.np = (n + L - 1) / L * L;
      this.in = w.inputs();
      this.na = w.actions();
      this.kcat = in + np;
      this.blocks = (batch + AGENT_BLOCK - 1) / AGENT_BLOCK;
      this.headRows = 2 + na;
      long perAgent = Math.max(2L * n * np, (long) kcat + 2L * np);
      if ((long) batch * np > Integer.MAX_VALUE - 64 || (long) batch * kcat > Integer.MAX_VALUE - 64
          || perAgent > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("batch = " + batch + " with hidden = " + n
            + "; allowed: batch * (inputs + padded hidden) below 2^31");
      }
      boolean mod = rule.kind() == PlasticityRule.Kind.MODULATED;
      v = new float[batch * np];
      h = new float[batch * np];
      e = new float[batch * np];
      eMinus = mod ? null : new float[batch * np];
      pre = new float[batch * np];
      modulator = new float[batch];
      if (!mod) {
        Arrays.fill(modulator, Float.NaN);
      }
      rowStride = mod ? 2 * np : np;
      duOffset = mod ? np : 0;
      plastic = new float[batch][n * rowStride];
      alpha = pad(w.alpha(), n, n, np);
      for (int i = 0; i < alpha.length; i++) {
        alpha[i] = Math.abs(alpha[i]) < TINY_ALPHA ? 0f : alpha[i];
      }
      float a0 = alpha[0];
      boolean constant = true;
      for (int i = 0; i < n && constant; i++) {
        for (int j = 0; j < n; j++) {
          if (Float.floatToRawIntBits(alpha[i * np + j]) != Float.floatToRawIntBits(a0)) {
            constant = false;
            break;
          }
        }
      }
      alphaConstant = constant && mod;
      alphaValue = a0;
      double f = mod ? Math.max(1.0 - rule.eligibilityRate(), 1.0 - rule.plasticRate()) : 1.0 - rule.plasticRate();
      sweepPeriod = f <= 0 ? 256 : (int) Math.max(1, Math.min(256, Math.floor(16.0 / Math.log(1.0 / f))));
      heads = new float[headRows * np];
      System.arraycopy(w.wM(), 0, heads, 0, n);
      System.arraycopy(w.wv(), 0, heads, np, n);
      for (int k = 0; k < na; k++) {
        System.arraycopy(w.wPi(), k * n, heads, (2 + k) * np, n);
      }
      bcat = new float[2 * np];
      System.arraycopy(w.b(), 0, bcat, 0, n);
      System.arraycopy(w.bz(), 0, bcat, np, n);
      // wcat (2np × kcat): rows i < n are [W_i U_i], rows np + i are [Wz_i Uz_i]; padding rows are zero
      float[] wcat = new float[2 * np * kcat];
      for (int i = 0; i < n; i++) {
        System.arraycopy(w.w(), i * in, wcat, i * kcat, in);
        System.arraycopy(w.u(), i * n, wcat, i * kcat + in, n);
        System.arraycopy(w.wz(), i * in, wcat, (np + i) * kcat, in);
        System.arraycopy(w.uz(), i * n, wcat, (np + i) * kcat + in, n);
      }
      xh = new float[batch * kcat];
      gz = new float[batch * 2 * np];
      headOut = new float[batch * headRows];
      reduce = new float[blocks][Math.max(n, headRows) * L];
      if (blas != null) {
        Arena arena = Arena.ofAuto();
        wcatSeg = arena.allocate((long) wcat.length * Float.BYTES, 64);
        MemorySegment.copy(wcat, 0, wcatSeg, ValueLayout.JAVA_FLOAT, 0, wcat.length);
        wcatT = null;
        xhBlocks = new MemorySegment[blocks];
        gzBlocks = new MemorySegment[blocks];
        for (int b = 0; b < blocks; b++) {
          xhBlocks[b] = arena.allocate((long) AGENT_BLOCK * kcat * Float.BYTES, 64);
          gzBlocks[b] = arena.allocate((long) AGENT_BLOCK * 2 * np * Float.BYTES, 64);
        }
      } else {
        wcatSeg = null;
        xhBlocks = null;
        gzBlocks = null;
        wcatT = new float[kcat * 2 * np];
        for (int r = 0; r < 2 * np; r++) {
          for (int k = 0; k < kcat; k++) {
            wcatT[k * 2 * np + r] = wcat[r * kcat + k];
          }
        }
      }
    }

    private static float[] pad(float[] a, int rows, int cols, int stride) {
      float[] p = new float[rows * stride];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(a, i * cols, p, i * stride, cols);
      }
      return p;
    }

    /** pre = (α ⊙ dU) h for every agent, after a copyIn changed dU or h (not on the hot path). */
    void recomputePre() {
      for (int a = 0; a < batch; a++) {
        int off = a * np;
        for (int i = 0; i < n; i++) {
          float s = 0f;
          for (int j = 0; j < n; j++) {
            s += alpha[i * np + j] * plastic[a][i * rowStride + duOffset + j] * h[off + j];
          }
          pre[off + i] = s;
        }
      }
      preStale = false;
    }

    @Override
    public int batch() {
      return batch;
    }

    @Override
    public PlasticRnnWeights weights() {
      return weights;
    }

    @Override
    public PlasticityRule rule() {
      return rule;
    }

    @Override
    public long steps() {
      return steps;
    }

    @Override
    public double[] copyOut(Quantity q, int agent) {
      PlasticRnnArguments.agent(this, agent);
      PlasticRnnArguments.quantity(this, q);
      if (q.isMatrix()) {
        float[] m = plastic[agent];
        int shift = q == Quantity.ELIGIBILITY ? 0 : duOffset;
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            out[i * n + j] = m[i * rowStride + shift + j];
          }
        }
        return out;
      }
      float[] src = vector(q);
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = src[agent * np + i];
      }
      return out;
    }

    private float[] vector(Quantity q) {
      return switch (q) {
        case V -> v;
        case H -> h;
        case TRACE -> e;
        case TRACE_MINUS -> eMinus;
        default -> throw new IllegalStateException("not a vector: " + q);
      };
    }

    @Override
    public void copyIn(Quantity q, int agent, double[] values) {
      PlasticRnnArguments.agent(this, agent);
      PlasticRnnArguments.quantity(this, q);
      PlasticRnnArguments.values(this, q, values);
      if (q.isMatrix()) {
        float[] m = plastic[agent];
        int shift = q == Quantity.ELIGIBILITY ? 0 : duOffset;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            m[i * rowStride + shift + j] = (float) values[i * n + j];
          }
        }
      } else {
        float[] dst = vector(q);
        for (int i = 0; i < n; i++) {
          dst[agent * np + i] = (float) values[i];
        }
      }
      if (q == Quantity.FAST_WEIGHTS || q == Quantity.H) {
        preStale = true;
      }
    }

    @Override
    public double modulator(int agent) {
      PlasticRnnArguments.agent(this, agent);
      return modulator[agent];
    }

    @Override
    public void copyModulators(float[] out) {
      Checks.length("out", out, batch);
      System.arraycopy(modulator, 0, out, 0, batch);
    }

    @Override
    public void copyHidden(float[] out) {
      Checks.length("out", out, (long) batch * n);
      for (int a = 0; a < batch; a++) {
        System.arraycopy(h, a * np, out, a * n, n);
      }
    }

    @Override
    public void reset() {
      for (int a = 0; a < batch; a++) {
        clearAgent(a);
      }
      steps = 0;
    }

    @Override
    public void reset(int agent) {
      PlasticRnnArguments.agent(this, agent);
      clearAgent(agent);
    }

    private void clearAgent(int a) {
      int off = a * np;
      for (float[] q : new float[][] {v, h, e, eMinus, pre}) {
        if (q != null) {
          Arrays.fill(q, off, off + np, 0f);
        }
      }
      Arrays.fill(plastic[a], 0f);
      modulator[a] = rule.kind() == PlasticityRule.Kind.MODULATED ? 0f : Float.NaN;
    }
  }
}
