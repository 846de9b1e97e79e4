package org.neurorl.kernel.qlearn;

import org.neurorl.kernel.Rng;

/** The float64 state of the reference kernels (same layout as {@link QBatch} documents). */
public final class ReferenceQBatch extends QBatch {
  /** W (latent only), [(s*K + k)*B + i]. */
  final double[] w;
  /** Q: latent [(k*A + a)*B + i], tabular [(s*A + a)*B + i]. */
  final double[] q;
  final double[] regret;
  final double[] rewardSum;
  final double[] suboptimal;

  ReferenceQBatch(Model model, int agents, int states, int latent, int actions, QParams params, long seed,
      long firstAgentIndex) {
    super(model, agents, states, latent, actions, params, seed, firstAgentIndex);
    w = new double[weightsLength()];
    q = new double[valuesLength()];
    regret = new double[agents];
    rewardSum = new double[agents];
    suboptimal = new double[agents];
    reset(0);
  }

  @Override
  protected void initialise() {
    int b = agents();
    double sigma = params().initScale();
    int wRows = w.length / b;
    for (int i = 0; i < b; i++) {
      for (int e = 0; e < wRows; e++) {
        w[e * b + i] = sigma * (2.0 * Rng.uniform(keys[i], initCounter(episode(), e)) - 1.0);
      }
      for (int e = 0; e < q.length / b; e++) {
        q[e * b + i] = sigma * (2.0 * Rng.uniform(keys[i], initCounter(episode(), wRows + e)) - 1.0);
      }
      regret[i] = 0;
      rewardSum[i] = 0;
      suboptimal[i] = 0;
    }
  }

  @Override
  public long stateBytes() {
    return 8L * (w.length + q.length + 3L * agents()) + 4L * (rewardProbabilities.length + keys.length);
  }

  @Override
  public void weights(double[] out) {
    requireLatent();
    checkOut("out", out, w.length);
    System.arraycopy(w, 0, out, 0, w.length);
  }

  @Override
  public void values(double[] out) {
    checkOut("out", out, q.length);
    System.arraycopy(q, 0, out, 0, q.length);
  }

  @Override
  public void setWeights(double[] values) {
    requireLatent();
    checkFinite("weights", values, w.length);
    System.arraycopy(values, 0, w, 0, w.length);
  }

  @Override
  public void setValues(double[] values) {
    checkFinite("values", values, q.length);
    System.arraycopy(values, 0, q, 0, q.length);
  }

  @Override
  public void actionValues(double[] out) {
    int b = agents(), s = states(), k = latent(), a = actions();
    checkOut("out", out, s * a * b);
    if (model() == Model.TABULAR) {
      System.arraycopy(q, 0, out, 0, q.length);
      return;
    }
    for (int i = 0; i < b; i++) {
      for (int si = 0; si < s; si++) {
        for (int ai = 0; ai < a; ai++) {
          double sum = 0;
          for (int ki = 0; ki < k; ki++) {
            sum += w[(si * k + ki) * b + i] * q[(ki * a + ai) * b + i];
          }
          out[(si * a + ai) * b + i] = sum;
        }
      }
    }
  }

  @Override
  public void cumulativeRegret(double[] out) {
    checkOut("out", out, agents());
    System.arraycopy(regret, 0, out, 0, agents());
  }

  @Override
  public void rewardSums(double[] out) {
    checkOut("out", out, agents());
    System.arraycopy(rewardSum, 0, out, 0, agents());
  }

  @Override
  public void suboptimalPulls(double[] out) {
    checkOut("out", out, agents());
    System.arraycopy(suboptimal, 0, out, 0, agents());
  }

  /**
   * The reference batch behind {@code batch}, checked for a run of {@code model} (trials, record arrays);
   * refused when another kernel made it.
   */
  static ReferenceQBatch forRun(QBatch batch, Model model, int trials, int[] actionsOut, float[] rewardsOut) {
    if (!(batch instanceof ReferenceQBatch rb)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by this kernel");
    }
    rb.checkRun(model, trials, actionsOut, rewardsOut);
    return rb;
  }

  private void requireLatent() {
    if (model() != Model.LATENT) {
      throw new IllegalStateException("the tabular model has no weights W");
    }
  }
}
