package org.neurorl.kernel.simd;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.lstm.LstmKernel;
import org.neurorl.kernel.lstm.LstmParams;
import org.neurorl.kernel.lstm.LstmState;
import org.neurorl.kernel.lstm.LstmTrace;
import org.neurorl.nativeblas.OpenBlas;

/**
 * The batched LSTM step in float32: one matrix product for a whole block of agents, then per agent
 * short vectorised passes (the three gate activations in place, then c and h), then the heads.
 *
 * <p><b>Layout.</b> Each agent's row of the state holds {@code [x_t | h_{t−1}]} (I + N floats) in
 * native memory, so the four gate pre-activations of a block of agents are a single product
 * {@code Z = [X H] · Wᵀ} with {@code Wᵀ = [Wx Wh]ᵀ} ((I+N)×4N, prepared once per {@link LstmParams}
 * record): one OpenBLAS sgemm per block (native segments, since a block at N = 256 is far above the
 * critical-downcall limit). The elementwise pass writes {@code h_t} back into the row in place, ready
 * for the next step; the x slot is refilled from the caller's array at the start of each step.
 *
 * <p><b>Small products.</b> A downcall costs 30–70 ns, and OpenBLAS repacks the weights on every
 * call, so below {@link #GEMM_MIN_FLOPS} per block (B = 1 up to N ≈ 128, and always when OpenBLAS
 * is absent) the product runs in Java: for each agent, 4 vectors of Z held in registers while the loop
 * runs over the I+N inputs ({@code z += xh_k · Wᵀ[k, ·]}), so no horizontal sums at all.
 *
 * <p><b>Reproducibility.</b> Agents are cut into blocks whose size depends on the batch size only
 * ({@link #agentsPerBlock}), never on the thread count; each block is computed the same way by
 * whichever worker takes it, and the heads sum lanes in a fixed order (never {@code reduceLanes(ADD)}, whose order differs between the interpreter
 * and compiled code), so results are bit-identical for any {@link Parallel}. The same agent can differ
 * in the last bits between batch sizes, since block size decides between OpenBLAS and Java products.
 */
public final class SimdLstm implements LstmKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  /** Fewest agents per block: enough rows that sgemm amortises packing the weights. */
  static final int MIN_AGENTS_PER_BLOCK = 32;
  /** Most agents per block: one block's gate pre-activations stay within L2 (128·4N floats: 512 KB at N = 256). */
  static final int MAX_AGENTS_PER_BLOCK = 128;

  /**
   * Agents per block for a batch: OpenBLAS packs the whole weight matrix on every call, so blocks are as
   * large as possible while still giving at least 8 blocks to share among workers (B = 64: two blocks of
   * 32; B = 1024: eight of 128). A function of B alone, so results do not depend on the thread count.
   * At N = 128, B = 1024 blocks of 128 took 2.1–2.4 ms of CPU per step against 2.6–2.7 ms for blocks of 32.
   */
  static int agentsPerBlock(int batch) {
    return Math.min(batch, Math.max(MIN_AGENTS_PER_BLOCK, Math.min(MAX_AGENTS_PER_BLOCK, batch / 8)));
  }

  /**
   * Below this many flops a block's product runs in Java rather than through a downcall. Measured at
   * B = 1, I = 4 (one busy shared machine, so roughly): N = 128 (135 kflop) Java 6.2 µs vs sgemm 8.9 µs;
   * N = 256 (532 kflop) Java 40 µs vs sgemm 30 µs.
   */
  static final long GEMM_MIN_FLOPS = 1L << 18;
  /** Below this many flops per step the whole batch runs on the caller's thread (hand-off costs µs). */
  static final long PARALLEL_MIN_FLOPS = 1L << 21;

  private final OpenBlas blas;

  /** Uses OpenBLAS when it is loaded, else Java loops. */
  public SimdLstm() {
    this(true);
  }

  /** {@code useBlas = false} forces the pure-Java products (for tests of that path and measurements). */
  public SimdLstm(boolean useBlas) {
    this.blas = useBlas ? OpenBlas.get().orElse(null) : null;
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  /** True when products of large blocks go to OpenBLAS. */
  public boolean usesBlas() {
    return blas != null;
  }

  @Override
  public LstmState newState(LstmParams params, int batch) {
    return new State(params, batch);
  }

  /** Per-worker scratch: one block's gate pre-activations and a lane buffer for fixed-order sums. */
  private static final class Scratch {
    final MemorySegment z;
    final float[] lanes = new float[L];

    Scratch(Arena arena, int rows, int n) {
      z = arena.allocate((long) rows * 4 * n * Float.BYTES, 64);
    }
  }

  static final class State extends LstmState {
    final Arena arena = Arena.ofAuto();
    final int stride;
    /** Per agent {@code [x | h]}, B × (I + N) floats. */
    final MemorySegment xh;
    /** xh of each block (made once: a slice per call would allocate). */
    final MemorySegment[] xhBlocks;
    final float[] c;
    final int blocks;
    final int blockRows;
    Scratch[] scratch = new Scratch[0];
    LstmParams prepared;
    MemorySegment weightsT;
    // arguments of the step in progress, read by the block task (made once so a step allocates nothing)
    OpenBlas blas;
    LstmParams p;
    float[] x;
    float[] logits;
    float[] values;
    LstmTrace trace;
    final Parallel.BlockTask task = this::runBlock;

    State(LstmParams params, int batch) {
      super(params, batch);
      stride = params.inputs() + params.hidden();
      xh = arena.allocate((long) batch * stride * Float.BYTES, 64);
      c = new float[batch * params.hidden()];
      blockRows = agentsPerBlock(batch);
      blocks = (batch + blockRows - 1) / blockRows;
      xhBlocks = new MemorySegment[blocks];
      for (int k = 0; k < blocks; k++) {
        long first = (long) k * blockRows;
        long rows = Math.min(blockRows, batch - first);
        xhBlocks[k] = xh.asSlice(first * stride * Float.BYTES, rows * stride * Float.BYTES);
      }
    }

    @Override
    public long bytesPerAgent() {
      return (long) (stride + hidden()) * Float.BYTES;
    }

    @Override
    protected void read(double[] h, double[] cOut) {
      int n = hidden(), in = inputs();
      for (int a = 0; a < batch(); a++) {
        for (int u = 0; u < n; u++) {
          if (h != null) {
            h[a * n + u] = xh.getAtIndex(JAVA_FLOAT, (long) a * stride + in + u);
          }
          if (cOut != null) {
            cOut[a * n + u] = c[a * n + u];
          }
        }
      }
    }

    @Override
    protected void write(double[] h, double[] cIn) {
      int n = hidden(), in = inputs();
      for (int a = 0; a < batch(); a++) {
        for (int u = 0; u < n; u++) {
          xh.setAtIndex(JAVA_FLOAT, (long) a * stride + in + u, (float) h[a * n + u]);
          c[a * n + u] = (float) cIn[a * n + u];
        }
      }
    }

    @Override
    protected void zero(int agent) {
      int n = hidden();
      xh.asSlice(((long) agent * stride + inputs()) * Float.BYTES, (long) n * Float.BYTES).fill((byte) 0);
      java.util.Arrays.fill(c, agent * n, agent * n + n, 0f);
    }

    void completed() {
      advance();
    }

    void prepare(LstmParams params) {
      int in = params.inputs(), n = params.hidden(), r4 = 4 * n;
      MemorySegment w = arena.allocate((long) stride * r4 * Float.BYTES, 64);
      float[] wx = params.inputWeights(), wh = params.recurrentWeights();
      for (int r = 0; r < r4; r++) {
        for (int k = 0; k < in; k++) {
          w.setAtIndex(JAVA_FLOAT, (long) k * r4 + r, wx[r * in + k]);
        }
        for (int k = 0; k < n; k++) {
          w.setAtIndex(JAVA_FLOAT, (long) (in + k) * r4 + r, wh[r * n + k]);
        }
      }
      weightsT = w;
      prepared = params;
    }

    void ensureScratch(int workers) {
      if (scratch.length < workers) {
        Scratch[] grown = java.util.Arrays.copyOf(scratch, workers);
        for (int w = scratch.length; w < workers; w++) {
          grown[w] = new Scratch(arena, blockRows, hidden());
        }
        scratch = grown;
      }
    }

    void runBlock(int worker, int block) {
      Scratch sc = scratch[worker];
      int in = inputs(), n = hidden(), r4 = 4 * n, na = actions();
      int first = block * blockRows;
      int rows = Math.min(blockRows, batch() - first);
      for (int a = first; a < first + rows; a++) {
        MemorySegment.copy(x, a * in, xh, JAVA_FLOAT, (long) a * stride * Float.BYTES, in);
      }
      if (blas != null && 8L * rows * stride * n >= GEMM_MIN_FLOPS) {
        blas.sgemm(false, false, rows, r4, stride, 1f, xhBlocks[block], stride, weightsT, r4, 0f, sc.z, r4);
      } else {
        for (int j = 0; j < rows; j++) {
          gatesJava(xh, (long) (first + j) * stride, stride, weightsT, r4, sc.z, (long) j * r4);
        }
      }
      LstmTrace t = trace;
      for (int j = 0; j < rows; j++) {
        int a = first + j;
        long hAt = (long) a * stride + in;
        long zAt = (long) j * r4;
        float[] bias = p.gateBias();
        sigmoidInPlace(sc.z, zAt, bias, 0, 2 * n);
        tanhInPlace(sc.z, zAt, bias, 2 * n, 3 * n);
        sigmoidInPlace(sc.z, zAt, bias, 3 * n, 4 * n);
        if (t != null) {
          MemorySegment.copy(sc.z, JAVA_FLOAT, zAt * Float.BYTES, t.gates(), a * r4, r4);
        }
        float bad = cellAndHidden(sc.z, zAt, c, a * n, xh, hAt, n, t == null ? null : t.cell(),
            t == null ? null : t.hiddenState(), a * n);
        if (bad != 0f) {
          reportBlowUp(a);
        }
        float badHeads = 0f;
        float[] wp = p.policyWeights(), bp = p.policyBias();
        for (int act = 0; act < na; act++) {
          float l = dot(wp, act * n, xh, hAt, n, sc.lanes) + bp[act];
          logits[a * na + act] = l;
          badHeads += l * 0f;
        }
        float v = dot(p.valueWeights(), 0, xh, hAt, n, sc.lanes) + p.valueBias();
        values[a] = v;
        if (badHeads + v * 0f != 0f) {
          for (int act = 0; act < na; act++) {
            if (!Float.isFinite(logits[a * na + act])) {
              throw new NumericalBlowUpException("logits[" + act + "]", a, steps(), logits[a * na + act]);
            }
          }
          throw new NumericalBlowUpException("value", a, steps(), v);
        }
      }
    }

    private void reportBlowUp(int a) {
      int n = hidden();
      for (int u = 0; u < n; u++) {
        if (!Float.isFinite(c[a * n + u])) {
          throw new NumericalBlowUpException("c", a, steps(), c[a * n + u]);
        }
      }
      for (int u = 0; u < n; u++) {
        float h = xh.getAtIndex(JAVA_FLOAT, (long) a * stride + inputs() + u);
        if (!Float.isFinite(h)) {
          throw new NumericalBlowUpException("h", a, steps(), h);
        }
      }
    }
  }

  @Override
  public void step(LstmParams params, LstmState state, float[] x, float[] logits, float[] values, Parallel pool,
      LstmTrace trace) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("state = " + state + "; allowed: a state made by SimdLstm.newState");
    }
    s.checkStep(params, x, logits, values, pool, trace);
    if (s.prepared != params) {
      s.prepare(params);
    }
    long flops = 8L * s.batch() * s.stride * s.hidden();
    Parallel workers = flops < PARALLEL_MIN_FLOPS ? Parallel.serial() : pool;
    s.ensureScratch(workers.threads());
    s.blas = blas;
    s.p = params;
    s.x = x;
    s.logits = logits;
    s.values = values;
    s.trace = trace;
    try {
      workers.forEachBlock(s.blocks, s.task);
    } finally {
      s.x = null;
      s.logits = null;
      s.values = null;
      s.trace = null;
    }
    s.completed();
  }

  /**
   * One agent's {@code z[0 .. r4) = Σ_k xh[k] · Wᵀ[k, ·]} (bias added later), four vectors of z in
   * registers at a time; every element is the same fused chain over k in vector lanes and scalar tail.
   * The same product as {@link SimdLstmBackward#productRow} with a unit stride, kept separate on purpose:
   * delegating to it measured 10-20 % fewer agent-steps/s at batch 1 (LstmBenchmark, loaded machine).
   */
  static void gatesJava(MemorySegment xh, long xhAt, int k4, MemorySegment wT, int r4, MemorySegment z,
      long zAt) {
    int r = 0;
    for (; r + 4 * L <= r4; r += 4 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int k = 0; k < k4; k++) {
        FloatVector xk = FloatVector.broadcast(F, xh.getAtIndex(JAVA_FLOAT, xhAt + k));
        long w = ((long) k * r4 + r) * Float.BYTES;
        a0 = FloatVector.fromMemorySegment(F, wT, w, ORDER).fma(xk, a0);
        a1 = FloatVector.fromMemorySegment(F, wT, w + (long) L * Float.BYTES, ORDER).fma(xk, a1);
        a2 = FloatVector.fromMemorySegment(F, wT, w + 2L * L * Float.BYTES, ORDER).fma(xk, a2);
        a3 = FloatVector.fromMemorySegment(F, wT, w + 3L * L * Float.BYTES, ORDER).fma(xk, a3);
      }
      long out = (zAt + r) * Float.BYTES;
      a0.intoMemorySegment(z, out, ORDER);
      a1.intoMemorySegment(z, out + (long) L * Float.BYTES, ORDER);
      a2.intoMemorySegment(z, out + 2L * L * Float.BYTES, ORDER);
      a3.intoMemorySegment(z, out + 3L * L * Float.BYTES, ORDER);
    }
    for (; r + L <= r4; r += L) {
      FloatVector a0 = FloatVector.zero(F);
      for (int k = 0; k < k4; k++) {
        FloatVector xk = FloatVector.broadcast(F, xh.getAtIndex(JAVA_FLOAT, xhAt + k));
        a0 = FloatVector.fromMemorySegment(F, wT, ((long) k * r4 + r) * Float.BYTES, ORDER).fma(xk, a0);
      }
      a0.intoMemorySegment(z, (zAt + r) * Float.BYTES, ORDER);
    }
    for (; r < r4; r++) {
      float sum = 0f;
      for (int k = 0; k < k4; k++) {
        sum = Math.fma(wT.getAtIndex(JAVA_FLOAT, (long) k * r4 + r), xh.getAtIndex(JAVA_FLOAT, xhAt + k), sum);
      }
      z.setAtIndex(JAVA_FLOAT, zAt + r, sum);
    }
  }

  /**
   * {@code z[from..to) = σ(z + bias)} in place. The gate passes are separate small loops on purpose: one
   * loop computing all four activations and the cell inlined five exp polynomials, C2 refused to inline
   * them and every vector was boxed (kilobytes per agent-step).
   */
  static void sigmoidInPlace(MemorySegment z, long zAt, float[] bias, int from, int to) {
    int r = from;
    for (int bound = from + F.loopBound(to - from); r < bound; r += L) {
      long at = (zAt + r) * Float.BYTES;
      VectorMath.sigmoid(FloatVector.fromMemorySegment(F, z, at, ORDER).add(FloatVector.fromArray(F, bias, r)))
          .intoMemorySegment(z, at, ORDER);
    }
    for (; r < to; r++) {
      z.setAtIndex(JAVA_FLOAT, zAt + r, VectorMath.sigmoidScalar(z.getAtIndex(JAVA_FLOAT, zAt + r) + bias[r]));
    }
  }

  /** {@code z[from..to) = tanh(z + bias)} in place. */
  static void tanhInPlace(MemorySegment z, long zAt, float[] bias, int from, int to) {
    int r = from;
    for (int bound = from + F.loopBound(to - from); r < bound; r += L) {
      long at = (zAt + r) * Float.BYTES;
      VectorMath.tanh(FloatVector.fromMemorySegment(F, z, at, ORDER).add(FloatVector.fromArray(F, bias, r)))
          .intoMemorySegment(z, at, ORDER);
    }
    for (; r < to; r++) {
      z.setAtIndex(JAVA_FLOAT, zAt + r, VectorMath.tanhScalar(z.getAtIndex(JAVA_FLOAT, zAt + r) + bias[r]));
    }
  }

  /**
   * From one agent's activated gates {@code z = [σ(i); σ(f); tanh(g); σ(o)]}: {@code c ← σ(f)c + σ(i)tanh(g)}
   * and {@code h = σ(o)tanh(c)}, h written into the agent's row of xh (and both into the trace when one
   * is given, at {@code tAt}). Returns 0 when every new c and h is finite, else NaN: each value times 0
   * is summed (±∞·0 and NaN·0 are NaN), one multiply-add per vector instead of a compare per element.
   */
  static float cellAndHidden(MemorySegment z, long zAt, float[] c, int cAt, MemorySegment xh, long hAt, int n,
      float[] traceCell, float[] traceHidden, int tAt) {
    FloatVector bad = FloatVector.zero(F);
    long nb = (long) n * Float.BYTES;
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      long zu = (zAt + u) * Float.BYTES;
      FloatVector i = FloatVector.fromMemorySegment(F, z, zu, ORDER);
      FloatVector f = FloatVector.fromMemorySegment(F, z, zu + nb, ORDER);
      FloatVector g = FloatVector.fromMemorySegment(F, z, zu + 2 * nb, ORDER);
      FloatVector o = FloatVector.fromMemorySegment(F, z, zu + 3 * nb, ORDER);
      FloatVector cn = f.fma(FloatVector.fromArray(F, c, cAt + u), i.mul(g));
      FloatVector h = o.mul(VectorMath.tanh(cn));
      cn.intoArray(c, cAt + u);
      h.intoMemorySegment(xh, (hAt + u) * Float.BYTES, ORDER);
      bad = bad.add(cn.mul(0f)).add(h.mul(0f));
      if (traceCell != null) {
        cn.intoArray(traceCell, tAt + u);
        h.intoArray(traceHidden, tAt + u);
      }
    }
    // the lanes are 0 or NaN, so the order of this sum cannot change the answer
    float flag = bad.reduceLanes(VectorOperators.ADD);
    for (; u < n; u++) {
      float i = z.getAtIndex(JAVA_FLOAT, zAt + u);
      float f = z.getAtIndex(JAVA_FLOAT, zAt + n + u);
      float g = z.getAtIndex(JAVA_FLOAT, zAt + 2 * n + u);
      float o = z.getAtIndex(JAVA_FLOAT, zAt + 3 * n + u);
      float cn = Math.fma(f, c[cAt + u], i * g);
      float h = o * VectorMath.tanhScalar(cn);
      c[cAt + u] = cn;
      xh.setAtIndex(JAVA_FLOAT, hAt + u, h);
      flag += cn * 0f + h * 0f;
      if (traceCell != null) {
        traceCell[tAt + u] = cn;
        traceHidden[tAt + u] = h;
      }
    }
    return flag;
  }

  /**
   * {@code w[wAt .. wAt+n) · h} with the lanes summed in a fixed order (lane 0 first), then the scalar
   * tail: the same bits every call, interpreted or compiled.
   */
  static float dot(float[] w, int wAt, MemorySegment xh, long hAt, int n, float[] lanes) {
    FloatVector acc = FloatVector.zero(F);
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      acc = FloatVector.fromArray(F, w, wAt + u)
          .fma(FloatVector.fromMemorySegment(F, xh, (hAt + u) * Float.BYTES, ORDER), acc);
    }
    acc.intoArray(lanes, 0);
    float s = 0f;
    for (int l = 0; l < L; l++) {
      s += lanes[l];
    }
    for (; u < n; u++) {
      s = Math.fma(w[wAt + u], xh.getAtIndex(JAVA_FLOAT, hAt + u), s);
    }
    return s;
  }
}
