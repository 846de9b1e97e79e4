package org.neurorl.kernel.simd;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.lstm.LstmNetwork;
import org.neurorl.kernel.lstm.LstmNetworkFactory;
import org.neurorl.kernel.lstm.LstmRolloutChecks;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RolloutChecks;
import org.neurorl.nativeblas.OpenBlas;

/**
 * The LSTM network of MODELS.md §2 in float32 for training: a forward step that records what the
 * backward pass needs, and backpropagation through time with the products shared over the batch and
 * the steps done by OpenBLAS (equations in {@link org.neurorl.kernel.lstm.ReferenceLstmNetwork}).
 *
 * <p><b>Layout.</b> One rollout keeps, in native memory, a matrix XH of (T+1)·B rows, row {@code t·B + b}
 * holding {@code [x_t | 1 | h_{t−1}]} of agent b (K = I + 1 + N floats); the forward step writes h_t
 * straight into row {@code (t+1)·B + b}. So the gate pre-activations of step t, bias included, are one
 * product {@code Z_t = XH_t · [Wx b Wh]ᵀ}, and after the backward pass the whole weight and bias gradient
 * is ONE product over all T·B rows, {@code [δWx δb δWh]ᵀ = XHᵀ · δZ} (K × 4N, contraction length T·B =
 * 3200 at B = 32, T = 100). Per step the backward pass needs only the elementwise gate deltas and the
 * recurrence {@code δh_{t−1} = δZ_t · Wh} (B × 4N times 4N × N). Activated gates, c_t and tanh c_t are
 * kept per step; the heads' gradient is one more product, {@code [δWpi; δwv] = [δlogits | δvalue]ᵀ · H}.
 *
 * <p><b>One activation pass.</b> The cell-candidate columns of the prepared weights are doubled (exact in
 * float), so a single logistic pass over all 4N pre-activations of a block of agents serves every gate,
 * and {@code tanh z = 2σ(2z) − 1} recovers the candidate: no per-agent, per-gate loops.
 *
 * <p><b>Small products.</b> Below {@link SimdLstm#GEMM_MIN_FLOPS} per call (or without OpenBLAS) products
 * run in Java ({@link SimdLstmBackward#product}, four output rows at a time), since a downcall costs 30–70 ns and OpenBLAS packs
 * its operands on every call.
 *
 * <p><b>Reproducibility.</b> Agents are cut into blocks whose size depends on the batch size only
 * ({@link #agentsPerBlock}); the weight gradient is cut into two column blocks (gates i, f and g, o) and
 * one block for the heads, each computed entirely by one worker with sums over steps and agents in a
 * fixed order. So the gradient is bit-identical whatever the thread count.
 *
 * <p><b>Memory.</b> Buffers are sized by (batch, maxSteps) at {@link #begin} and handed back by
 * {@link Rollout#close()}: the next rollout of the same sizes reuses them, so steady-state training
 * allocates nothing per step (about 4·T·B·(K + 10N) bytes, 6 MB at N = 48, B = 32, T = 100). A rollout's
 * records, {@link Rollout#hidden} included, are readable until it is closed.
 */
public final class SimdLstmNetwork implements LstmNetwork {

  /** The public no-argument entry point {@link LstmNetwork#create} loads reflectively. */
  public static final class Factory implements LstmNetworkFactory {
    public Factory() {}

    @Override
    public LstmNetwork create(int inputs, int hidden, int actions) {
      return new SimdLstmNetwork(inputs, hidden, actions, true);
    }

    /** Every product in Java (what runs without OpenBLAS): for tests of that path and measurements. */
    public LstmNetwork createWithoutBlas(int inputs, int hidden, int actions) {
      return new SimdLstmNetwork(inputs, hidden, actions, false);
    }
  }

  /**
   * Below this many flops per step (8·B·K·N) the step runs on the caller's thread. Lower than the step
   * kernel's threshold: a rollout's steps come back to back, so the pool's workers are still spinning and a
   * hand-off costs about a microsecond against the ~10 µs of a step at N = 48, B = 32.
   */
  static final long PARALLEL_MIN_FLOPS = 1L << 19;

  /**
   * Agents per block, a function of the batch size alone (so results never depend on the thread count):
   * blocks of at least 16 agents (B = 32: two blocks, one per core of this machine), at most 128, and
   * about 8 blocks for large batches.
   */
  static int agentsPerBlock(int batch) {
    return Math.min(batch, Math.max(16, Math.min(128, batch / 8)));
  }

  private final int inputs;
  private final int hidden;
  private final int actions;
  private final ParameterLayout layout;
  private final OpenBlas blas;
  /** Offsets of the tensors in the flat vector (looked up once: the lookup iterates a list). */
  private final int oWx, oWh, oB, oWpi, oBpi, oWv, oBv;
  /** The buffers of the last closed rollout, reused by the next {@link #begin} of the same sizes. */
  private Workspace spare;

  /** {@code useBlas = false} forces the pure-Java products. */
  public SimdLstmNetwork(int inputs, int hidden, int actions, boolean useBlas) {
    this.layout = LstmNetwork.layout(inputs, hidden, actions);
    this.inputs = inputs;
    this.hidden = hidden;
    this.actions = actions;
    this.blas = useBlas ? OpenBlas.get().orElse(null) : null;
    this.oWx = layout.tensor("Wx").offset();
    this.oWh = layout.tensor("Wh").offset();
    this.oB = layout.tensor("b").offset();
    this.oWpi = layout.tensor("Wpi").offset();
    this.oBpi = layout.tensor("bpi").offset();
    this.oWv = layout.tensor("wv").offset();
    this.oBv = layout.tensor("bv").offset();
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public int hidden() {
    return hidden;
  }

  @Override
  public int actions() {
    return actions;
  }

  @Override
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  /** True when the large products go to OpenBLAS. */
  public boolean usesBlas() {
    return blas != null;
  }

  @Override
  public Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool) {
    RolloutChecks.parameters(layout, parameters);
    LstmRolloutChecks.sizes(hidden, inputs, batch, maxSteps, pool);
    Workspace ws;
    synchronized (this) {
      ws = spare;
      spare = null;
    }
    if (ws == null || ws.batch != batch || ws.maxSteps != maxSteps) {
      ws = new Workspace(batch, maxSteps);
    }
    ws.load(parameters);
    return new FastRollout(ws, pool);
  }

  private synchronized void giveBack(Workspace ws) {
    spare = ws;
  }

  /** Every buffer of one rollout, plus the parameters in the forms the products want. */
  private final class Workspace {
    final int batch;
    final int maxSteps;
    /** Row length of XH: [x (I) | 1 | h (N)]; the constant 1 carries the gate bias through the product. */
    final int k;
    /** Column of XH where h starts. */
    final int hOff;
    final int g4;
    final int blockRows;
    final int blocks;
    final Arena arena = Arena.ofAuto();
    /** [Wx b Wh]ᵀ, K × 4N, the cell-candidate columns doubled (tanh z = 2σ(2z) − 1). */
    final MemorySegment wT;
    /** Wh, 4N × N. */
    final MemorySegment wh;
    final float[] wpi;
    final float[] bpi;
    final float[] wv;
    float bv;
    /** (T+1)·B rows of [x_t | h_{t−1}]. */
    final MemorySegment xh;
    /** T·B rows of activated gates [i f g o]. */
    final MemorySegment gates;
    /** T·B rows of δz, the gate pre-activation deltas. */
    final MemorySegment dz;
    /** B rows of δh carried from step t+1 to t (the recurrence product Wh·δz). */
    final MemorySegment dhCarried;
    /** The transposed weight gradient [δWx δb δWh]ᵀ (K × 4N) and the heads' [δWpi; δwv] ((A+1) × N). */
    final MemorySegment dW;
    final MemorySegment dHeads;
    /** T·B rows of [δlogits | δvalue] for the heads' product. */
    final MemorySegment dOut;
    final float[] cells;
    final float[] tanhC;
    final float[] dc;
    final float[] dOutSums;
    /** Per block of agents: its rows of XH, the gates and δz at each step, of δh. */
    final MemorySegment[] xhBlock;
    final MemorySegment[] gateBlock;
    final MemorySegment[] dzBlock;
    final MemorySegment[] dhBlock;
    /** Per half (gates i, f; gates g, o): columns of δz and of the transposed weight gradient from 2N·half. */
    final MemorySegment[] dzHalf;
    final MemorySegment[] dWHalf;
    /** XH from row B, column I: every h_t, t = 0 .. T−1 (row stride K). */
    final MemorySegment hRows;
    /** Per worker: one agent's δh. */
    float[][] dh = new float[0][];
    float[][] lanes = new float[0][];

    Workspace(int batch, int maxSteps) {
      this.batch = batch;
      this.maxSteps = maxSteps;
      this.k = inputs + 1 + hidden;
      this.hOff = inputs + 1;
      this.g4 = 4 * hidden;
      this.blockRows = agentsPerBlock(batch);
      this.blocks = (batch + blockRows - 1) / blockRows;
      int n = hidden;
      long rows = (long) maxSteps * batch;
      wT = floats((long) k * g4);
      wh = floats((long) g4 * n);
      wpi = new float[actions * n];
      bpi = new float[actions];
      wv = new float[n];
      xh = floats((rows + batch) * k);
      gates = floats(rows * g4);
      dz = floats(rows * g4);
      dhCarried = floats((long) batch * n);
      dW = floats((long) g4 * k);
      dHeads = floats((long) (actions + 1) * n);
      dOut = floats(rows * (actions + 1));
      cells = new float[(int) rows * n];
      tanhC = new float[(int) rows * n];
      dc = new float[batch * n];
      dOutSums = new float[actions + 1];
      xhBlock = new MemorySegment[(maxSteps + 1) * blocks];
      gateBlock = new MemorySegment[maxSteps * blocks];
      dzBlock = new MemorySegment[maxSteps * blocks];
      dhBlock = new MemorySegment[blocks];
      for (int t = 0; t <= maxSteps; t++) {
        for (int b = 0; b < blocks; b++) {
          long first = (long) t * batch + (long) b * blockRows;
          long count = Math.min(blockRows, batch - b * blockRows);
          xhBlock[t * blocks + b] = slice(xh, first * k, count * k);
          if (t < maxSteps) {
            gateBlock[t * blocks + b] = slice(gates, first * g4, count * g4);
            dzBlock[t * blocks + b] = slice(dz, first * g4, count * g4);
          }
        }
      }
      for (int b = 0; b < blocks; b++) {
        long count = Math.min(blockRows, batch - b * blockRows);
        dhBlock[b] = slice(dhCarried, (long) b * blockRows * n, count * n);
      }
      dzHalf = new MemorySegment[2];
      dWHalf = new MemorySegment[2];
      for (int half = 0; half < 2; half++) {
        dzHalf[half] = slice(dz, 2L * n * half, dz.byteSize() / Float.BYTES - 2L * n * half);
        dWHalf[half] = slice(dW, 2L * n * half, (long) k * g4 - 2L * n * half);
      }
      hRows = slice(xh, (long) batch * k + hOff, (rows + batch) * k - ((long) batch * k + hOff));
      for (long row = 0; row < rows + batch; row++) {
        xh.setAtIndex(JAVA_FLOAT, row * k + inputs, 1f);
      }
    }

    private MemorySegment floats(long count) {
      return arena.allocate(Math.max(1, count) * Float.BYTES, 64);
    }

    private static MemorySegment slice(MemorySegment s, long firstFloat, long countFloats) {
      return s.asSlice(firstFloat * Float.BYTES, countFloats * Float.BYTES);
    }

    void ensureWorkers(int workers) {
      if (dh.length < workers) {
        float[][] grown = java.util.Arrays.copyOf(dh, workers);
        float[][] grownLanes = java.util.Arrays.copyOf(lanes, workers);
        for (int w = dh.length; w < workers; w++) {
          grown[w] = new float[hidden];
          grownLanes[w] = new float[SimdSpecies.F.length()];
        }
        dh = grown;
        lanes = grownLanes;
      }
    }

    /** Copies the parameters into the forms the products want and clears the state before step 0. */
    void load(float[] theta) {
      int n = hidden;
      int ox = oWx, oh = oWh;
      for (int r = 0; r < g4; r++) {
        // doubling is exact in float, so the cell candidate's pre-activation is exactly 2z
        float scale = r >= 2 * n && r < 3 * n ? 2f : 1f;
        for (int j = 0; j < inputs; j++) {
          wT.setAtIndex(JAVA_FLOAT, (long) j * g4 + r, scale * theta[ox + r * inputs + j]);
        }
        wT.setAtIndex(JAVA_FLOAT, (long) inputs * g4 + r, scale * theta[oB + r]);
        for (int j = 0; j < n; j++) {
          wT.setAtIndex(JAVA_FLOAT, (long) (hOff + j) * g4 + r, scale * theta[oh + r * n + j]);
        }
      }
      MemorySegment.copy(theta, oh, wh, JAVA_FLOAT, 0, g4 * n);
      System.arraycopy(theta, oWpi, wpi, 0, actions * n);
      System.arraycopy(theta, oBpi, bpi, 0, actions);
      System.arraycopy(theta, oWv, wv, 0, n);
      bv = theta[oBv];
      for (int a = 0; a < batch; a++) {
        for (int u = 0; u < n; u++) {
          xh.setAtIndex(JAVA_FLOAT, (long) a * k + hOff + u, 0f);
        }
      }
    }
  }

  /** One batch of episodes: steps recorded into a {@link Workspace}. */
  private final class FastRollout implements Rollout {
    final Workspace ws;
    final Parallel pool;
    int steps;
    boolean closed;
    // arguments of the call in progress, read by the block tasks (tasks made once: a call allocates nothing)
    float[] x;
    float[] logits;
    float[] values;
    float[] dLogits;
    float[] dValues;
    int t;
    final Parallel.BlockTask forwardTask = this::forwardBlock;
    final Parallel.BlockTask backwardTask = this::backwardBlock;
    final Parallel.BlockTask weightTask = this::weightBlock;

    FastRollout(Workspace ws, Parallel pool) {
      this.ws = ws;
      this.pool = pool;
    }

    @Override
    public int batch() {
      return ws.batch;
    }

    @Override
    public int steps() {
      return steps;
    }

    /** Workers for per-step work: below {@link SimdLstm#PARALLEL_MIN_FLOPS} a hand-off costs more than it saves. */
    private Parallel stepWorkers() {
      long flops = 8L * ws.batch * ws.k * hidden;
      return flops < PARALLEL_MIN_FLOPS ? Parallel.serial() : pool;
    }

    private boolean gemm(long flops) {
      return blas != null && flops >= SimdLstm.GEMM_MIN_FLOPS;
    }

    @Override
    public void step(float[] xIn, float[] logitsOut, float[] valuesOut) {
      RolloutChecks.canStep(closed, steps, ws.maxSteps);
      RolloutChecks.exactLength("x", xIn, (long) ws.batch * inputs);
      RolloutChecks.exactLength("logits", logitsOut, (long) ws.batch * actions);
      RolloutChecks.exactLength("values", valuesOut, ws.batch);
      Parallel workers = stepWorkers();
      ws.ensureWorkers(workers.threads());
      x = xIn;
      logits = logitsOut;
      values = valuesOut;
      t = steps;
      try {
        workers.forEachBlock(ws.blocks, forwardTask);
      } finally {
        x = null;
        logits = null;
        values = null;
      }
      steps++;
    }

    private void forwardBlock(int worker, int block) {
      Workspace w = ws;
      int n = hidden, k = w.k, g4 = w.g4, na = actions, batch = w.batch;
      int first = block * w.blockRows;
      int rows = Math.min(w.blockRows, batch - first);
      long row0 = (long) t * batch + first;
      for (int j = 0; j < rows; j++) {
        MemorySegment.copy(x, (first + j) * inputs, w.xh, JAVA_FLOAT, (row0 + j) * k * Float.BYTES, inputs);
      }
      if (gemm(2L * rows * k * g4)) {
        blas.sgemm(false, false, rows, g4, k, 1f, w.xhBlock[t * w.blocks + block], k, w.wT, g4, 0f,
            w.gateBlock[t * w.blocks + block], g4);
      } else {
        SimdLstmBackward.product(rows, w.xh, row0 * k, k, 1, k, w.wT, 0, g4, g4, w.gates, row0 * g4, g4);
      }
      // σ of every pre-activation of the block in one pass (the candidate's tanh is recovered from it below)
      SimdLstmBackward.sigmoidInPlace(w.gates, row0 * g4, (row0 + rows) * g4);
      float[] lanes = w.lanes[worker];
      for (int j = 0; j < rows; j++) {
        int a = first + j;
        long row = row0 + j;
        long hAt = (row + batch) * k + w.hOff;
        float bad = SimdLstmBackward.cell(w.gates, row * g4, w.cells, t == 0 ? -1 : (int) ((row - batch) * n),
            (int) (row * n), w.tanhC, w.xh, hAt, n);
        if (bad != 0f) {
          reportBlowUp(a, row);
        }
        float badHeads = SimdLstmBackward.heads(w.xh, hAt, n, w.wpi, w.bpi, na, logits, a * na, w.wv, w.bv, values,
            a, lanes);
        if (badHeads != 0f) {
          for (int act = 0; act < na; act++) {
            if (!Float.isFinite(logits[a * na + act])) {
              throw new NumericalBlowUpException("logits[" + act + "]", a, t, logits[a * na + act]);
            }
          }
          throw new NumericalBlowUpException("value", a, t, values[a]);
        }
      }
    }

    private void reportBlowUp(int a, long row) {
      int n = hidden;
      for (int u = 0; u < n; u++) {
        float c = ws.cells[(int) (row * n) + u];
        if (!Float.isFinite(c)) {
          throw new NumericalBlowUpException("c", a, t, c);
        }
      }
      for (int u = 0; u < n; u++) {
        float h = ws.xh.getAtIndex(JAVA_FLOAT, (row + ws.batch) * ws.k + ws.hOff + u);
        if (!Float.isFinite(h)) {
          throw new NumericalBlowUpException("h", a, t, h);
        }
      }
    }

    @Override
    public float[] hidden(int step) {
      RolloutChecks.recordedStep(closed, step, steps);
      int n = hidden;
      float[] h = new float[ws.batch * n];
      for (int a = 0; a < ws.batch; a++) {
        MemorySegment.copy(ws.xh, JAVA_FLOAT, (((long) (step + 1) * ws.batch + a) * ws.k + ws.hOff) * Float.BYTES,
            h, a * n, n);
      }
      return h;
    }

    @Override
    public void backward(float[] dLogitsIn, float[] dValuesIn, float[] gradient) {
      RolloutChecks.open(closed);
      RolloutChecks.derivatives("dLogits", dLogitsIn, steps, ws.batch, actions);
      RolloutChecks.derivatives("dValues", dValuesIn, steps, ws.batch, 1);
      RolloutChecks.exactLength("gradient", gradient, layout.size());
      if (steps == 0) {
        return;
      }
      Parallel workers = stepWorkers();
      ws.ensureWorkers(pool.threads());
      dLogits = dLogitsIn;
      dValues = dValuesIn;
      java.util.Arrays.fill(ws.dc, 0f);
      try {
        for (t = steps - 1; t >= 0; t--) {
          workers.forEachBlock(ws.blocks, backwardTask);
        }
        long weightFlops = 2L * steps * ws.batch * ws.k * ws.g4;
        (weightFlops < PARALLEL_MIN_FLOPS ? Parallel.serial() : pool).forEachBlock(3, weightTask);
      } finally {
        dLogits = null;
        dValues = null;
      }
      addGradient(gradient);
    }

    private void backwardBlock(int worker, int block) {
      Workspace w = ws;
      int n = hidden, g4 = w.g4, na = actions, batch = w.batch;
      int first = block * w.blockRows;
      int rows = Math.min(w.blockRows, batch - first);
      long row0 = (long) t * batch + first;
      float[] dh = w.dh[worker];
      boolean last = t == steps - 1;
      for (int j = 0; j < rows; j++) {
        int a = first + j;
        long row = row0 + j;
        SimdLstmBackward.hiddenDelta(w.dhCarried, last ? -1 : (long) a * n, dLogits, (int) row * na, na, w.wpi,
            dValues[(int) row], w.wv, dh, n);
        SimdLstmBackward.gateDeltas(w.gates, row * g4, w.cells, t == 0 ? -1 : (int) ((row - batch) * n), w.tanhC,
            (int) (row * n), dh, w.dc, a * n, w.dz, row * g4, n);
      }
      if (t > 0) {
        if (gemm(2L * rows * g4 * n)) {
          blas.sgemm(false, false, rows, n, g4, 1f, w.dzBlock[t * w.blocks + block], g4, w.wh, n, 0f,
              w.dhBlock[block], n);
        } else {
          SimdLstmBackward.product(rows, w.dz, row0 * g4, g4, 1, g4, w.wh, 0, n, n, w.dhCarried, (long) first * n, n);
        }
      }
    }

    /**
     * Blocks 0 and 1: columns 2N·q.. (gates i, f, then g, o) of {@code [δWx δb δWh]ᵀ = XHᵀ · δZ} over every
     * step and agent (the bias gradient is the row of XH's constant 1); block 2: the heads.
     */
    private void weightBlock(int worker, int q) {
      Workspace w = ws;
      int n = hidden, k = w.k, g4 = w.g4, na = actions;
      int rows = steps * w.batch;
      if (q < 2) {
        if (gemm(4L * rows * n * k)) {
          blas.sgemm(true, false, k, 2 * n, rows, 1f, w.xh, k, w.dzHalf[q], g4, 0f, w.dWHalf[q], g4);
        } else {
          SimdLstmBackward.product(k, w.xh, 0, 1, k, rows, w.dz, 2L * n * q, g4, 2 * n, w.dW, 2L * n * q, g4);
        }
        return;
      }
      for (int m = 0; m < rows; m++) {
        for (int act = 0; act < na; act++) {
          w.dOut.setAtIndex(JAVA_FLOAT, (long) m * (na + 1) + act, dLogits[m * na + act]);
        }
        w.dOut.setAtIndex(JAVA_FLOAT, (long) m * (na + 1) + na, dValues[m]);
      }
      if (gemm(2L * rows * (na + 1) * n)) {
        blas.sgemm(true, false, na + 1, n, rows, 1f, w.dOut, na + 1, w.hRows, k, 0f, w.dHeads, n);
      } else {
        SimdLstmBackward.product(na + 1, w.dOut, 0, 1, na + 1, rows, w.hRows, 0, k, n, w.dHeads, 0, n);
      }
      java.util.Arrays.fill(w.dOutSums, 0f);
      SimdLstmBackward.columnSums(w.dOut, 0, na + 1, rows, na + 1, w.dOutSums, 0);
    }

    /** Adds the workspace's gradient blocks into the caller's flat gradient (layout order). */
    private void addGradient(float[] gradient) {
      Workspace w = ws;
      int n = hidden, k = w.k, na = actions;
      int ox = oWx, oh = oWh, ob = oB, opi = oWpi, obpi = oBpi, ov = oWv, obv = oBv;
      int g4 = w.g4;
      for (int r = 0; r < g4; r++) {
        for (int j = 0; j < inputs; j++) {
          gradient[ox + r * inputs + j] += w.dW.getAtIndex(JAVA_FLOAT, (long) j * g4 + r);
        }
        for (int j = 0; j < n; j++) {
          gradient[oh + r * n + j] += w.dW.getAtIndex(JAVA_FLOAT, (long) (w.hOff + j) * g4 + r);
        }
        gradient[ob + r] += w.dW.getAtIndex(JAVA_FLOAT, (long) inputs * g4 + r);
      }
      for (int act = 0; act < na; act++) {
        for (int u = 0; u < n; u++) {
          gradient[opi + act * n + u] += w.dHeads.getAtIndex(JAVA_FLOAT, (long) act * n + u);
        }
        gradient[obpi + act] += w.dOutSums[act];
      }
      for (int u = 0; u < n; u++) {
        gradient[ov + u] += w.dHeads.getAtIndex(JAVA_FLOAT, (long) na * n + u);
      }
      gradient[obv] += w.dOutSums[na];
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        giveBack(ws);
      }
    }
  }

  @Override
  public String toString() {
    return "SimdLstmNetwork[inputs=" + inputs + ", hidden=" + hidden + ", actions=" + actions + ", "
        + implementation() + (blas != null ? ", OpenBLAS" : ", Java products") + "]";
  }
}
