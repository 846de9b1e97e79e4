package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;

/** What both float64 reference kernels share: cue and action draws, the bandit, accumulators, blocks. */
final class ReferenceQTrials {
  /** Agents per block (independent of the thread count). */
  static final int BLOCK = 256;

  private ReferenceQTrials() {}

  /** ⌊m·n / 2²⁴⌋ with m the top 24 bits of draw {@code counter}: an exact uniform index in [0, n). */
  static int index(int key, int counter, int n) {
    return ((Rng.bits(key, counter) >>> 8) * n) >>> 24;
  }

  /** The cue of a trial: 0 on a plain bandit, else uniform over the S cues. */
  static int cue(QBatch batch, int key, int episode, int trial) {
    int s = batch.states();
    return s == 1 ? 0 : index(key, QBatch.trialCounter(episode, trial, QBatch.DRAW_CUE), s);
  }

  /** Draws an action from the action values {@code q[0..A-1]} (double math on the same uniforms). */
  static int choose(QParams params, double[] q, int actions, int key, int episode, int trial) {
    double u = Rng.uniform(key, QBatch.trialCounter(episode, trial, QBatch.DRAW_ACTION));
    if (params.policy() == QParams.Policy.EPSILON_GREEDY) {
      if (u < params.epsilon()) {
        return index(key, QBatch.trialCounter(episode, trial, QBatch.DRAW_ARM), actions);
      }
      int best = 0;
      for (int a = 1; a < actions; a++) {
        if (q[a] > q[best]) {
          best = a;
        }
      }
      return best;
    }
    double beta = params.inverseTemperature();
    if (actions == 2) {
      double p1 = 1.0 / (1.0 + Math.exp(-beta * (q[1] - q[0])));
      return u < p1 ? 1 : 0;
    }
    double max = q[0];
    for (int a = 1; a < actions; a++) {
      max = Math.max(max, q[a]);
    }
    double[] cumulative = new double[actions];
    double sum = 0;
    for (int a = 0; a < actions; a++) {
      sum += Math.exp(beta * (q[a] - max));
      cumulative[a] = sum;
    }
    double threshold = u * sum;
    for (int a = 0; a < actions - 1; a++) {
      if (threshold < cumulative[a]) {
        return a;
      }
    }
    return actions - 1;
  }

  /** Bernoulli reward of arm {@code a} under cue {@code s}, and the regret and pull counters. */
  static double reward(ReferenceQBatch batch, int i, int s, int a, int episode, int trial) {
    int b = batch.agents(), actions = batch.actions();
    float[] p = batch.rewardProbabilities;
    double best = 0;
    for (int x = 0; x < actions; x++) {
      best = Math.max(best, p[(s * actions + x) * b + i]);
    }
    double pa = p[(s * actions + a) * b + i];
    double u = Rng.uniform(batch.keys[i], QBatch.trialCounter(episode, trial, QBatch.DRAW_REWARD));
    double r = u < pa ? 1.0 : 0.0;
    batch.regret[i] += best - pa;
    batch.rewardSum[i] += r;
    if (pa < best) {
      batch.suboptimal[i] += 1;
    }
    return r;
  }

  /** Adds agent {@code i}'s cumulative regret after the {@code k}-th trial of a call to its block's sums. */
  static void addRegret(ReferenceQBatch batch, int i, double[] curve, int k) {
    if (curve != null) {
      double c = batch.regret[i];
      curve[2 * k] += c;
      curve[2 * k + 1] += c * c;
    }
  }

  /** The per-agent trial loop of one kernel. */
  interface AgentTrials {
    /**
     * Plays trials [first, first + trials) of the episode for agent {@code i}; adds its cumulative
     * regret after each trial to {@code curve} ({@link #addRegret}) when it is not null.
     */
    void play(ReferenceQBatch batch, int i, int first, int trials, int[] actionsOut, float[] rewardsOut,
        double[] curve);
  }

  /** Runs every agent, in blocks over the pool, then checks the state of each block for NaN/∞. */
  static void run(ReferenceQBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut,
      AgentTrials kernel) {
    run(batch, trials, parallel, actionsOut, rewardsOut, null, null, kernel);
  }

  /** As above, and the per-trial regret sums of each block, merged in block order, when asked for. */
  static void run(ReferenceQBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut,
      double[] sum, double[] sumSquares, AgentTrials kernel) {
    int b = batch.agents();
    int first = batch.trial();
    int blocks = (b + BLOCK - 1) / BLOCK;
    double[][] curves = sum == null ? null : new double[blocks][2 * trials];
    try {
      parallel.forEachBlock(blocks, (worker, block) -> {
        int end = Math.min(b, (block + 1) * BLOCK);
        double[] curve = curves == null ? null : curves[block];
        for (int i = block * BLOCK; i < end; i++) {
          kernel.play(batch, i, first, trials, actionsOut, rewardsOut, curve);
        }
        checkFinite(batch, block * BLOCK, end, first + trials);
      });
    } catch (RuntimeException e) {
      batch.markBroken();
      throw e;
    }
    if (curves != null) {
      for (double[] curve : curves) {
        for (int k = 0; k < trials; k++) {
          sum[k] += curve[2 * k];
          sumSquares[k] += curve[2 * k + 1];
        }
      }
    }
    batch.advance(trials);
  }

  private static void checkFinite(ReferenceQBatch batch, int from, int to, int trial) {
    check("W", batch.w, batch.agents(), from, to, trial);
    check("Q", batch.q, batch.agents(), from, to, trial);
  }

  private static void check(String name, double[] x, int b, int from, int to, int trial) {
    for (int e = 0; e < x.length / b; e++) {
      for (int i = from; i < to; i++) {
        double v = x[e * b + i];
        if (!Double.isFinite(v)) {
          throw new NumericalBlowUpException(name + " element " + e, i, trial, v);
        }
      }
    }
  }
}
