package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Parallel;

/** Float64 tabular softmax / ε-greedy Q-learning, a literal transcription of MODELS.md §4. */
public final class ReferenceTabularQ implements TabularQKernel {
  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public QBatch newBatch(int agents, int states, int actions, QParams params, long seed, long firstAgentIndex) {
    return new ReferenceQBatch(QBatch.Model.TABULAR, agents, states, 0, actions, params, seed, firstAgentIndex);
  }

  @Override
  public void run(QBatch batch, int trials, Parallel parallel, int[] actionsOut, float[] rewardsOut) {
    ReferenceQBatch rb = ReferenceQBatch.forRun(batch, QBatch.Model.TABULAR, trials, actionsOut, rewardsOut);
    ReferenceQTrials.run(rb, trials, parallel, actionsOut, rewardsOut, ReferenceTabularQ::play);
  }

  @Override
  public void runRegretSums(QBatch batch, int trials, Parallel parallel, double[] sum, double[] sumSquares) {
    ReferenceQBatch rb = ReferenceQBatch.forRun(batch, QBatch.Model.TABULAR, trials, null, null);
    QBatch.checkSums(trials, sum, sumSquares);
    ReferenceQTrials.run(rb, trials, parallel, null, null, sum, sumSquares, ReferenceTabularQ::play);
  }

  private static void play(ReferenceQBatch batch, int i, int first, int trials, int[] actionsOut,
      float[] rewardsOut, double[] curve) {
    int b = batch.agents(), aa = batch.actions(), episode = batch.episode();
    double eta = batch.params().learningRate();
    double[] qm = batch.q;
    double[] q = new double[aa];
    for (int t = first; t < first + trials; t++) {
      int key = batch.keys[i];
      int s = ReferenceQTrials.cue(batch, key, episode, t);
      for (int a = 0; a < aa; a++) {
        q[a] = qm[(s * aa + a) * b + i];
      }
      int a = ReferenceQTrials.choose(batch.params(), q, aa, key, episode, t);
      double r = ReferenceQTrials.reward(batch, i, s, a, episode, t);
      qm[(s * aa + a) * b + i] = q[a] + eta * (r - q[a]);
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
