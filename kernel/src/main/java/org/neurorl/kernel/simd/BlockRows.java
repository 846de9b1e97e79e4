package org.neurorl.kernel.simd;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Block plumbing shared by the SIMD batches ({@link QSimdBatch}, {@link ClassicSimdBatch}): the block
 * size, copying one block of agent-major rows into a worker's scratch (padded with inert zero lanes)
 * and back, and growing the per-worker scratch. Plain Java only (no vectors pass through here), so
 * inlining decisions cannot box anything.
 */
final class BlockRows {
  /** Lane granularity of blocks: the widest vector (512 bits) of floats. */
  static final int LANE_QUANTUM = 16;
  /** Scratch bytes one block may use, so its rows stay in L1/L2. */
  private static final long BLOCK_BYTES = 40_000;

  private BlockRows() {}

  /**
   * Agents per block: {@code maxBlock} halved until {@code floatRows} rows of floats fit the budget
   * (never below {@link #LANE_QUANTUM}), at most the agents rounded up to whole quanta. Depends on the
   * shape only, never on the thread count.
   */
  static int blockAgents(int agents, int maxBlock, int floatRows) {
    int bl = maxBlock;
    while (bl > LANE_QUANTUM && (long) floatRows * bl * Float.BYTES > BLOCK_BYTES) {
      bl /= 2;
    }
    return Math.min(bl, (agents + LANE_QUANTUM - 1) / LANE_QUANTUM * LANE_QUANTUM);
  }

  /** Number of blocks of {@code blockAgents} covering {@code agents}. */
  static int blocks(int agents, int blockAgents) {
    return (agents + blockAgents - 1) / blockAgents;
  }

  /** Keys [start, start + n) into the block's key row; padding lanes get key 0. */
  static void copyKeys(int[] keys, int[] to, int start, int n, int bl) {
    System.arraycopy(keys, start, to, 0, n);
    Arrays.fill(to, n, bl, 0);
  }

  /**
   * Element rows [e*b + start, +n) of a batch array of {@code b} agents into rows [e*bl, +bl) of a
   * scratch row set (pad = 0).
   */
  static void copyRows(float[] from, float[] to, int b, int bl, int start, int n) {
    for (int e = 0; e < from.length / b; e++) {
      System.arraycopy(from, e * b + start, to, e * bl, n);
      Arrays.fill(to, e * bl + n, e * bl + bl, 0f);
    }
  }

  /** The reverse of {@link #copyRows}: the n real lanes of each scratch row back into the batch array. */
  static void copyRowsBack(float[] from, float[] to, int b, int bl, int start, int n) {
    for (int e = 0; e < to.length / b; e++) {
      System.arraycopy(from, e * bl, to, e * b + start, n);
    }
  }

  /**
   * {@code scratch} grown to {@code threads} entries, new ones made by {@code make}; call only when it
   * is too short (the caller's lambda is then the only allocation besides the new scratch).
   */
  static <T> T[] grow(T[] scratch, int threads, IntFunction<T> make) {
    T[] grown = Arrays.copyOf(scratch, threads);
    for (int t = scratch.length; t < grown.length; t++) {
      grown[t] = make.apply(t);
    }
    return grown;
  }
}
