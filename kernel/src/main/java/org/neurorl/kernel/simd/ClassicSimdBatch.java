package org.neurorl.kernel.simd;

import java.util.Arrays;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.classic.ClassicBatch;

/**
 * The float32 state of the SIMD UCB1 and Thompson kernels (layout as {@link ClassicBatch} documents)
 * and the block runner. Counts are floats: integers up to 2²⁴ are exact, and the count and trial limits
 * of {@link ClassicBatch} keep every count below that.
 *
 * <p>A run cuts the agents into blocks of {@link #blockAgents} (a multiple of 16 lanes chosen from the
 * shape only, never from the thread count), copies a block into the worker's scratch, plays all trials
 * of the call on it there (it stays in L1/L2) and copies it back. The last block is padded with inert
 * lanes (key 0, p = 0), so no scalar tail code exists whose floats could differ.
 */
public final class ClassicSimdBatch extends ClassicBatch {
  /** Largest block. */
  static final int MAX_BLOCK = 256;
  /** Lane granularity of blocks: the widest vector (512 bits) of floats. */
  static final int LANE_QUANTUM = BlockRows.LANE_QUANTUM;
  /** Below this many agent-trials per call the run stays on the caller's thread (hand-off costs more). */
  static final long PARALLEL_MIN_WORK = 1L << 14;

  final float[] successes;
  final float[] failures;
  final float[] regret;
  final float[] rewardSum;
  final float[] suboptimal;
  final int blockAgents;
  final int blocks;
  private final Runner runner = new Runner();
  private Scratch[] scratch = new Scratch[0];

  ClassicSimdBatch(Strategy strategy, int agents, int arms, long seed, long firstAgentIndex) {
    super(strategy, agents, arms, seed, firstAgentIndex);
    successes = new float[countsLength()];
    failures = new float[countsLength()];
    regret = new float[agents];
    rewardSum = new float[agents];
    suboptimal = new float[agents];
    blockAgents = BlockRows.blockAgents(agents, MAX_BLOCK, Scratch.floatRows(arms));
    blocks = BlockRows.blocks(agents, blockAgents);
    reset(0);
  }

  @Override
  protected void clear() {
    Arrays.fill(successes, 0f);
    Arrays.fill(failures, 0f);
    Arrays.fill(regret, 0f);
    Arrays.fill(rewardSum, 0f);
    Arrays.fill(suboptimal, 0f);
  }

  @Override
  public long stateBytes() {
    return 4L * (2L * countsLength() + 3L * agents() + rewardProbabilities.length + keys.length);
  }

  @Override
  public void successes(double[] out) {
    copy(successes, out);
  }

  @Override
  public void failures(double[] out) {
    copy(failures, out);
  }

  @Override
  protected void storeCounts(double[] s, double[] f) {
    for (int i = 0; i < successes.length; i++) {
      successes[i] = (float) s[i];
      failures[i] = (float) f[i];
    }
  }

  @Override
  public void cumulativeRegret(double[] out) {
    copy(regret, out);
  }

  @Override
  public void rewardSums(double[] out) {
    copy(rewardSum, out);
  }

  @Override
  public void suboptimalPulls(double[] out) {
    copy(suboptimal, out);
  }

  private static void copy(float[] from, double[] out) {
    checkOut("out", out, from.length);
    for (int i = 0; i < from.length; i++) {
      out[i] = from[i];
    }
  }

  /**
   * Plays trials [first, first + trials) of the episode on the block in {@code sc} (agents start ..
   * start + n − 1 of the batch) and records them when the record arrays are not null.
   */
  @FunctionalInterface
  interface BlockTrials {
    void play(ClassicSimdBatch batch, Scratch sc, int first, int trials, int start, int n, int[] actionsOut,
        float[] rewardsOut);
  }

  /** The SIMD batch behind {@code batch}; refused when another kernel made it. */
  static ClassicSimdBatch of(ClassicBatch batch) {
    if (!(batch instanceof ClassicSimdBatch sb)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by a SIMD kernel");
    }
    return sb;
  }

  /**
   * The end of trial {@code t} of a block once {@code sc.act} holds the choices: pull the arms
   * ({@link ClassicPasses#pull}) and record actions and rewards when asked. Plain Java: only arrays cross.
   */
  static void pullAndRecord(ClassicSimdBatch batch, Scratch sc, int t, int start, int n, int[] actionsOut,
      float[] rewardsOut) {
    int bl = batch.blockAgents, k = batch.arms();
    ClassicPasses.pull(sc.keys, sc.p, sc.maxP, sc.act, sc.s, sc.f, sc.reward, sc.regret, sc.rewardSum,
        sc.suboptimal, bl, k, trialCounter(batch.episode(), t, k) * Rng.GOLDEN32);
    if (actionsOut != null || rewardsOut != null) {
      QSimdPasses.record(sc.act, sc.reward, actionsOut, rewardsOut, t * batch.agents() + start, n);
    }
  }

  /** Validates, then runs every block on the pool. */
  void run(Strategy strategy, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut,
      BlockTrials passes) {
    checkRun(strategy, trials, actionsOut, rewardsOut);
    Parallel pool = (long) agents() * trials < PARALLEL_MIN_WORK ? Parallel.serial() : parallel;
    if (scratch.length < pool.threads()) {
      scratch = BlockRows.grow(scratch, pool.threads(), t -> new Scratch(blockAgents, arms()));
    }
    runner.first = trial();
    runner.trials = trials;
    runner.actionsOut = actionsOut;
    runner.rewardsOut = rewardsOut;
    runner.passes = passes;
    try {
      pool.forEachBlock(blocks, runner);
    } finally {
      runner.actionsOut = null;
      runner.rewardsOut = null;
    }
    advance(trials);
  }

  /** The block task (one object per batch, so a run allocates nothing). */
  private final class Runner implements Parallel.BlockTask {
    int first;
    int trials;
    int[] actionsOut;
    float[] rewardsOut;
    BlockTrials passes;

    @Override
    public void run(int worker, int block) {
      Scratch sc = scratch[worker];
      int start = block * blockAgents;
      int n = Math.min(blockAgents, agents() - start);
      copyIn(sc, start, n);
      passes.play(ClassicSimdBatch.this, sc, first, trials, start, n, actionsOut, rewardsOut);
      copyOut(sc, start, n);
    }
  }

  private void copyIn(Scratch sc, int start, int n) {
    BlockRows.copyKeys(keys, sc.keys, start, n, blockAgents);
    copyRows(rewardProbabilities, sc.p, start, n);
    QSimdPasses.maxRows(sc.p, sc.maxP, blockAgents, 1, arms());
    copyRows(successes, sc.s, start, n);
    copyRows(failures, sc.f, start, n);
    copyRows(regret, sc.regret, start, n);
    copyRows(rewardSum, sc.rewardSum, start, n);
    copyRows(suboptimal, sc.suboptimal, start, n);
  }

  private void copyRows(float[] from, float[] to, int start, int n) {
    BlockRows.copyRows(from, to, agents(), blockAgents, start, n);
  }

  private void copyOut(Scratch sc, int start, int n) {
    copyRowsBack(sc.s, successes, start, n);
    copyRowsBack(sc.f, failures, start, n);
    copyRowsBack(sc.regret, regret, start, n);
    copyRowsBack(sc.rewardSum, rewardSum, start, n);
    copyRowsBack(sc.suboptimal, suboptimal, start, n);
  }

  private void copyRowsBack(float[] from, float[] to, int start, int n) {
    BlockRows.copyRowsBack(from, to, agents(), blockAgents, start, n);
  }

  /** Per-worker rows of one block, {@code bl} lanes each. */
  static final class Scratch {
    final int[] keys, fallbackKeys;
    final float[] p, maxP, s, f, regret, rewardSum, suboptimal, act, reward, gamma, shapeX, scaleX, pendingX, shapeY, scaleY, pendingY, radius,
        normalX, normalY, u3, logU;

    Scratch(int bl, int arms) {
      keys = new int[bl];
      p = new float[arms * bl];
      maxP = new float[bl];
      s = new float[arms * bl];
      f = new float[arms * bl];
      regret = new float[bl];
      rewardSum = new float[bl];
      suboptimal = new float[bl];
      act = new float[bl];
      reward = new float[bl];
      gamma = new float[2 * arms * bl];
      fallbackKeys = new int[bl];
      shapeX = new float[bl];
      scaleX = new float[bl];
      pendingX = new float[bl];
      shapeY = new float[bl];
      scaleY = new float[bl];
      pendingY = new float[bl];
      radius = new float[bl];
      normalX = new float[bl];
      normalY = new float[bl];
      u3 = new float[bl];
      logU = new float[bl];
    }

    /** Rows of floats (and the key row) one agent uses in the scratch. */
    static int floatRows(int arms) {
      return 6 * arms + 19;
    }
  }
}
