package org.neurorl.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;

/** Float32 tabular Q-learning, vectorised across agents; same structure as {@link SimdLatentQ}. */
public final class SimdTabularQ implements TabularQKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();
  private final int maxBlock;

  public SimdTabularQ() {
    this(QSimdBatch.MAX_BLOCK);
  }

  /** With blocks of at most {@code maxBlock} agents (a multiple of 16; results do not depend on it). */
  public SimdTabularQ(int maxBlock) {
    this.maxBlock = QTrials.checkMaxBlock(maxBlock);
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public QBatch newBatch(int agents, int states, int actions, QParams params, long seed, long firstAgentIndex) {
    return new QSimdBatch(QBatch.Model.TABULAR, agents, states, 0, actions, params, seed, firstAgentIndex, maxBlock);
  }

  @Override
  public void run(QBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    QSimdBatch.of(batch).run(QBatch.Model.TABULAR, trials, parallel, actionsOut, rewardsOut, SimdTabularQ::block);
  }
  @Override
  public void runRegretSums(QBatch batch, int trials, Parallel parallel, double[] sum, double[] sumSquares) {
    QSimdBatch.runRegretSums(batch, QBatch.Model.TABULAR, trials, parallel, sum, sumSquares, SimdTabularQ::block);
  }


  /** Trials of one block: the fused two-armed path on a plain bandit, else the general passes. */
  static void block(QSimdBatch batch, QSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut, double[] curve, int curveOff) {
    QTrials.block(batch, sc, first, trials, start, n, actionsOut, rewardsOut, curve, curveOff, SimdTabularQ::trial);
  }

  /** One trial for every lane of the block (see {@link QBatch} for the draw numbers). */
  static void trial(QSimdBatch batch, QSimdBatch.Scratch sc, int t) {
    int bl = batch.blockAgents, s = batch.states(), a = batch.actions(), ep = batch.episode();
    QParams params = batch.params();
    boolean greedy = params.policy() == QParams.Policy.EPSILON_GREEDY;
    QTrials.draws(sc, bl, ep, t, s, a, greedy);
    float[] values = sc.q; // on a plain bandit Q(0, ·) is the whole table
    if (s > 1) {
      QSimdPasses.selectByCue(sc.q, a, s, sc.cue, sc.values, bl);
      values = sc.values;
    }
    QTrials.choose(sc, values, bl, a, params, greedy);
    QTrials.bandit(sc, bl, s, a);
    if (s == 1) {
      learnPlain(sc.q, sc.act, sc.reward, bl, a, params.learningRate());
    } else {
      learnCued(sc.q, values, sc.act, sc.cue, sc.reward, bl, s, a, params.learningRate());
    }
  }

  /** Q(a) += η (r − Q(a)) for the lane's action a only (plain bandit). */
  static void learnPlain(float[] qm, float[] act, float[] reward, int bl, int a, float eta) {
    for (int j = 0; j < bl; j += L) {
      FloatVector chosen = FloatVector.fromArray(F, act, j);
      FloatVector qa = FloatVector.fromArray(F, qm, j);
      for (int x = 1; x < a; x++) {
        qa = qa.blend(FloatVector.fromArray(F, qm, x * bl + j), chosen.compare(VectorOperators.EQ, (float) x));
      }
      FloatVector g = FloatVector.fromArray(F, reward, j).sub(qa).mul(eta);
      for (int x = 0; x < a; x++) {
        FloatVector.fromArray(F, qm, x * bl + j).add(g, chosen.compare(VectorOperators.EQ, (float) x))
            .intoArray(qm, x * bl + j);
      }
    }
  }

  /** Q(s, a) += η (r − Q(s, a)) for the lane's cue s and action a only ({@code values} = Q(s, ·)). */
  static void learnCued(float[] qm, float[] values, float[] act, float[] cue, float[] reward, int bl, int s, int a,
      float eta) {
    for (int j = 0; j < bl; j += L) {
      FloatVector chosen = FloatVector.fromArray(F, act, j);
      FloatVector qa = FloatVector.fromArray(F, values, j);
      for (int x = 1; x < a; x++) {
        qa = qa.blend(FloatVector.fromArray(F, values, x * bl + j), chosen.compare(VectorOperators.EQ, (float) x));
      }
      FloatVector g = FloatVector.fromArray(F, reward, j).sub(qa).mul(eta);
      FloatVector c = FloatVector.fromArray(F, cue, j);
      for (int y = 0; y < s; y++) {
        VectorMask<Float> isCue = c.compare(VectorOperators.EQ, (float) y);
        for (int x = 0; x < a; x++) {
          int row = (y * a + x) * bl + j;
          FloatVector.fromArray(F, qm, row).add(g, isCue.and(chosen.compare(VectorOperators.EQ, (float) x)))
              .intoArray(qm, row);
        }
      }
    }
  }
}
