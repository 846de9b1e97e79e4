package org.neurorl.kernel.simd;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;

/**
 * The plain-Java steps {@link SimdTabularQ} and {@link SimdLatentQ} share: the {@code maxBlock} check,
 * the per-block trial loop with its records and regret sums, and the dispatch of a general trial's
 * draws, action choice and bandit pass to {@link QSimdPasses}. Only arrays and scalars cross these
 * methods (each vector loop stays in its own pass), so nothing here can box a vector.
 */
final class QTrials {
  private QTrials() {}

  /** One general trial of every lane of a block (the model's own learning step). */
  @FunctionalInterface
  interface Trial {
    void play(QSimdBatch batch, QSimdBatch.Scratch sc, int t);
  }

  /** {@code maxBlock} of a SIMD Q kernel: in [16, 2^16] and a multiple of 16. */
  static int checkMaxBlock(int maxBlock) {
    Checks.range("maxBlock", maxBlock, QSimdBatch.LANE_QUANTUM, 1 << 16);
    if (maxBlock % QSimdBatch.LANE_QUANTUM != 0) {
      throw new IllegalArgumentException("maxBlock = " + maxBlock + "; allowed: a multiple of 16");
    }
    return maxBlock;
  }

  /** Trials of one block: the fused two-armed path on a plain bandit, else {@code trial} per trial. */
  static void block(QSimdBatch batch, QSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut, double[] curve, int curveOff, Trial trial) {
    if (batch.states() == 1 && batch.actions() == 2) {
      QTwoArm.play(batch, sc, first, trials, start, n, actionsOut, rewardsOut, curve, curveOff);
      return;
    }
    for (int t = first; t < first + trials; t++) {
      trial.play(batch, sc, t);
      if (actionsOut != null || rewardsOut != null) {
        QSimdPasses.record(sc.act, sc.reward, actionsOut, rewardsOut, t * batch.agents() + start, n);
      }
      if (curve != null) {
        QSimdPasses.regretSums(sc.regret, batch.blockAgents, sc.lanes, curve, curveOff + 2 * (t - first));
      }
    }
  }

  /** The draws of trial {@code t}: action and reward uniforms, the cue (S > 1), the ε-arm (ε-greedy). */
  static void draws(QSimdBatch.Scratch sc, int bl, int ep, int t, int s, int a, boolean greedy) {
    QSimdPasses.uniforms(sc.keys, sc.uAct, sc.uRew, bl, QBatch.trialCounter(ep, t, QBatch.DRAW_ACTION) * Rng.GOLDEN32,
        QBatch.trialCounter(ep, t, QBatch.DRAW_REWARD) * Rng.GOLDEN32);
    if (s > 1) {
      QSimdPasses.indices(sc.keys, sc.cue, bl, QBatch.trialCounter(ep, t, QBatch.DRAW_CUE) * Rng.GOLDEN32, s);
    }
    if (greedy) {
      QSimdPasses.indices(sc.keys, sc.arm, bl, QBatch.trialCounter(ep, t, QBatch.DRAW_ARM) * Rng.GOLDEN32, a);
    }
  }

  /** The action of every lane from its values ({@code values[x*bl + j]}) under the batch's policy. */
  static void choose(QSimdBatch.Scratch sc, float[] values, int bl, int a, QParams params, boolean greedy) {
    if (greedy) {
      QSimdPasses.chooseGreedy(values, 0, bl, a, sc.uAct, sc.arm, sc.act, params.epsilon());
    } else if (a == 2) {
      QSimdPasses.chooseSoftmax2(values, 0, bl, sc.uAct, sc.act, params.inverseTemperature());
    } else {
      QSimdPasses.chooseSoftmax(values, 0, bl, a, sc.uAct, sc.cumulative, sc.act, params.inverseTemperature());
    }
  }

  /** Reward, regret, reward sum and suboptimal pulls of the chosen actions (plain or cued bandit). */
  static void bandit(QSimdBatch.Scratch sc, int bl, int s, int a) {
    if (s == 1) {
      QSimdPasses.banditPlain(sc.p, sc.maxP, sc.act, sc.uRew, sc.reward, sc.regret, sc.rewardSum, sc.suboptimal, bl, a);
    } else {
      QSimdPasses.banditCued(sc.p, sc.maxP, sc.cue, sc.act, sc.uRew, sc.reward, sc.regret, sc.rewardSum,
          sc.suboptimal, bl, s, a);
    }
  }
}
