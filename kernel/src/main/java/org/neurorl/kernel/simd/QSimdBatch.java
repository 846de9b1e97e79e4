package org.neurorl.kernel.simd;

import java.util.Arrays;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;

/**
 * The float32 state of the SIMD Q kernels (layout as {@link QBatch} documents) and the block runner.
 *
 * <p>A run cuts the agents into blocks of {@link #blockAgents} (a multiple of 16 lanes chosen from the
 * shape only, so never from the thread count), copies a block into the worker's scratch, plays all
 * trials of the call on it there (it stays in L1/L2), checks it for NaN/∞ once, and copies it back.
 * The last block is padded with inert lanes, so no scalar tail code exists whose floats could differ.
 *
 * <p>{@link #reset} only marks the values for re-initialisation; the next run draws them in its
 * blocks (vectorised and on all workers), and accessors draw them first with the same float ops.
 */
public final class QSimdBatch extends QBatch {
  /** Largest block; 256 agents of the plain bandit shapes keep all scratch rows within L1 (48 KB). */
  public static final int MAX_BLOCK = 256;
  /** Lane granularity of blocks: the widest vector (512 bits) of floats. */
  public static final int LANE_QUANTUM = BlockRows.LANE_QUANTUM;
  /** Below this many agent-trials per call the run stays on the caller's thread (hand-off costs more). */
  static final long PARALLEL_MIN_WORK = 1L << 15;

  final float[] w;
  final float[] q;
  final float[] regret;
  final float[] rewardSum;
  final float[] suboptimal;
  private boolean initPending;
  final int blockAgents;
  final int blocks;
  private final Runner runner = new Runner();
  /** Per-block regret sums of a {@code runRegretSums} call, [2·(block·trials + k) + {0: sum, 1: squares}]. */
  private double[] curves = new double[0];
  private Scratch[] scratch = new Scratch[0];

  QSimdBatch(Model model, int agents, int states, int latent, int actions, QParams params, long seed,
      long firstAgentIndex, int maxBlock) {
    super(model, agents, states, latent, actions, params, seed, firstAgentIndex);
    w = new float[weightsLength()];
    q = new float[valuesLength()];
    regret = new float[agents];
    rewardSum = new float[agents];
    suboptimal = new float[agents];
    blockAgents = BlockRows.blockAgents(agents, maxBlock, Scratch.floatRows(this));
    blocks = BlockRows.blocks(agents, blockAgents);
    reset(0);
  }

  @Override
  protected void initialise() {
    initPending = true;
  }

  /** Draws pending initial values now (scalar, same float ops as the vector pass). */
  private void materialise() {
    if (!initPending) {
      return;
    }
    int b = agents();
    int wRows = w.length / b;
    for (int i = 0; i < b; i++) {
      for (int e = 0; e < wRows; e++) {
        w[e * b + i] = initialValue(i, e);
      }
      for (int e = 0; e < q.length / b; e++) {
        q[e * b + i] = initialValue(i, wRows + e);
      }
    }
    Arrays.fill(regret, 0f);
    Arrays.fill(rewardSum, 0f);
    Arrays.fill(suboptimal, 0f);
    initPending = false;
  }

  @Override
  public long stateBytes() {
    return 4L * (w.length + q.length + 3L * agents() + rewardProbabilities.length + keys.length);
  }

  @Override
  public void weights(double[] out) {
    requireLatent();
    materialise();
    copy(w, out);
  }

  @Override
  public void values(double[] out) {
    materialise();
    copy(q, out);
  }

  @Override
  public void setWeights(double[] values) {
    requireLatent();
    checkFinite("weights", values, w.length);
    materialise();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) values[i];
    }
  }

  @Override
  public void setValues(double[] values) {
    checkFinite("values", values, q.length);
    materialise();
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) values[i];
    }
  }

  @Override
  public void actionValues(double[] out) {
    int b = agents(), s = states(), k = latent(), a = actions();
    checkOut("out", out, s * a * b);
    materialise();
    if (model() == Model.TABULAR) {
      copy(q, out);
      return;
    }
    for (int i = 0; i < b; i++) {
      for (int si = 0; si < s; si++) {
        for (int ai = 0; ai < a; ai++) {
          double sum = 0;
          for (int ki = 0; ki < k; ki++) {
            sum += (double) w[(si * k + ki) * b + i] * q[(ki * a + ai) * b + i];
          }
          out[(si * a + ai) * b + i] = sum;
        }
      }
    }
  }

  @Override
  public void cumulativeRegret(double[] out) {
    materialise();
    copy(regret, out);
  }

  @Override
  public void rewardSums(double[] out) {
    materialise();
    copy(rewardSum, out);
  }

  @Override
  public void suboptimalPulls(double[] out) {
    materialise();
    copy(suboptimal, out);
  }

  private static void copy(float[] from, double[] out) {
    checkOut("out", out, from.length);
    for (int i = 0; i < from.length; i++) {
      out[i] = from[i];
    }
  }

  private void requireLatent() {
    if (model() != Model.LATENT) {
      throw new IllegalStateException("the tabular model has no weights W");
    }
  }

  /**
   * Plays trials [first, first + trials) of the episode on the block in {@code sc} (agents start ..
   * start + n − 1 of the batch) and records them when the record arrays are not null.
   */
  @FunctionalInterface
  interface BlockTrials {
    /**
     * ... and, when {@code curve} is not null, adds the block's regret sums after the k-th trial of
     * the call to {@code curve[curveOff + 2k]} (sum) and {@code [curveOff + 2k + 1]} (squares).
     */
    void play(QSimdBatch batch, Scratch sc, int first, int trials, int start, int n, int[] actionsOut,
        float[] rewardsOut, double[] curve, int curveOff);
  }

  /** The SIMD batch behind {@code batch}; refused when another kernel made it. */
  static QSimdBatch of(QBatch batch) {
    if (!(batch instanceof QSimdBatch sb)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by a SIMD kernel");
    }
    return sb;
  }

  /** {@code runRegretSums} of the SIMD Q kernels: both sum arrays are required, then the blocks run. */
  static void runRegretSums(QBatch batch, Model model, int trials, Parallel parallel, double[] sum,
      double[] sumSquares, BlockTrials passes) {
    QSimdBatch sb = of(batch);
    if (sum == null || sumSquares == null) {
      throw new IllegalArgumentException("sum = " + (sum == null ? "null" : "array") + ", sumSquares = "
          + (sumSquares == null ? "null" : "array") + "; allowed: two double arrays of length >= trials");
    }
    sb.run(model, trials, parallel, null, null, sum, sumSquares, passes);
  }

  /** Validates, then runs every block on the pool. */
  void run(Model model, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut, BlockTrials passes) {
    run(model, trials, parallel, actionsOut, rewardsOut, null, null, passes);
  }

  /**
   * As above; with {@code sum} not null, also the per-trial regret sums: each block writes its own
   * slice of {@link #curves}, and the slices are added to the caller's arrays in block order.
   */
  void run(Model model, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut, double[] sum,
      double[] sumSquares, BlockTrials passes) {
    checkRun(model, trials, actionsOut, rewardsOut);
    double[] curve = null;
    if (sum != null || sumSquares != null) {
      checkSums(trials, sum, sumSquares);
      if (2L * blocks * trials > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("trials = " + trials + " for " + agents() + " agents; allowed: agents"
            + " x trials up to about 2^37 per runRegretSums call (per-block sums); split the trials into calls");
      }
      if (curves.length < 2L * blocks * trials) {
        curves = new double[2 * blocks * trials];
      }
      curve = curves;
      Arrays.fill(curve, 0, 2 * blocks * trials, 0.0);
    }
    Parallel pool = (long) agents() * trials < PARALLEL_MIN_WORK ? Parallel.serial() : parallel;
    if (scratch.length < pool.threads()) {
      scratch = BlockRows.grow(scratch, pool.threads(), t -> new Scratch(this));
    }
    runner.first = trial();
    runner.trials = trials;
    runner.actionsOut = actionsOut;
    runner.rewardsOut = rewardsOut;
    runner.passes = passes;
    runner.curve = curve;
    try {
      pool.forEachBlock(blocks, runner);
    } catch (RuntimeException e) {
      markBroken();
      throw e;
    } finally {
      runner.actionsOut = null;
      runner.rewardsOut = null;
      runner.curve = null;
    }
    if (curve != null) {
      for (int blk = 0; blk < blocks; blk++) {
        int off = 2 * blk * trials;
        for (int k = 0; k < trials; k++) {
          sum[k] += curve[off + 2 * k];
          sumSquares[k] += curve[off + 2 * k + 1];
        }
      }
    }
    initPending = false;
    advance(trials);
  }

  /** The block task (one object per batch, so a run allocates nothing). */
  private final class Runner implements Parallel.BlockTask {
    int first;
    int trials;
    int[] actionsOut;
    float[] rewardsOut;
    double[] curve;
    BlockTrials passes;

    @Override
    public void run(int worker, int block) {
      Scratch sc = scratch[worker];
      int start = block * blockAgents;
      int n = Math.min(blockAgents, agents() - start);
      copyIn(sc, start, n);
      passes.play(QSimdBatch.this, sc, first, trials, start, n, actionsOut, rewardsOut, curve, 2 * block * trials);
      copyOut(sc, start, n);
      checkFinite(sc, start, n, first + trials);
    }
  }

  private void copyIn(Scratch sc, int start, int n) {
    int b = agents(), bl = blockAgents;
    BlockRows.copyKeys(keys, sc.keys, start, n, bl);
    copyRows(rewardProbabilities, sc.p, start, n);
    QSimdPasses.maxRows(sc.p, sc.maxP, bl, states(), actions());
    if (initPending) {
      int wRows = w.length / b;
      float sigma = params().initScale();
      for (int e = 0; e < wRows; e++) {
        QSimdPasses.initRow(sc.keys, sc.w, e * bl, bl, initCounter(episode(), e) * Rng.GOLDEN32, sigma);
      }
      for (int e = 0; e < q.length / b; e++) {
        QSimdPasses.initRow(sc.keys, sc.q, e * bl, bl, initCounter(episode(), wRows + e) * Rng.GOLDEN32, sigma);
      }
      Arrays.fill(sc.regret, 0f);
      Arrays.fill(sc.rewardSum, 0f);
      Arrays.fill(sc.suboptimal, 0f);
    } else {
      copyRows(w, sc.w, start, n);
      copyRows(q, sc.q, start, n);
      copyRows(regret, sc.regret, start, n);
      copyRows(rewardSum, sc.rewardSum, start, n);
      copyRows(suboptimal, sc.suboptimal, start, n);
    }
  }

  private void copyRows(float[] from, float[] to, int start, int n) {
    BlockRows.copyRows(from, to, agents(), blockAgents, start, n);
  }

  private void copyOut(Scratch sc, int start, int n) {
    copyRowsBack(sc.w, w, start, n);
    copyRowsBack(sc.q, q, start, n);
    copyRowsBack(sc.regret, regret, start, n);
    copyRowsBack(sc.rewardSum, rewardSum, start, n);
    copyRowsBack(sc.suboptimal, suboptimal, start, n);
  }

  private void copyRowsBack(float[] from, float[] to, int start, int n) {
    BlockRows.copyRowsBack(from, to, agents(), blockAgents, start, n);
  }

  /** Once per block and call: any NaN/∞ in W or Q (O(state), not per trial). */
  private void checkFinite(Scratch sc, int start, int n, int trial) {
    check("W", sc.w, start, n, trial);
    check("Q", sc.q, start, n, trial);
  }

  private void check(String name, float[] rows, int start, int n, int trial) {
    int bl = blockAgents;
    for (int e = 0; e < rows.length / bl; e++) {
      for (int j = 0; j < n; j++) {
        float v = rows[e * bl + j];
        if (v - v != 0f) { // NaN or ±∞
          throw new NumericalBlowUpException(name + " element " + e, start + j, trial, v);
        }
      }
    }
  }

  /** Per-worker rows of one block, {@code bl} lanes each. */
  static final class Scratch {
    final int[] keys;
    final float[] w, q, p, maxP, regret, rewardSum, suboptimal;
    final float[] z, values, cumulative, uAct, uRew, cue, arm, act, reward;
    /** Lane accumulators of the regret-sum pass (four double vectors). */
    final double[] lanes = new double[4 * 8];

    Scratch(QSimdBatch batch) {
      int bl = batch.blockAgents;
      int s = batch.states(), k = batch.latent(), a = batch.actions();
      int qRows = batch.q.length / batch.agents();
      keys = new int[bl];
      w = new float[s * k * bl];
      q = new float[qRows * bl];
      p = new float[s * a * bl];
      maxP = new float[s * bl];
      regret = new float[bl];
      rewardSum = new float[bl];
      suboptimal = new float[bl];
      z = new float[Math.max(k, 1) * bl];
      values = new float[a * bl];
      cumulative = new float[a * bl];
      uAct = new float[bl];
      uRew = new float[bl];
      cue = new float[bl];
      arm = new float[bl];
      act = new float[bl];
      reward = new float[bl];
    }

    /** Rows of floats (and the key row) one agent uses in the scratch. */
    static int floatRows(QBatch b) {
      int s = b.states(), k = b.latent(), a = b.actions();
      int qRows = (b.model() == Model.LATENT ? k : s) * a;
      return s * k + qRows + s * a + s + 3 + Math.max(k, 1) + 2 * a + 8 + 1;
    }
  }
}
