package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Parallel;

/** Float64 latent Q-learning, a literal transcription of MODELS.md §3 with plain loops. */
public final class ReferenceLatentQ implements LatentQKernel {
  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public QBatch newBatch(int agents, int states, int latent, int actions, QParams params, long seed,
      long firstAgentIndex) {
    return new ReferenceQBatch(QBatch.Model.LATENT, agents, states, latent, actions, params, seed, firstAgentIndex);
  }

  @Override
  public void run(QBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    ReferenceQBatch rb = ReferenceQBatch.forRun(batch, QBatch.Model.LATENT, trials, actionsOut, rewardsOut);
    ReferenceQTrials.run(rb, trials, parallel, actionsOut, rewardsOut, ReferenceLatentQ::play);
  }

  @Override
  public void runRegretSums(QBatch batch, int trials, Parallel parallel, double[] sum, double[] sumSquares) {
    ReferenceQBatch rb = ReferenceQBatch.forRun(batch, QBatch.Model.LATENT, trials, null, null);
    QBatch.checkSums(trials, sum, sumSquares);
    ReferenceQTrials.run(rb, trials, parallel, null, null, sum, sumSquares, ReferenceLatentQ::play);
  }

  private static void play(ReferenceQBatch batch, int i, int first, int trials, int[] actionsOut,
      float[] rewardsOut, double[] curve) {
    int b = batch.agents(), kk = batch.latent(), aa = batch.actions(), episode = batch.episode();
    double eta = batch.params().learningRate();
    double[] w = batch.w, qm = batch.q;
    double[] z = new double[kk];
    double[] q = new double[aa];
    for (int t = first; t < first + trials; t++) {
      int key = batch.keys[i];
      int s = ReferenceQTrials.cue(batch, key, episode, t);
      for (int k = 0; k < kk; k++) {
        z[k] = w[(s * kk + k) * b + i];
      }
      for (int a = 0; a < aa; a++) {
        double sum = 0;
        for (int k = 0; k < kk; k++) {
          sum += z[k] * qm[(k * aa + a) * b + i];
        }
        q[a] = sum;
      }
      int a = ReferenceQTrials.choose(batch.params(), q, aa, key, episode, t);
      double r = ReferenceQTrials.reward(batch, i, s, a, episode, t);
      double delta = r - q[a]; // target r + γ·max q(s') with γ = 0 on a bandit trial
      for (int k = 0; k < kk; k++) {
        double qOld = qm[(k * aa + a) * b + i];
        qm[(k * aa + a) * b + i] = qOld + eta * delta * z[k];
        w[(s * kk + k) * b + i] = z[k] + eta * delta * qOld;
      }
      if (actionsOut != null) {
        actionsOut[t * b + i] = a;
      }
      if (rewardsOut != null) {
        rewardsOut[t * b + i] = (float) r;
      }
      ReferenceQTrials.addRegret(batch, i, curve, t - first);
    }
  }
}
