package org.neurorl.kernel.simd;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;

/**
 * The plain two-armed bandit (S = 1, A = 2), the main job: per trial, the draws pass of
 * {@link QSimdPasses} and then one fused pass (action values, action, bandit, update) instead of four.
 * Every lane computes exactly the float operations of the general passes in the same order, so results
 * are identical; only loads, stores and loop overheads between passes are saved.
 *
 * <p>Each of the four (model × policy) steps is written out in full, with no helper that takes or
 * returns a vector: a helper C2 declines to inline (it did, for a shared one) boxes its vectors.
 *
 * <p>Why not all trials of one vector in registers: with the hash, exp and update in one loop nest the
 * method exceeded C2's inlining budget (NodeCountInliningCutoff), exp and the hash were not inlined,
 * and every vector was boxed (about 15 B of garbage per agent-trial). The draws stay in their own pass.
 */
final class QTwoArm {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();

  private QTwoArm() {}

  /** Trials of one block of the latent or tabular model. */
  static void play(QSimdBatch batch, QSimdBatch.Scratch sc, int first, int trials, int start, int n,
      int[] actionsOut, float[] rewardsOut, double[] curve, int curveOff) {
    int bl = batch.blockAgents, ep = batch.episode(), b = batch.agents(), k = batch.latent();
    QParams params = batch.params();
    boolean greedy = params.policy() == QParams.Policy.EPSILON_GREEDY;
    boolean latent = batch.model() == QBatch.Model.LATENT;
    float eta = params.learningRate();
    for (int t = first; t < first + trials; t++) {
      QSimdPasses.uniforms(sc.keys, sc.uAct, sc.uRew, bl, QBatch.trialCounter(ep, t, QBatch.DRAW_ACTION) * Rng.GOLDEN32,
          QBatch.trialCounter(ep, t, QBatch.DRAW_REWARD) * Rng.GOLDEN32);
      if (greedy) {
        QSimdPasses.indices(sc.keys, sc.arm, bl, QBatch.trialCounter(ep, t, QBatch.DRAW_ARM) * Rng.GOLDEN32, 2);
      }
      if (latent && greedy) {
        latentGreedyStep(sc, bl, k, eta, params.epsilon());
      } else if (latent) {
        latentSoftmaxStep(sc, bl, k, eta, params.inverseTemperature());
      } else if (greedy) {
        tabularGreedyStep(sc, bl, eta, params.epsilon());
      } else {
        tabularSoftmaxStep(sc, bl, eta, params.inverseTemperature());
      }
      if (actionsOut != null || rewardsOut != null) {
        QSimdPasses.record(sc.act, sc.reward, actionsOut, rewardsOut, t * b + start, n);
      }
      if (curve != null) {
        QSimdPasses.regretSums(sc.regret, bl, sc.lanes, curve, curveOff + 2 * (t - first));
      }
    }
  }

  /** Latent, softmax: q = zQ, a = 1 when u·(1 + e^{β(q0 − q1)}) < 1, Q[:,a] += ηδz, W += ηδ Q_old[:,a]. */
  private static void latentSoftmaxStep(QSimdBatch.Scratch sc, int bl, int k, float eta, float beta) {
    float[] w = sc.w, qm = sc.q;
    for (int j = 0; j < bl; j += L) {
      FloatVector z0 = FloatVector.fromArray(F, w, j);
      FloatVector q0 = z0.mul(FloatVector.fromArray(F, qm, j));
      FloatVector q1 = z0.mul(FloatVector.fromArray(F, qm, bl + j));
      for (int y = 1; y < k; y++) {
        FloatVector zy = FloatVector.fromArray(F, w, y * bl + j);
        q0 = zy.fma(FloatVector.fromArray(F, qm, 2 * y * bl + j), q0);
        q1 = zy.fma(FloatVector.fromArray(F, qm, (2 * y + 1) * bl + j), q1);
      }
      FloatVector u = FloatVector.fromArray(F, sc.uAct, j);
      FloatVector e = VectorMath.exp(q0.sub(q1).mul(beta));
      VectorMask<Float> pick1 = u.fma(e, u).compare(LT, 1f);
      FloatVector chosen = FloatVector.zero(F).blend(1f, pick1);
      // bandit: p = p[a], r = [u < p], act and reward rows, accumulators
      FloatVector pa = FloatVector.fromArray(F, sc.p, j).blend(FloatVector.fromArray(F, sc.p, bl + j), pick1);
      FloatVector best = FloatVector.fromArray(F, sc.maxP, j);
      FloatVector r = FloatVector.zero(F).blend(1f, FloatVector.fromArray(F, sc.uRew, j).compare(LT, pa));
      chosen.intoArray(sc.act, j);
      r.intoArray(sc.reward, j);
      FloatVector.fromArray(F, sc.regret, j).add(best.sub(pa)).intoArray(sc.regret, j);
      FloatVector.fromArray(F, sc.rewardSum, j).add(r).intoArray(sc.rewardSum, j);
      FloatVector.fromArray(F, sc.suboptimal, j).add(1f, pa.compare(LT, best)).intoArray(sc.suboptimal, j);
      FloatVector gain = r.sub(q0.blend(q1, pick1)).mul(eta);
      VectorMask<Float> pick0 = pick1.not();
      for (int y = 0; y < k; y++) {
        FloatVector zy = FloatVector.fromArray(F, w, y * bl + j);
        FloatVector gz = gain.mul(zy);
        FloatVector qy0 = FloatVector.fromArray(F, qm, 2 * y * bl + j);
        FloatVector qy1 = FloatVector.fromArray(F, qm, (2 * y + 1) * bl + j);
        FloatVector qOld = qy0.blend(qy1, pick1);
        qy0.add(gz, pick0).intoArray(qm, 2 * y * bl + j);
        qy1.add(gz, pick1).intoArray(qm, (2 * y + 1) * bl + j);
        zy.add(gain.mul(qOld)).intoArray(w, y * bl + j);
      }
    }
  }

  /** Latent, ε-greedy. */
  private static void latentGreedyStep(QSimdBatch.Scratch sc, int bl, int k, float eta, float epsilon) {
    float[] w = sc.w, qm = sc.q;
    for (int j = 0; j < bl; j += L) {
      FloatVector z0 = FloatVector.fromArray(F, w, j);
      FloatVector q0 = z0.mul(FloatVector.fromArray(F, qm, j));
      FloatVector q1 = z0.mul(FloatVector.fromArray(F, qm, bl + j));
      for (int y = 1; y < k; y++) {
        FloatVector zy = FloatVector.fromArray(F, w, y * bl + j);
        q0 = zy.fma(FloatVector.fromArray(F, qm, 2 * y * bl + j), q0);
        q1 = zy.fma(FloatVector.fromArray(F, qm, (2 * y + 1) * bl + j), q1);
      }
      FloatVector u = FloatVector.fromArray(F, sc.uAct, j);
      FloatVector chosen = FloatVector.zero(F).blend(1f, q1.compare(GT, q0))
          .blend(FloatVector.fromArray(F, sc.arm, j), u.compare(LT, epsilon));
      VectorMask<Float> pick1 = chosen.compare(EQ, 1f);
      // bandit: p = p[a], r = [u < p], act and reward rows, accumulators
      FloatVector pa = FloatVector.fromArray(F, sc.p, j).blend(FloatVector.fromArray(F, sc.p, bl + j), pick1);
      FloatVector best = FloatVector.fromArray(F, sc.maxP, j);
      FloatVector r = FloatVector.zero(F).blend(1f, FloatVector.fromArray(F, sc.uRew, j).compare(LT, pa));
      chosen.intoArray(sc.act, j);
      r.intoArray(sc.reward, j);
      FloatVector.fromArray(F, sc.regret, j).add(best.sub(pa)).intoArray(sc.regret, j);
      FloatVector.fromArray(F, sc.rewardSum, j).add(r).intoArray(sc.rewardSum, j);
      FloatVector.fromArray(F, sc.suboptimal, j).add(1f, pa.compare(LT, best)).intoArray(sc.suboptimal, j);
      FloatVector gain = r.sub(q0.blend(q1, pick1)).mul(eta);
      VectorMask<Float> pick0 = pick1.not();
      for (int y = 0; y < k; y++) {
        FloatVector zy = FloatVector.fromArray(F, w, y * bl + j);
        FloatVector gz = gain.mul(zy);
        FloatVector qy0 = FloatVector.fromArray(F, qm, 2 * y * bl + j);
        FloatVector qy1 = FloatVector.fromArray(F, qm, (2 * y + 1) * bl + j);
        FloatVector qOld = qy0.blend(qy1, pick1);
        qy0.add(gz, pick0).intoArray(qm, 2 * y * bl + j);
        qy1.add(gz, pick1).intoArray(qm, (2 * y + 1) * bl + j);
        zy.add(gain.mul(qOld)).intoArray(w, y * bl + j);
      }
    }
  }

  /** Tabular, softmax: Q(a) += η (r − Q(a)). */
  private static void tabularSoftmaxStep(QSimdBatch.Scratch sc, int bl, float eta, float beta) {
    float[] qm = sc.q;
    for (int j = 0; j < bl; j += L) {
      FloatVector q0 = FloatVector.fromArray(F, qm, j);
      FloatVector q1 = FloatVector.fromArray(F, qm, bl + j);
      FloatVector u = FloatVector.fromArray(F, sc.uAct, j);
      FloatVector e = VectorMath.exp(q0.sub(q1).mul(beta));
      VectorMask<Float> pick1 = u.fma(e, u).compare(LT, 1f);
      FloatVector chosen = FloatVector.zero(F).blend(1f, pick1);
      // bandit: p = p[a], r = [u < p], act and reward rows, accumulators
      FloatVector pa = FloatVector.fromArray(F, sc.p, j).blend(FloatVector.fromArray(F, sc.p, bl + j), pick1);
      FloatVector best = FloatVector.fromArray(F, sc.maxP, j);
      FloatVector r = FloatVector.zero(F).blend(1f, FloatVector.fromArray(F, sc.uRew, j).compare(LT, pa));
      chosen.intoArray(sc.act, j);
      r.intoArray(sc.reward, j);
      FloatVector.fromArray(F, sc.regret, j).add(best.sub(pa)).intoArray(sc.regret, j);
      FloatVector.fromArray(F, sc.rewardSum, j).add(r).intoArray(sc.rewardSum, j);
      FloatVector.fromArray(F, sc.suboptimal, j).add(1f, pa.compare(LT, best)).intoArray(sc.suboptimal, j);
      FloatVector gain = r.sub(q0.blend(q1, pick1)).mul(eta);
      q0.add(gain, pick1.not()).intoArray(qm, j);
      q1.add(gain, pick1).intoArray(qm, bl + j);
    }
  }

  /** Tabular, ε-greedy. */
  private static void tabularGreedyStep(QSimdBatch.Scratch sc, int bl, float eta, float epsilon) {
    float[] qm = sc.q;
    for (int j = 0; j < bl; j += L) {
      FloatVector q0 = FloatVector.fromArray(F, qm, j);
      FloatVector q1 = FloatVector.fromArray(F, qm, bl + j);
      FloatVector u = FloatVector.fromArray(F, sc.uAct, j);
      FloatVector chosen = FloatVector.zero(F).blend(1f, q1.compare(GT, q0))
          .blend(FloatVector.fromArray(F, sc.arm, j), u.compare(LT, epsilon));
      VectorMask<Float> pick1 = chosen.compare(EQ, 1f);
      // bandit: p = p[a], r = [u < p], act and reward rows, accumulators
      FloatVector pa = FloatVector.fromArray(F, sc.p, j).blend(FloatVector.fromArray(F, sc.p, bl + j), pick1);
      FloatVector best = FloatVector.fromArray(F, sc.maxP, j);
      FloatVector r = FloatVector.zero(F).blend(1f, FloatVector.fromArray(F, sc.uRew, j).compare(LT, pa));
      chosen.intoArray(sc.act, j);
      r.intoArray(sc.reward, j);
      FloatVector.fromArray(F, sc.regret, j).add(best.sub(pa)).intoArray(sc.regret, j);
      FloatVector.fromArray(F, sc.rewardSum, j).add(r).intoArray(sc.rewardSum, j);
      FloatVector.fromArray(F, sc.suboptimal, j).add(1f, pa.compare(LT, best)).intoArray(sc.suboptimal, j);
      FloatVector gain = r.sub(q0.blend(q1, pick1)).mul(eta);
      q0.add(gain, pick1.not()).intoArray(qm, j);
      q1.add(gain, pick1).intoArray(qm, bl + j);
    }
  }
}
