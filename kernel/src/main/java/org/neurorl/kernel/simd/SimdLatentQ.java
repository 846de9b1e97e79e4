package org.neurorl.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;

/**
 * Float32 latent Q-learning, vectorised across agents (one lane per agent). A trial of a block is a
 * sequence of small passes over the block's scratch: draws, (cue selection of W's row), q = zQ, action,
 * bandit, update. The state of a block stays in cache for all trials of a call.
 */
public final class SimdLatentQ implements LatentQKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();
  private final int maxBlock;

  public SimdLatentQ() {
    this(QSimdBatch.MAX_BLOCK);
  }

  /** With blocks of at most {@code maxBlock} agents (a multiple of 16; results do not depend on it). */
  public SimdLatentQ(int maxBlock) {
    this.maxBlock = QTrials.checkMaxBlock(maxBlock);
  }

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed,
      long firstAgentIndex) {
    return new QSimdBatch(QBatch.Model.LATENT, agents, states, latent, actions, params, seed, firstAgentIndex,
        maxBlock);
  }

  @Override
  public void run(QBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    QSimdBatch.of(batch).run(QBatch.Model.LATENT, trials, parallel, actionsOut, rewardsOut, SimdLatentQ::block);
  }
  @Override
  public void runRegretSums(QBatch batch, int trials, Parallel parallel, double[] sum, double[] sumSquares) {
    QSimdBatch.runRegretSums(batch, QBatch.Model.LATENT, trials, parallel, sum, sumSquares, SimdLatentQ::block);
  }


  /** Trials of one block: the fused two-armed path on a plain bandit, else the general passes. */
  static void block(QSimdBatch batch, QSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut, double[] curve, int curveOff) {
    QTrials.block(batch, sc, first, trials, start, n, actionsOut, rewardsOut, curve, curveOff, SimdLatentQ::trial);
  }

  /** One trial for every lane of the block (see {@link QBatch} for the draw numbers). */
  static void trial(QSimdBatch batch, QSimdBatch.Scratch sc, int t) {
    int bl = batch.blockAgents, s = batch.states(), k = batch.latent(), a = batch.actions(), ep = batch.episode();
    QParams params = batch.params();
    boolean greedy = params.policy() == QParams.Policy.EPSILON_GREEDY;
    QTrials.draws(sc, bl, ep, t, s, a, greedy);
    float[] z = sc.w; // on a plain bandit z = W[0, :] is the whole of W
    if (s > 1) {
      QSimdPasses.selectByCue(sc.w, k, s, sc.cue, sc.z, bl);
      z = sc.z;
    }
    values(z, sc.q, sc.values, bl, k, a);
    QTrials.choose(sc, sc.values, bl, a, params, greedy);
    QTrials.bandit(sc, bl, s, a);
    if (s == 1) {
      learnPlain(sc.w, sc.q, sc.values, sc.act, sc.reward, bl, k, a, params.learningRate());
    } else {
      learnCued(sc.w, sc.q, z, sc.values, sc.act, sc.cue, sc.reward, bl, s, k, a, params.learningRate());
    }
  }

  /** q_a = Σ_k z_k Q[k, a]. */
  static void values(float[] z, float[] qm, float[] values, int bl, int k, int a) {
    for (int j = 0; j < bl; j += L) {
      for (int x = 0; x < a; x++) {
        FloatVector acc = FloatVector.fromArray(F, z, j).mul(FloatVector.fromArray(F, qm, x * bl + j));
        for (int y = 1; y < k; y++) {
          acc = FloatVector.fromArray(F, z, y * bl + j).fma(FloatVector.fromArray(F, qm, (y * a + x) * bl + j), acc);
        }
        acc.intoArray(values, x * bl + j);
      }
    }
  }

  /**
   * δ = r − q[a]; Q[:, a] += η δ z and W[0, :] += η δ Q_old[:, a] on a plain bandit (z = W[0, :]), both
   * from pre-update values: z_k is read before W[0, k] is written, and Q_old[k, a] is taken from the
   * loaded row before it is stored.
   */
  static void learnPlain(float[] w, float[] qm, float[] values, float[] act, float[] reward, int bl, int k, int a,
      float eta) {
    for (int j = 0; j < bl; j += L) {
      FloatVector chosen = FloatVector.fromArray(F, act, j);
      FloatVector qa = FloatVector.fromArray(F, values, j);
      for (int x = 1; x < a; x++) {
        qa = qa.blend(FloatVector.fromArray(F, values, x * bl + j), chosen.compare(VectorOperators.EQ, (float) x));
      }
      FloatVector g = FloatVector.fromArray(F, reward, j).sub(qa).mul(eta);
      for (int y = 0; y < k; y++) {
        FloatVector zk = FloatVector.fromArray(F, w, y * bl + j);
        FloatVector gz = g.mul(zk);
        FloatVector qOld = FloatVector.fromArray(F, qm, y * a * bl + j);
        qOld.add(gz, chosen.compare(VectorOperators.EQ, 0f)).intoArray(qm, y * a * bl + j);
        for (int x = 1; x < a; x++) {
          FloatVector qyx = FloatVector.fromArray(F, qm, (y * a + x) * bl + j);
          VectorMask<Float> m = chosen.compare(VectorOperators.EQ, (float) x);
          qOld = qOld.blend(qyx, m);
          qyx.add(gz, m).intoArray(qm, (y * a + x) * bl + j);
        }
        zk.add(g.mul(qOld)).intoArray(w, y * bl + j);
      }
    }
  }

  /** As {@link #learnPlain} with cues: z = W[s, :] was selected into {@code z}; only row s of W moves. */
  static void learnCued(float[] w, float[] qm, float[] z, float[] values, float[] act, float[] cue, float[] reward,
      int bl, int s, int k, int a, float eta) {
    for (int j = 0; j < bl; j += L) {
      FloatVector chosen = FloatVector.fromArray(F, act, j);
      FloatVector qa = FloatVector.fromArray(F, values, j);
      for (int x = 1; x < a; x++) {
        qa = qa.blend(FloatVector.fromArray(F, values, x * bl + j), chosen.compare(VectorOperators.EQ, (float) x));
      }
      FloatVector g = FloatVector.fromArray(F, reward, j).sub(qa).mul(eta);
      FloatVector c = FloatVector.fromArray(F, cue, j);
      for (int y = 0; y < k; y++) {
        FloatVector zk = FloatVector.fromArray(F, z, y * bl + j);
        FloatVector gz = g.mul(zk);
        FloatVector qOld = FloatVector.fromArray(F, qm, y * a * bl + j);
        qOld.add(gz, chosen.compare(VectorOperators.EQ, 0f)).intoArray(qm, y * a * bl + j);
        for (int x = 1; x < a; x++) {
          FloatVector qyx = FloatVector.fromArray(F, qm, (y * a + x) * bl + j);
          VectorMask<Float> m = chosen.compare(VectorOperators.EQ, (float) x);
          qOld = qOld.blend(qyx, m);
          qyx.add(gz, m).intoArray(qm, (y * a + x) * bl + j);
        }
        FloatVector gq = g.mul(qOld);
        for (int x = 0; x < s; x++) {
          int row = (x * k + y) * bl + j;
          FloatVector.fromArray(F, w, row).add(gq, c.compare(VectorOperators.EQ, (float) x)).intoArray(w, row);
        }
      }
    }
  }
}
