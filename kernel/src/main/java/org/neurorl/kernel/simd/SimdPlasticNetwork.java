package org.neurorl.kernel.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticNetwork;
import org.neurorl.kernel.plastic.PlasticNetworkArguments;
import org.neurorl.kernel.plastic.PlasticityRule;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.nativeblas.OpenBlas;

/**
 * The plastic network of {@link PlasticNetwork} in float32: Vector API over each agent's N×N plastic
 * state, OpenBLAS for the products with shared weights. Forward as {@link SimdPlasticRnn} (one fused pass
 * over the rows of E and dU per agent-step that also produces the next step's plastic input), but
 * recording what the backward pass needs; backward through time in one fused pass per agent-step.
 *
 * <p><b>What is recorded (memory).</b> E_t and dU_t are needed backwards at every step. Storing them all
 * costs 8·T·B·N² bytes (N = 128, B = 32, T = 100: 420 MB) and made the forward pass store-bound: every
 * step wrote 8·N² fresh bytes per agent. Running E backwards ((E_t − τE(h eᵀ − e hᵀ))/(1 − τE)) would
 * amplify rounding by (1 − τE)^−T (10^4.6 for τE = 0.1, T = 100) and fails at τE = 1. So the network
 * keeps <em>checkpoints</em>: per agent one slot (N padded rows {@code [E_i | dU_i]}, np = N rounded up to
 * the vector length, 8·N·np bytes) every {@value #CHECKPOINT} steps, a working slot the forward pass
 * updates in place, and per block of agents {@value #CHECKPOINT} slots into which the backward pass
 * recomputes one segment from its checkpoint (the same float operations on the recorded h, e and M, so
 * the same bits) before consuming it in reverse. (T/K + 2) slots per agent and K per block: at N = 128,
 * B = 32, T = 100, K = 8: 67 MB instead of 420 MB; the price is one extra pass over E and dU per step
 * (measured: the in-place forward became about 2× faster at N = 128, more than the recomputation costs). All slots are allocated once per
 * (batch, maxSteps) and reused by later rollouts of the same size. Per step and agent the vectors x,
 * h_{t−1}, h, v, z, g − v_{t−1}, e and M are recorded too (O(T·B·N)). Storing only the antisymmetric
 * triangle would halve the bytes again at the cost of a triangle kernel (not done).
 *
 * <p><b>Backward.</b> E_t and dU_t are exactly antisymmetric (they start at 0, h eᵀ − e hᵀ is computed
 * from two rounded products so entry (j, i) is exactly the negation of (i, j), and the clip is odd), so
 * the clip mask 1[|dU_t| &lt; c] is symmetric and only the antisymmetric parts of the adjoints of dU and
 * E reach the loss. The pass therefore carries P = (adjoint of dU) − its transpose and S = (adjoint of E)
 * − its transpose (the reference carries the full adjoints; both give the same gradient):
 * <pre>
 *   P_t = (1−τU) Q_{t+1} + R − Rᵀ,  R_ij = α_ij ∂g_{t+1,i} h_t,j      (Rᵀ from a stored αᵀ)
 *   Q_t = P_t ⊙ 1[|dU_t| &lt; c],       ∂M_t = ½ τU Σ Q_t ⊙ E_t
 *   S_t = τU M_t Q_t + (1−τE) S_{t+1}
 *   ∂h_t += τE S_t e_t + τe 𝓮_t − Σ_j αᵀ_ij dU_t,ij ∂g_{t+1,j},   𝓮_t = (1−τe) 𝓮_{t+1} − τE S_t h_t
 * </pre>
 * (the last sum is (α ⊙ dU_t)ᵀ ∂g_{t+1} with dU_t antisymmetric). One pass over row i reads E_t, dU_t,
 * α, αᵀ, P, S and the α-gradient partial and writes P, S and that partial; ∂α_ij += ∂g_{t+1,i} dU_t,ij
 * h_t,j is accumulated in the same pass. The products S e, S h and the last sum are accumulated by
 * columns (S and dU antisymmetric: (S e)_j = −Σ_i S_ij e_i), like the forward pass's plastic input: a
 * horizontal sum per row and product (3N per agent-step) cost more than the whole row pass at N = 48. The remaining O(N) work per agent-step (gates, heads, ReLU) is
 * elementwise; {@code Uᵀ ∂g + Uzᵀ ∂zin + Wπᵀ ∂logits + wv ∂value} is one product per agent-step
 * (OpenBLAS at N ≥ {@value #BLAS_MIN_HIDDEN}). A block runs agent after agent, each over its whole
 * episode, so that one agent's adjoints, α, αᵀ and its recomputed segment stay in L2. The weight
 * gradients of W, U, Wz, Uz and the heads are sgemms over all T·(agents of a block) recorded rows, done
 * once per block after its time loop.
 *
 * <p><b>Determinism.</b> Agents are cut into fixed blocks of {@value #AGENT_BLOCK}; one worker runs a
 * block's whole backward pass and its own gradient partial; partials are summed in block order.
 * Horizontal sums use {@link SimdPlasticRnn#rowSums}'s fixed order, never reduceLanes. So gradients are
 * bit-identical whatever the thread count.
 *
 * <p>No flushing of tiny values (unlike {@link SimdPlasticRnn}): the gradient must follow the math. Over
 * episodes of ~100 steps from the zero state with rates up to ~0.5, E and the adjoints stay far above
 * the subnormal range; with much faster decay (τE or τU near 1 over hundreds of steps) subnormals can
 * appear and slow the pass down (speed only, not results).
 *
 * <p>One rollout at a time per network object: {@link #begin} reuses the buffers, so it invalidates the
 * previous rollout (which then refuses further calls).
 */
public final class SimdPlasticNetwork implements PlasticNetwork {
  static final VectorSpecies<Float> F = SimdSpecies.F;
  static final int L = F.length();
  /** Agents per block: the unit of parallel work, of the per-step sgemms and of gradient partials. */
  public static final int AGENT_BLOCK = 4;
  /** Smallest N for which the per-step shared products go to OpenBLAS (see {@link SimdPlasticRnn}). */
  public static final int BLAS_MIN_HIDDEN = 64;
  /**
   * Steps between checkpoints of E and dU. The forward pass updates one working copy in place and
   * writes a checkpoint every {@value} steps; the backward pass recomputes the {@value} states of a
   * segment from its checkpoint (same float operations, so the same bits) into a per-agent buffer and
   * consumes them in reverse. Memory: (T/K + 2) slots of N·np·2 floats per agent and K per block of
   * agents, instead of T + 1 per agent.
   */
  public static final int CHECKPOINT = 8;
  /**
   * The padded width of the unrolled row passes ({@link #backwardRows3} and its twins), a compile-time
   * constant so that the row offsets are a constant multiple of the row index and C2 can hoist their
   * range checks out of the row loop.
   */
  static final int NP3 = 3 * L;

  /** Loaded reflectively by {@link PlasticNetwork#create} once the Vector API is known to be readable. */
  public static final class Factory implements PlasticNetwork.Factory {
    public Factory() {}

    @Override
    public PlasticNetwork create(int inputs, int hidden, int actions, PlasticityRule rule) {
      return new SimdPlasticNetwork(inputs, hidden, actions, rule, true);
    }
  }

  final int in, n, na, np, kcat, kb, hw;
  /**
   * Floats between consecutive recorded slots of one agent: N·2np rounded so that the byte distance is
   * 2 KiB away from a multiple of 4 KiB. The forward pass reads slot t and writes slot t+1 at the same
   * row offsets; at N = 128 the plain distance (128 KiB) is a multiple of 4 KiB, so every store would
   * falsely alias the loads of the following iterations (4K aliasing).
   */
  final int slotStride;
  final PlasticityRule rule;
  final ParameterLayout layout;
  /** Offsets of the tensors in the flat vector (looked up once: begin and backward then allocate nothing). */
  final int oW, oU, ob, oWz, oUz, obz, oA, owM, obM, oPi, obpi, owv, obv;
  /** OpenBLAS for the weight-gradient sgemms (null: Java loops). */
  final OpenBlas blas;
  /** OpenBLAS also for the per-step shared products (N ≥ {@link #BLAS_MIN_HIDDEN}). */
  final boolean stepBlas;
  // packed parameters (rewritten by every begin(), allocated once)
  final float[] wcatT, bcat, alpha, alphaT, heads, wback, bpi;
  final float[] wM;
  float bM, bv;
  final MemorySegment wcatSeg, wbackSeg;
  final Arena arena = Arena.ofAuto();
  private Workspace ws;
  private long generation;

  /**
   * @param allowBlas false forces the Java loops everywhere (tests cover both paths)
   */
  public SimdPlasticNetwork(int inputs, int hidden, int actions, PlasticityRule rule, boolean allowBlas) {
    PlasticNetwork.validate(inputs, hidden, actions, rule);
    this.in = inputs;
    this.n = hidden;
    this.na = actions;
    this.rule = rule;
    this.layout = PlasticNetwork.layout(inputs, hidden, actions);
    oW = layout.tensor("W").offset();
    oU = layout.tensor("U").offset();
    ob = layout.tensor("b").offset();
    oWz = layout.tensor("Wz").offset();
    oUz = layout.tensor("Uz").offset();
    obz = layout.tensor("bz").offset();
    oA = layout.tensor("alpha").offset();
    owM = layout.tensor("wM").offset();
    obM = layout.tensor("bM").offset();
    oPi = layout.tensor("Wpi").offset();
    obpi = layout.tensor("bpi").offset();
    owv = layout.tensor("wv").offset();
    obv = layout.tensor("bv").offset();
    this.np = (n + L - 1) / L * L;
    this.kcat = in + np;
    this.kb = 2 * np + na + 1;
    this.hw = na + 2;
    int plain = n * 2 * np;
    int shift = Math.floorMod(512 - plain, 1024); // in floats: 512 floats = 2 KiB
    this.slotStride = plain + shift;
    this.blas = allowBlas ? OpenBlas.get().orElse(null) : null;
    this.stepBlas = blas != null && n >= BLAS_MIN_HIDDEN;
    wcatT = new float[kcat * 2 * np];
    bcat = new float[2 * np];
    alpha = new float[n * np];
    alphaT = new float[n * np];
    heads = new float[hw * np];
    wback = new float[kb * np];
    bpi = new float[na];
    wM = new float[np];
    wcatSeg = stepBlas ? arena.allocate((long) 2 * np * kcat * Float.BYTES, 64) : null;
    wbackSeg = stepBlas ? arena.allocate((long) kb * np * Float.BYTES, 64) : null;
  }

  @Override
  public int inputs() {
    return in;
  }

  @Override
  public int hidden() {
    return n;
  }

  @Override
  public int actions() {
    return na;
  }

  @Override
  public PlasticityRule rule() {
    return rule;
  }

  @Override
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  /** True when the per-step shared products use OpenBLAS. */
  public boolean usesStepBlas() {
    return stepBlas;
  }

  @Override
  public Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool) {
    PlasticNetworkArguments.begin(this, parameters, batch, maxSteps, pool);
    if ((long) (maxSteps / CHECKPOINT + 2) * slotStride > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxSteps = " + maxSteps + "; allowed: at most "
          + ((Integer.MAX_VALUE - 16) / (long) slotStride - 2) * CHECKPOINT + " at hidden = " + n
          + " (one agent's recorded E and dU must fit one Java array)");
    }
    pack(parameters);
    if (ws == null || ws.batch != batch || ws.maxSteps != maxSteps) {
      ws = null; // let the old buffers go before allocating new ones
      ws = new Workspace(batch, maxSteps);
    }
    ws.reset();
    generation++;
    return new SimdRollout(ws, pool, generation);
  }

  /** Packs the flat parameters into padded, kernel-friendly arrays. */
  private void pack(float[] p) {
    int gzw = 2 * np;
    Arrays.fill(wcatT, 0f);
    Arrays.fill(bcat, 0f);
    Arrays.fill(wback, 0f);
    Arrays.fill(heads, 0f);
    Arrays.fill(wM, 0f);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < in; k++) {
        wcatT[k * gzw + i] = p[oW + i * in + k];
        wcatT[k * gzw + np + i] = p[oWz + i * in + k];
      }
      for (int j = 0; j < n; j++) {
        wcatT[(in + j) * gzw + i] = p[oU + i * n + j];
        wcatT[(in + j) * gzw + np + i] = p[oUz + i * n + j];
        alpha[i * np + j] = p[oA + i * n + j];
        alphaT[j * np + i] = p[oA + i * n + j];
        wback[i * np + j] = p[oU + i * n + j];
        wback[(np + i) * np + j] = p[oUz + i * n + j];
      }
      bcat[i] = p[ob + i];
      bcat[np + i] = p[obz + i];
      heads[i] = p[owM + i];
      heads[np + i] = p[owv + i];
      wM[i] = p[owM + i];
      for (int k = 0; k < na; k++) {
        heads[(2 + k) * np + i] = p[oPi + k * n + i];
        wback[(2 * np + k) * np + i] = p[oPi + k * n + i];
      }
      wback[(2 * np + na) * np + i] = p[owv + i];
    }
    for (int k = 0; k < na; k++) {
      bpi[k] = p[obpi + k];
    }
    bM = p[obM];
    bv = p[obv];
    if (stepBlas) {
      // row-major [[W U]; [Wz Uz]] (2np × kcat) for sgemm(xh, wcatᵀ)
      for (int r = 0; r < gzw; r++) {
        for (int k = 0; k < kcat; k++) {
          wcatSeg.setAtIndex(ValueLayout.JAVA_FLOAT, (long) r * kcat + k, wcatT[k * gzw + r]);
        }
      }
      MemorySegment.copy(wback, 0, wbackSeg, ValueLayout.JAVA_FLOAT, 0, wback.length);
    }
  }

  /** Buffers for rollouts of one (batch, maxSteps), reused across rollouts. Rows r = t·AGENT_BLOCK + slot. */
  final class Workspace {
    final int batch, maxSteps, blocks, rows;
    /**
     * Per agent, slots of N rows [E_i | dU_i]: checkpoints 0 .. maxSteps/K (checkpoint c = the state
     * entering step c·K; checkpoint 0 is the zero initial state and is never written), then the working
     * copy the forward pass updates in place.
     */
    final float[][] plastic;
    final int workSlot;
    /**
     * Per block, K slots the backward pass recomputes one agent's segment into. One buffer per block, not
     * per agent: a block's agents run one after the other, so the buffer stays in L2 from one segment to
     * the next (a per-agent buffer was cold each time and made the recomputation memory-bound).
     */
    final float[][] segment;
    // per block, rows r = t·AGENT_BLOCK + (agent − first agent of the block)
    final float[][] xh, h, v, z, gv, e, m, dgz, head;
    // per block scratch
    final float[][] gz, pre, red, headOut, dhIn, dhOut, dAlpha;
    /** Per block, the column accumulators of one backward agent-step: S e, S h, (α ⊙ dU)ᵀ ∂g (np each). */
    final float[][] cols;
    // per agent running adjoints of the backward pass
    final float[][] pAdj, sAdj, vecAdj;
    // per block gradient partials: [xᵀ hᵀ]·[∂g ∂zin] (kcat × 2np), bias sums (2np), heads (hw × np), head biases (hw)
    final float[][] gWT, gBias, gHeads, gHeadBias;
    final MemorySegment[] xhStage, gzStage, dhInStage, dhOutStage;
    final MemorySegment[] histA, histB, outA, outB;
    final float[] zeros;
    final ForwardTask forwardTask = new ForwardTask();
    final BackwardTask backwardTask = new BackwardTask();
    int steps;

    Workspace(int batch, int maxSteps) {
      this.batch = batch;
      this.maxSteps = maxSteps;
      this.blocks = (batch + AGENT_BLOCK - 1) / AGENT_BLOCK;
      this.rows = maxSteps * AGENT_BLOCK;
      workSlot = maxSteps / CHECKPOINT + 1;
      plastic = new float[batch][(workSlot + 1) * slotStride];
      segment = new float[blocks][CHECKPOINT * slotStride];
      xh = new float[blocks][rows * kcat];
      h = new float[blocks][rows * np];
      v = new float[blocks][rows * np];
      z = new float[blocks][rows * np];
      gv = new float[blocks][rows * np];
      e = new float[blocks][rows * np];
      m = new float[blocks][rows];
      dgz = new float[blocks][rows * 2 * np];
      head = new float[blocks][rows * hw];
      gz = new float[blocks][AGENT_BLOCK * 2 * np];
      pre = new float[blocks][AGENT_BLOCK * np];
      red = new float[blocks][(3 * n + 1) * (L + 1) + hw * L];
      headOut = new float[blocks][hw];
      dhIn = new float[blocks][AGENT_BLOCK * kb];
      dhOut = new float[blocks][AGENT_BLOCK * np];
      dAlpha = new float[blocks][n * np];
      cols = new float[blocks][3 * np];
      pAdj = new float[batch][n * np];
      sAdj = new float[batch][n * np];
      vecAdj = new float[batch][4 * np];
      gWT = new float[blocks][kcat * 2 * np];
      gBias = new float[blocks][2 * np];
      gHeads = new float[blocks][hw * np];
      gHeadBias = new float[blocks][hw];
      zeros = new float[np];
      xhStage = new MemorySegment[blocks];
      gzStage = new MemorySegment[blocks];
      dhInStage = new MemorySegment[blocks];
      dhOutStage = new MemorySegment[blocks];
      histA = new MemorySegment[blocks];
      histB = new MemorySegment[blocks];
      outA = new MemorySegment[blocks];
      outB = new MemorySegment[blocks];
      for (int b = 0; b < blocks; b++) {
        if (stepBlas) {
          xhStage[b] = arena.allocate((long) AGENT_BLOCK * kcat * Float.BYTES, 64);
          gzStage[b] = arena.allocate((long) AGENT_BLOCK * 2 * np * Float.BYTES, 64);
          dhInStage[b] = arena.allocate((long) AGENT_BLOCK * kb * Float.BYTES, 64);
          dhOutStage[b] = arena.allocate((long) AGENT_BLOCK * np * Float.BYTES, 64);
        }
        if (blas != null) {
          // staging for the weight-gradient sgemms (long calls: native segments, not critical heap ones)
          histA[b] = arena.allocate((long) rows * Math.max(kcat, hw) * Float.BYTES, 64);
          histB[b] = arena.allocate((long) rows * 2 * np * Float.BYTES, 64);
          outA[b] = arena.allocate((long) kcat * 2 * np * Float.BYTES, 64);
          outB[b] = arena.allocate((long) hw * np * Float.BYTES, 64);
        }
      }
    }

    /** Clears what a new rollout reads before writing: the plastic input of step 0. */
    void reset() {
      steps = 0;
      for (float[] p : pre) {
        Arrays.fill(p, 0f);
      }
    }
  }

  /** One rollout: a view on the workspace, refusing calls once a later begin() reused it. */
  final class SimdRollout implements Rollout {
    final Workspace w;
    final Parallel pool;
    final long gen;

    SimdRollout(Workspace w, Parallel pool, long gen) {
      this.w = w;
      this.pool = pool;
      this.gen = gen;
    }

    private void live() {
      if (gen != generation) {
        throw new IllegalStateException("this rollout was superseded by a later begin() on the same network "
            + "(a network reuses its buffers: one rollout at a time)");
      }
    }

    @Override
    public int batch() {
      return w.batch;
    }

    @Override
    public int steps() {
      return w.steps;
    }

    @Override
    public void step(float[] x, float[] logits, float[] values) {
      live();
      PlasticNetworkArguments.step(w.steps, w.maxSteps, w.batch, in, na, x, logits, values);
      ForwardTask task = w.forwardTask;
      task.w = w;
      task.x = x;
      task.logits = logits;
      task.values = values;
      task.t = w.steps;
      try {
        pool.forEachBlock(w.blocks, task);
      } finally {
        task.x = null;
        task.logits = null;
        task.values = null;
      }
      w.steps++;
    }

    @Override
    public float[] hidden(int t) {
      live();
      PlasticNetworkArguments.hidden(t, w.steps);
      float[] out = new float[w.batch * n];
      for (int a = 0; a < w.batch; a++) {
        int blk = a / AGENT_BLOCK;
        System.arraycopy(w.h[blk], (t * AGENT_BLOCK + a - blk * AGENT_BLOCK) * np, out, a * n, n);
      }
      return out;
    }

    @Override
    public void backward(float[] dLogits, float[] dValues, float[] gradient) {
      live();
      PlasticNetworkArguments.backward(w.steps, w.batch, na, layout.size(), dLogits, dValues, gradient);
      BackwardTask task = w.backwardTask;
      task.w = w;
      task.dLogits = dLogits;
      task.dValues = dValues;
      try {
        pool.forEachBlock(w.blocks, task);
      } finally {
        task.dLogits = null;
        task.dValues = null;
      }
      reduce(w, gradient);
    }
  }

  final class ForwardTask implements Parallel.BlockTask {
    Workspace w;
    float[] x, logits, values;
    int t;

    @Override
    public void run(int worker, int block) {
      forwardBlock(w, block, t, x, logits, values);
    }
  }

  final class BackwardTask implements Parallel.BlockTask {
    Workspace w;
    float[] dLogits, dValues;

    @Override
    public void run(int worker, int block) {
      backwardBlock(w, block, dLogits, dValues);
      weightGradients(w, block);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Forward. Each loop nest is its own small method so C2 keeps every vector in registers.

  void forwardBlock(Workspace w, int blk, int t, float[] x, float[] logits, float[] values) {
    int a0 = blk * AGENT_BLOCK, a1 = Math.min(w.batch, a0 + AGENT_BLOCK), mb = a1 - a0;
    int gzw = 2 * np;
    float[] xh = w.xh[blk];
    int r0 = t * AGENT_BLOCK;
    for (int a = a0; a < a1; a++) {
      int r = r0 + a - a0;
      System.arraycopy(x, a * in, xh, r * kcat, in);
      if (t > 0) {
        System.arraycopy(w.h[blk], (r - AGENT_BLOCK) * np, xh, r * kcat + in, np);
      } else {
        Arrays.fill(xh, r * kcat + in, (r + 1) * kcat, 0f);
      }
    }
    float[] gz = w.gz[blk];
    if (stepBlas) {
      MemorySegment.copy(xh, r0 * kcat, w.xhStage[blk], ValueLayout.JAVA_FLOAT, 0, mb * kcat);
      blas.sgemm(false, true, mb, gzw, kcat, 1f, w.xhStage[blk], kcat, wcatSeg, kcat, 0f, w.gzStage[blk], gzw);
      MemorySegment.copy(w.gzStage[blk], ValueLayout.JAVA_FLOAT, 0, gz, 0, mb * gzw);
    } else {
      for (int a = a0; a < a1; a++) {
        SimdPlasticRnn.sharedProducts(xh, (r0 + a - a0) * kcat, kcat, wcatT, gz, (a - a0) * gzw, gzw);
      }
    }
    float te = rule.traceRate(), tE = rule.eligibilityRate(), tU = rule.plasticRate(), c = rule.clip();
    float[] red = w.red[blk];
    float[] headOut = w.headOut[blk];
    for (int a = a0; a < a1; a++) {
      int slot = a - a0, r = r0 + slot, off = r * np;
      float[] vPrev = t > 0 ? w.v[blk] : w.zeros;
      float[] ePrev = t > 0 ? w.e[blk] : w.zeros;
      int prevOff = t > 0 ? off - AGENT_BLOCK * np : 0;
      gates(gz, slot * gzw, bcat, w.pre[blk], slot * np, vPrev, prevOff, w.v[blk], w.z[blk], w.gv[blk], w.h[blk],
          off, np);
      trace(w.h[blk], ePrev, prevOff, w.e[blk], off, np, te);
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(w.v[blk][off + i])) {
          throw new NumericalBlowUpException("v", a, t, w.v[blk][off + i]);
        }
      }
      SimdPlasticRnn.heads(heads, hw, w.h[blk], off, np, red, headOut, 0);
      float mod = VectorMath.tanhScalar(headOut[0] + bM);
      w.m[blk][r] = mod;
      for (int k = 0; k < na; k++) {
        float l = headOut[2 + k] + bpi[k];
        if (!Float.isFinite(l)) {
          throw new NumericalBlowUpException("logit", a, t, l);
        }
        logits[a * na + k] = l;
      }
      float val = headOut[1] + bv;
      if (!Float.isFinite(val)) {
        throw new NumericalBlowUpException("value", a, t, val);
      }
      values[a] = val;
      int src = (t % CHECKPOINT == 0 ? t / CHECKPOINT : w.workSlot) * slotStride;
      int dst = ((t + 1) % CHECKPOINT == 0 ? (t + 1) / CHECKPOINT : w.workSlot) * slotStride;
      if (np == 3 * L) {
        forwardRows3(w.plastic[a], src, dst, alphaT, w.h[blk], w.e[blk], off, n, np, 1f - tE, tE,
            1f - tU, tU * mod, c, w.pre[blk], slot * np);
      } else {
        forwardRows(w.plastic[a], src, dst, alphaT, w.h[blk], w.e[blk], off, n, np, 1f - tE, tE,
            1f - tU, tU * mod, c, w.pre[blk], slot * np);
      }
    }
  }

  /** g = gz_g + b + pre, z = σ(gz_z + bz), v = v' + z (g − v'), h = [v]₊; records v, z, g − v', h. */
  static void gates(float[] gz, int gzOff, float[] bcat, float[] pre, int preOff, float[] vPrev, int prevOff,
      float[] v, float[] z, float[] gv, float[] h, int off, int np) {
    FloatVector zero = FloatVector.zero(F);
    for (int i = 0; i < np; i += L) {
      FloatVector g = FloatVector.fromArray(F, gz, gzOff + i).add(FloatVector.fromArray(F, bcat, i))
          .add(FloatVector.fromArray(F, pre, preOff + i));
      FloatVector zz = VectorMath.sigmoid(
          FloatVector.fromArray(F, gz, gzOff + np + i).add(FloatVector.fromArray(F, bcat, np + i)));
      FloatVector vOld = FloatVector.fromArray(F, vPrev, prevOff + i);
      FloatVector d = g.sub(vOld);
      FloatVector vNew = d.fma(zz, vOld);
      vNew.intoArray(v, off + i);
      zz.intoArray(z, off + i);
      d.intoArray(gv, off + i);
      // [v]₊ by compare + blend: a NaN in v stays in v, where the caller's check sees it
      vNew.blend(zero, vNew.compare(VectorOperators.LT, 0f)).intoArray(h, off + i);
    }
  }

  /** e = e' + τe (h − e'). */
  static void trace(float[] h, float[] ePrev, int prevOff, float[] e, int off, int np, float rate) {
    for (int i = 0; i < np; i += L) {
      FloatVector ev = FloatVector.fromArray(F, ePrev, prevOff + i);
      FloatVector.fromArray(F, h, off + i).sub(ev).mul(rate).add(ev).intoArray(e, off + i);
    }
  }

  /**
   * Row i: E_i = (1−τE) E'_i + τE (h_i e − e_i h), dU_i = clip((1−τU) dU'_i + τU M E_i, ±c), from slot
   * {@code prev} to slot {@code cur}; pre = α ⊙ dU · h for the next step, accumulated by columns:
   * pre_j = Σ_i α_ji dU_ji h_i = Σ_i αᵀ_ij (−dU_ij) h_i, exact because dU is exactly antisymmetric. Row
   * products would need one horizontal sum per row, which at N = 48 cost as much as the row pass itself.
   */
  static void forwardRows(float[] st, int prev, int cur, float[] alphaT, float[] h, float[] e, int off, int n,
      int np, float dE, float tE, float decay, float mU, float c, float[] pre, int preOff) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    Arrays.fill(pre, preOff, preOff + np, 0f);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector negHi = FloatVector.broadcast(F, -h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int rp = prev + 2 * i * np, rc = cur + 2 * i * np, arow = i * np;
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        // two rounded products: entry (j, i) is exactly the negation of (i, j), E and dU stay antisymmetric
        FloatVector tt = FloatVector.fromArray(F, e, off + j).mul(hiV).sub(hj.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, st, rp + j).mul(dE));
        eg.intoArray(st, rc + j);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, rp + np + j).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + np + j);
        d.mul(FloatVector.fromArray(F, alphaT, arow + j)).fma(negHi, FloatVector.fromArray(F, pre, preOff + j))
            .intoArray(pre, preOff + j);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Backward.

  /**
   * The backward pass of one block, agent after agent (each agent's whole episode, last step first), so
   * that one agent's working set stays in L2: its adjoints P and S, α, αᵀ, the block's α-gradient and
   * the K recomputed states of the current segment (N = 128: 1.3 MB).
   */
  void backwardBlock(Workspace w, int blk, float[] dLogits, float[] dValues) {
    int a0 = blk * AGENT_BLOCK, a1 = Math.min(w.batch, a0 + AGENT_BLOCK);
    int steps = w.steps, batch = w.batch;
    float te = rule.traceRate(), tE = rule.eligibilityRate(), tU = rule.plasticRate(), c = rule.clip();
    Arrays.fill(w.dAlpha[blk], 0f);
    float[] dhIn = w.dhIn[blk], dhOut = w.dhOut[blk], red = w.red[blk];
    float[] hb = w.h[blk], eb = w.e[blk], vb = w.v[blk], zb = w.z[blk], gvb = w.gv[blk], head = w.head[blk];
    float[] dgz = w.dgz[blk];
    int gzw = 2 * np;
    float[] cols = w.cols[blk];
    for (int a = a0; a < a1; a++) {
      int slot = a - a0;
      float[] adj = w.vecAdj[a]; // [∂g_{t+1} | ∂zin_{t+1} | ∂v_{t+1} | 𝓮_{t+1}]
      Arrays.fill(w.pAdj[a], 0f);
      Arrays.fill(w.sAdj[a], 0f);
      Arrays.fill(adj, 0f);
      for (int t = steps - 1; t >= 0; t--) {
        int first = t / CHECKPOINT * CHECKPOINT;
        if (t == steps - 1 || t % CHECKPOINT == CHECKPOINT - 1) {
          recomputeSegment(w, blk, a, first, t); // entering segment [first, t]
        }
        int r = t * AGENT_BLOCK + slot, off = r * np, q = t * batch + a;
        // shared products: ∂h_t ← Uᵀ ∂g_{t+1} + Uzᵀ ∂zin_{t+1} + Wπᵀ ∂logits_t + wv ∂value_t
        System.arraycopy(adj, 0, dhIn, 0, 2 * np);
        for (int k = 0; k < na; k++) {
          dhIn[2 * np + k] = dLogits[q * na + k];
          head[r * hw + k] = dLogits[q * na + k];
        }
        dhIn[2 * np + na] = dValues[q];
        head[r * hw + na] = dValues[q];
        if (stepBlas) {
          MemorySegment.copy(dhIn, 0, w.dhInStage[blk], ValueLayout.JAVA_FLOAT, 0, kb);
          blas.sgemm(false, false, 1, np, kb, 1f, w.dhInStage[blk], kb, wbackSeg, np, 0f, w.dhOutStage[blk], np);
          MemorySegment.copy(w.dhOutStage[blk], ValueLayout.JAVA_FLOAT, 0, dhOut, 0, np);
        } else {
          SimdPlasticRnn.sharedProducts(dhIn, 0, kb, wback, dhOut, 0, np);
        }
        float mod = w.m[blk][r];
        if (np == 3 * L) {
          backwardRows3(w.segment[blk], (t - first) * slotStride, alpha, alphaT, w.pAdj[a], w.sAdj[a],
              w.dAlpha[blk], hb, eb, off, adj, n, np, 1f - tU, 1f - tE, tU * mod, c, red, cols);
        } else {
          backwardRows(w.segment[blk], (t - first) * slotStride, alpha, alphaT, w.pAdj[a], w.sAdj[a],
              w.dAlpha[blk], hb, eb, off, adj, n, np, 1f - tU, 1f - tE, tU * mod, c, red, cols);
        }
        SimdPlasticRnn.rowSums(red, 1, red, L);
        float dM = 0.5f * tU * red[L];
        float dm = dM * (1f - mod * mod);
        head[r * hw + na + 1] = dm;
        boolean last = t == steps - 1;
        elementwiseBackward(cols, dhOut, 0, wM, dm, adj, hb, vb, zb, gvb, off,
            last ? w.zeros : zb, last ? 0 : off + AGENT_BLOCK * np, dgz, r * gzw, np, n, te, tE);
      }
    }
  }

  /** Recomputes E and dU after steps first..last of agent a into its segment slots 0..last−first. */
  void recomputeSegment(Workspace w, int blk, int a, int first, int last) {
    float tE = rule.eligibilityRate(), tU = rule.plasticRate(), c = rule.clip();
    float[] seg = w.segment[blk];
    int slot = a - blk * AGENT_BLOCK;
    for (int t = first; t <= last; t++) {
      float[] from = t == first ? w.plastic[a] : seg;
      int src = (t == first ? first / CHECKPOINT : t - 1 - first) * slotStride;
      int dst = (t - first) * slotStride;
      int r = t * AGENT_BLOCK + slot;
      if (np == 3 * L) {
        recomputeRows3(from, src, seg, dst, w.h[blk], w.e[blk], r * np, n, np, 1f - tE, tE, 1f - tU,
            tU * w.m[blk][r], c);
      } else {
        recomputeRows(from, src, seg, dst, w.h[blk], w.e[blk], r * np, n, np, 1f - tE, tE, 1f - tU,
            tU * w.m[blk][r], c);
      }
    }
  }

  /**
   * {@link #forwardRows} without the plastic input: the same float operations in the same order, so the
   * recomputed E and dU are bit-identical to the forward pass's.
   */
  static void recomputeRows(float[] from, int prev, float[] st, int cur, float[] h, float[] e, int off, int n, int np,
      float dE, float tE, float decay, float mU, float c) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int rp = prev + 2 * i * np, rc = cur + 2 * i * np;
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector tt = FloatVector.fromArray(F, e, off + j).mul(hiV).sub(hj.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, from, rp + j).mul(dE));
        eg.intoArray(st, rc + j);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, from, rp + np + j).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + np + j);
      }
    }
  }

  /**
   * {@link #backwardRows} for np = 3 vectors (N = 33..48 at 512 bits), unrolled: h and ∂g stay in
   * registers for the whole pass and the nine column accumulators too (the generic loop of three
   * iterations paid its loop and range-check overhead on every row). The same float operations in the
   * same order, so the same bits as the generic loop.
   */
  static void backwardRows3(float[] st, int base, float[] alpha, float[] alphaT, float[] pAdj, float[] sAdj,
      float[] dAlpha, float[] h, float[] e, int off, float[] adj, int n, int np, float decayU, float decayE,
      float tUM, float c, float[] red, float[] cols) {
    FloatVector cV = FloatVector.broadcast(F, c);
    FloatVector tUMv = FloatVector.broadcast(F, tUM);
    FloatVector zero = FloatVector.zero(F);
    FloatVector dMacc = zero;
    FloatVector h0 = FloatVector.fromArray(F, h, off), h1 = FloatVector.fromArray(F, h, off + L),
        h2 = FloatVector.fromArray(F, h, off + 2 * L);
    FloatVector dg0 = FloatVector.fromArray(F, adj, 0), dg1 = FloatVector.fromArray(F, adj, L),
        dg2 = FloatVector.fromArray(F, adj, 2 * L);
    FloatVector se0 = zero, se1 = zero, se2 = zero, sh0 = zero, sh1 = zero, sh2 = zero;
    FloatVector pl0 = zero, pl1 = zero, pl2 = zero;
    for (int i = 0; i < n; i++) {
      FloatVector dgi = FloatVector.broadcast(F, adj[i]);
      FloatVector negDgi = FloatVector.broadcast(F, -adj[i]);
      FloatVector negHi = FloatVector.broadcast(F, -h[off + i]);
      FloatVector negEi = FloatVector.broadcast(F, -e[off + i]);
      int row = base + 2 * i * NP3, ar = i * NP3;
      {
        FloatVector du = FloatVector.fromArray(F, st, row + NP3);
        FloatVector aij = FloatVector.fromArray(F, alpha, ar);
        FloatVector p = aij.mul(h0).fma(dgi, FloatVector.fromArray(F, pAdj, ar));
        p = FloatVector.fromArray(F, alphaT, ar).mul(dg0).fma(negHi, p);
        FloatVector q = p.blend(zero, du.abs().compare(VectorOperators.GE, cV));
        dMacc = q.fma(FloatVector.fromArray(F, st, row), dMacc);
        FloatVector s = q.fma(tUMv, FloatVector.fromArray(F, sAdj, ar).mul(decayE));
        s.intoArray(sAdj, ar);
        se0 = s.fma(negEi, se0);
        sh0 = s.fma(negHi, sh0);
        pl0 = aij.mul(du).fma(negDgi, pl0);
        du.mul(h0).fma(dgi, FloatVector.fromArray(F, dAlpha, ar)).intoArray(dAlpha, ar);
        q.mul(decayU).intoArray(pAdj, ar);
      }
      {
        FloatVector du = FloatVector.fromArray(F, st, row + NP3 + L);
        FloatVector aij = FloatVector.fromArray(F, alpha, ar + L);
        FloatVector p = aij.mul(h1).fma(dgi, FloatVector.fromArray(F, pAdj, ar + L));
        p = FloatVector.fromArray(F, alphaT, ar + L).mul(dg1).fma(negHi, p);
        FloatVector q = p.blend(zero, du.abs().compare(VectorOperators.GE, cV));
        dMacc = q.fma(FloatVector.fromArray(F, st, row + L), dMacc);
        FloatVector s = q.fma(tUMv, FloatVector.fromArray(F, sAdj, ar + L).mul(decayE));
        s.intoArray(sAdj, ar + L);
        se1 = s.fma(negEi, se1);
        sh1 = s.fma(negHi, sh1);
        pl1 = aij.mul(du).fma(negDgi, pl1);
        du.mul(h1).fma(dgi, FloatVector.fromArray(F, dAlpha, ar + L)).intoArray(dAlpha, ar + L);
        q.mul(decayU).intoArray(pAdj, ar + L);
      }
      {
        FloatVector du = FloatVector.fromArray(F, st, row + NP3 + 2 * L);
        FloatVector aij = FloatVector.fromArray(F, alpha, ar + 2 * L);
        FloatVector p = aij.mul(h2).fma(dgi, FloatVector.fromArray(F, pAdj, ar + 2 * L));
        p = FloatVector.fromArray(F, alphaT, ar + 2 * L).mul(dg2).fma(negHi, p);
        FloatVector q = p.blend(zero, du.abs().compare(VectorOperators.GE, cV));
        dMacc = q.fma(FloatVector.fromArray(F, st, row + 2 * L), dMacc);
        FloatVector s = q.fma(tUMv, FloatVector.fromArray(F, sAdj, ar + 2 * L).mul(decayE));
        s.intoArray(sAdj, ar + 2 * L);
        se2 = s.fma(negEi, se2);
        sh2 = s.fma(negHi, sh2);
        pl2 = aij.mul(du).fma(negDgi, pl2);
        du.mul(h2).fma(dgi, FloatVector.fromArray(F, dAlpha, ar + 2 * L)).intoArray(dAlpha, ar + 2 * L);
        q.mul(decayU).intoArray(pAdj, ar + 2 * L);
      }
    }
    se0.intoArray(cols, 0);
    se1.intoArray(cols, L);
    se2.intoArray(cols, 2 * L);
    sh0.intoArray(cols, NP3);
    sh1.intoArray(cols, NP3 + L);
    sh2.intoArray(cols, NP3 + 2 * L);
    pl0.intoArray(cols, 2 * NP3);
    pl1.intoArray(cols, 2 * NP3 + L);
    pl2.intoArray(cols, 2 * NP3 + 2 * L);
    dMacc.intoArray(red, 0);
  }

  /** {@link #forwardRows} for NP3 = 3 vectors, unrolled with h, e and the plastic input in registers (same bits). */
  static void forwardRows3(float[] st, int prev, int cur, float[] alphaT, float[] h, float[] e, int off, int n,
      int np, float dE, float tE, float decay, float mU, float c, float[] pre, int preOff) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    FloatVector h0 = FloatVector.fromArray(F, h, off), h1 = FloatVector.fromArray(F, h, off + L),
        h2 = FloatVector.fromArray(F, h, off + 2 * L);
    FloatVector e0 = FloatVector.fromArray(F, e, off), e1 = FloatVector.fromArray(F, e, off + L),
        e2 = FloatVector.fromArray(F, e, off + 2 * L);
    FloatVector pre0 = FloatVector.zero(F), pre1 = pre0, pre2 = pre0;
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector negHi = FloatVector.broadcast(F, -h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int rp = prev + 2 * i * NP3, rc = cur + 2 * i * NP3, arow = i * NP3;
      {
        FloatVector tt = e0.mul(hiV).sub(h0.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, st, rp).mul(dE));
        eg.intoArray(st, rc);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, rp + NP3).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3);
        pre0 = d.mul(FloatVector.fromArray(F, alphaT, arow)).fma(negHi, pre0);
      }
      {
        FloatVector tt = e1.mul(hiV).sub(h1.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, st, rp + L).mul(dE));
        eg.intoArray(st, rc + L);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, rp + NP3 + L).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3 + L);
        pre1 = d.mul(FloatVector.fromArray(F, alphaT, arow + L)).fma(negHi, pre1);
      }
      {
        FloatVector tt = e2.mul(hiV).sub(h2.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, st, rp + 2 * L).mul(dE));
        eg.intoArray(st, rc + 2 * L);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, st, rp + NP3 + 2 * L).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3 + 2 * L);
        pre2 = d.mul(FloatVector.fromArray(F, alphaT, arow + 2 * L)).fma(negHi, pre2);
      }
    }
    pre0.intoArray(pre, preOff);
    pre1.intoArray(pre, preOff + L);
    pre2.intoArray(pre, preOff + 2 * L);
  }

  /** {@link #recomputeRows} for NP3 = 3 vectors, unrolled with h and e in registers (same bits). */
  static void recomputeRows3(float[] from, int prev, float[] st, int cur, float[] h, float[] e, int off, int n,
      int np, float dE, float tE, float decay, float mU, float c) {
    FloatVector cHi = FloatVector.broadcast(F, c);
    FloatVector cLo = FloatVector.broadcast(F, -c);
    FloatVector tEv = FloatVector.broadcast(F, tE);
    FloatVector mUv = FloatVector.broadcast(F, mU);
    FloatVector h0 = FloatVector.fromArray(F, h, off), h1 = FloatVector.fromArray(F, h, off + L),
        h2 = FloatVector.fromArray(F, h, off + 2 * L);
    FloatVector e0 = FloatVector.fromArray(F, e, off), e1 = FloatVector.fromArray(F, e, off + L),
        e2 = FloatVector.fromArray(F, e, off + 2 * L);
    for (int i = 0; i < n; i++) {
      FloatVector hiV = FloatVector.broadcast(F, h[off + i]);
      FloatVector ei = FloatVector.broadcast(F, e[off + i]);
      int rp = prev + 2 * i * NP3, rc = cur + 2 * i * NP3;
      {
        FloatVector tt = e0.mul(hiV).sub(h0.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, from, rp).mul(dE));
        eg.intoArray(st, rc);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, from, rp + NP3).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3);
      }
      {
        FloatVector tt = e1.mul(hiV).sub(h1.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, from, rp + L).mul(dE));
        eg.intoArray(st, rc + L);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, from, rp + NP3 + L).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3 + L);
      }
      {
        FloatVector tt = e2.mul(hiV).sub(h2.mul(ei));
        FloatVector eg = tt.fma(tEv, FloatVector.fromArray(F, from, rp + 2 * L).mul(dE));
        eg.intoArray(st, rc + 2 * L);
        FloatVector d = eg.fma(mUv, FloatVector.fromArray(F, from, rp + NP3 + 2 * L).mul(decay));
        d = d.blend(cHi, d.compare(VectorOperators.GT, cHi));
        d = d.blend(cLo, d.compare(VectorOperators.LT, cLo));
        d.intoArray(st, rc + NP3 + 2 * L);
      }
    }
  }

  /**
   * One agent-step of the plastic backward pass over the rows of E_t, dU_t (see the class comment).
   * cols receives S e, S h and Σ_j αᵀ_ij dU_ij ∂g_j (np floats each), red[0 .. L) the lanes of ∂M's sum.
   * The three products are accumulated by columns, with no horizontal sum per row (at N = 48 the 3N row
   * sums cost more than the row pass): (S e)_j = −Σ_i S_ij e_i and (S h)_j likewise, since S is
   * antisymmetric (exactly in exact arithmetic; in float32 its two triangles are rounded separately, so
   * this differs from the row product by rounding only), and Σ_i αᵀ_ji dU_ji ∂g_i = −Σ_i α_ij dU_ij ∂g_i
   * exactly, dU being exactly antisymmetric.
   */
  static void backwardRows(float[] st, int base, float[] alpha, float[] alphaT, float[] pAdj, float[] sAdj,
      float[] dAlpha, float[] h, float[] e, int off, float[] adj, int n, int np, float decayU, float decayE,
      float tUM, float c, float[] red, float[] cols) {
    FloatVector cV = FloatVector.broadcast(F, c);
    FloatVector tUMv = FloatVector.broadcast(F, tUM);
    FloatVector zero = FloatVector.zero(F);
    FloatVector dMacc = FloatVector.zero(F);
    Arrays.fill(cols, 0, 3 * np, 0f);
    int cSh = np, cPl = 2 * np;
    for (int i = 0; i < n; i++) {
      FloatVector dgi = FloatVector.broadcast(F, adj[i]);
      FloatVector negDgi = FloatVector.broadcast(F, -adj[i]);
      FloatVector negHi = FloatVector.broadcast(F, -h[off + i]);
      FloatVector negEi = FloatVector.broadcast(F, -e[off + i]);
      int row = base + 2 * i * np, ar = i * np;
      for (int j = 0; j < np; j += L) {
        FloatVector hj = FloatVector.fromArray(F, h, off + j);
        FloatVector dgj = FloatVector.fromArray(F, adj, j);
        FloatVector du = FloatVector.fromArray(F, st, row + np + j);
        FloatVector aij = FloatVector.fromArray(F, alpha, ar + j);
        FloatVector aTij = FloatVector.fromArray(F, alphaT, ar + j);
        // P = (1−τU) Q_{t+1} + α_ij ∂g_i h_j − α_ji ∂g_j h_i
        FloatVector p = aij.mul(hj).fma(dgi, FloatVector.fromArray(F, pAdj, ar + j));
        p = aTij.mul(dgj).fma(negHi, p);
        FloatVector q = p.blend(zero, du.abs().compare(VectorOperators.GE, cV));
        dMacc = q.fma(FloatVector.fromArray(F, st, row + j), dMacc);
        FloatVector s = q.fma(tUMv, FloatVector.fromArray(F, sAdj, ar + j).mul(decayE));
        s.intoArray(sAdj, ar + j);
        s.fma(negEi, FloatVector.fromArray(F, cols, j)).intoArray(cols, j);
        s.fma(negHi, FloatVector.fromArray(F, cols, cSh + j)).intoArray(cols, cSh + j);
        aij.mul(du).fma(negDgi, FloatVector.fromArray(F, cols, cPl + j)).intoArray(cols, cPl + j);
        du.mul(hj).fma(dgi, FloatVector.fromArray(F, dAlpha, ar + j)).intoArray(dAlpha, ar + j);
        q.mul(decayU).intoArray(pAdj, ar + j);
      }
    }
    dMacc.intoArray(red, 0);
  }

  /**
   * The O(N) part of an agent-step: 𝓮, ∂h, ∂v, ∂g, ∂zin. adj = [∂g_{t+1} | ∂zin_{t+1} | ∂v_{t+1} | 𝓮_{t+1}]
   * on entry and the same for step t on exit; [∂g_t | ∂zin_t] is also recorded for the weight gradients.
   */
  static void elementwiseBackward(float[] cols, float[] dhOut, int dhOff, float[] wM, float dm,
      float[] adj, float[] h, float[] v, float[] z, float[] gv, int off, float[] zNext, int zNextOff,
      float[] dgz, int dgzOff, int np, int n, float te, float tE) {
    // entries ≥ n are padding (0)
    for (int i = 0; i < n; i++) {
      float se = cols[i], sh = cols[np + i], pl = cols[2 * np + i];
      float ev = (1f - te) * adj[3 * np + i] - tE * sh;
      adj[3 * np + i] = ev;
      float dh = dhOut[dhOff + i] + tE * se - pl + te * ev + dm * wM[i];
      float dv = (v[off + i] > 0f ? dh : 0f) + (1f - zNext[zNextOff + i]) * adj[2 * np + i];
      float zi = z[off + i];
      float dg = zi * dv;
      float dzin = dv * gv[off + i] * zi * (1f - zi);
      adj[i] = dg;
      adj[np + i] = dzin;
      adj[2 * np + i] = dv;
      dgz[dgzOff + i] = dg;
      dgz[dgzOff + np + i] = dzin;
    }
  }

  /** The block's partial gradients of W, U, Wz, Uz, the biases and the heads from its recorded rows. */
  void weightGradients(Workspace w, int blk) {
    int rows = w.steps * AGENT_BLOCK, gzw = 2 * np;
    float[] xh = w.xh[blk], dgz = w.dgz[blk], hh = w.h[blk], head = w.head[blk];
    float[] gWT = w.gWT[blk], gH = w.gHeads[blk];
    if (blas != null) {
      MemorySegment.copy(xh, 0, w.histA[blk], ValueLayout.JAVA_FLOAT, 0, rows * kcat);
      MemorySegment.copy(dgz, 0, w.histB[blk], ValueLayout.JAVA_FLOAT, 0, rows * gzw);
      blas.sgemm(true, false, kcat, gzw, rows, 1f, w.histA[blk], kcat, w.histB[blk], gzw, 0f, w.outA[blk], gzw);
      MemorySegment.copy(w.outA[blk], ValueLayout.JAVA_FLOAT, 0, gWT, 0, kcat * gzw);
      MemorySegment.copy(head, 0, w.histA[blk], ValueLayout.JAVA_FLOAT, 0, rows * hw);
      MemorySegment.copy(hh, 0, w.histB[blk], ValueLayout.JAVA_FLOAT, 0, rows * np);
      blas.sgemm(true, false, hw, np, rows, 1f, w.histA[blk], hw, w.histB[blk], np, 0f, w.outB[blk], np);
      MemorySegment.copy(w.outB[blk], ValueLayout.JAVA_FLOAT, 0, gH, 0, hw * np);
    } else {
      Arrays.fill(gWT, 0f);
      Arrays.fill(gH, 0f);
      for (int r = 0; r < rows; r++) {
        outerAccumulate(xh, r * kcat, kcat, dgz, r * gzw, gzw, gWT);
        outerAccumulate(head, r * hw, hw, hh, r * np, np, gH);
      }
    }
    float[] gB = w.gBias[blk], gHB = w.gHeadBias[blk];
    Arrays.fill(gB, 0f);
    Arrays.fill(gHB, 0f);
    for (int r = 0; r < rows; r++) {
      addRow(dgz, r * gzw, gB, gzw);
      for (int q = 0; q < hw; q++) {
        gHB[q] += head[r * hw + q];
      }
    }
  }

  /** out (rowsA × width) += aᵀ b for one recorded row: out[k] += a[k] · b (zero entries of a skipped). */
  static void outerAccumulate(float[] a, int aOff, int count, float[] b, int bOff, int width, float[] out) {
    for (int k = 0; k < count; k++) {
      float ak = a[aOff + k];
      if (ak == 0f) {
        continue;
      }
      FloatVector s = FloatVector.broadcast(F, ak);
      int o = k * width;
      for (int j = 0; j < width; j += L) {
        FloatVector.fromArray(F, b, bOff + j).fma(s, FloatVector.fromArray(F, out, o + j)).intoArray(out, o + j);
      }
    }
  }

  static void addRow(float[] a, int aOff, float[] out, int width) {
    for (int j = 0; j < width; j += L) {
      FloatVector.fromArray(F, a, aOff + j).add(FloatVector.fromArray(F, out, j)).intoArray(out, j);
    }
  }

  /** Sums the block partials in block order and adds them to the flat gradient. */
  void reduce(Workspace w, float[] gradient) {
    int gzw = 2 * np, blocks = w.blocks;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < in; k++) {
        float sw = 0f, swz = 0f;
        for (int b = 0; b < blocks; b++) {
          sw += w.gWT[b][k * gzw + i];
          swz += w.gWT[b][k * gzw + np + i];
        }
        gradient[oW + i * in + k] += sw;
        gradient[oWz + i * in + k] += swz;
      }
      for (int j = 0; j < n; j++) {
        float su = 0f, suz = 0f, sa = 0f;
        for (int b = 0; b < blocks; b++) {
          su += w.gWT[b][(in + j) * gzw + i];
          suz += w.gWT[b][(in + j) * gzw + np + i];
          sa += w.dAlpha[b][i * np + j];
        }
        gradient[oU + i * n + j] += su;
        gradient[oUz + i * n + j] += suz;
        gradient[oA + i * n + j] += sa;
      }
      float sb = 0f, sbz = 0f, swm = 0f, swv = 0f;
      for (int b = 0; b < blocks; b++) {
        sb += w.gBias[b][i];
        sbz += w.gBias[b][np + i];
        swv += w.gHeads[b][na * np + i];
        swm += w.gHeads[b][(na + 1) * np + i];
      }
      gradient[ob + i] += sb;
      gradient[obz + i] += sbz;
      gradient[owv + i] += swv;
      gradient[owM + i] += swm;
      for (int k = 0; k < na; k++) {
        float s = 0f;
        for (int b = 0; b < blocks; b++) {
          s += w.gHeads[b][k * np + i];
        }
        gradient[oPi + k * n + i] += s;
      }
    }
    for (int k = 0; k < hw; k++) {
      float s = 0f;
      for (int b = 0; b < blocks; b++) {
        s += w.gHeadBias[b][k];
      }
      int o = k < na ? obpi + k : (k == na ? obv : obM);
      gradient[o] += s;
    }
  }
}
