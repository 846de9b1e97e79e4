package org.neurorl.meta;

import java.util.Arrays;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * TEST DOUBLE: a small Elman network {@code h_t = tanh(Wx x_t + (Wh + alpha) h_{t-1} + b)},
 * {@code logits = Wpi h_t + bpi}, {@code v = wv · h_t + bv}, standing in for the LSTM and plastic networks
 * of the kernel packages so the evaluation code is tested on its own. It has a tensor named
 * {@code alpha} (added to the recurrent weights) so "plasticity off" has a visible effect. The backward
 * pass is plain BPTT, present because the interface asks for it; the evaluation tests do not train.
 */
final class TinyRnn implements RecurrentNetwork {
  private final int inputs;
  private final int n;
  private final ParameterLayout layout;

  TinyRnn(int inputs, int hidden) {
    this.inputs = inputs;
    this.n = hidden;
    this.layout = ParameterLayout.builder().add("Wx", n, inputs).add("Wh", n, n).add("alpha", n, n).add("b", n)
        .add("Wpi", 2, n).add("bpi", 2).add("wv", n).add("bv", 1).build();
  }

  @Override
  public String name() {
    return "tiny-rnn";
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public int hidden() {
    return n;
  }

  @Override
  public int actions() {
    return 2;
  }

  @Override
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public String implementation() {
    return "reference";
  }

  /** Parameters with every weight uniform in ±scale (deterministic in {@code seed}). */
  float[] random(float scale, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] p = new float[layout.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (2 * r.nextFloat() - 1) * scale;
    }
    return p;
  }

  @Override
  public Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool) {
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("parameters.length = " + parameters.length + "; allowed: " + layout.size());
    }
    float[] p = parameters.clone();
    return new Rollout() {
      final float[][] xs = new float[maxSteps][];
      final float[][] hs = new float[maxSteps + 1][];
      int steps;

      {
        hs[0] = new float[batch * n];
      }

      @Override
      public int batch() {
        return batch;
      }

      @Override
      public int steps() {
        return steps;
      }

      private int off(String name) {
        return layout.tensor(name).offset();
      }

      @Override
      public void step(float[] x, float[] logits, float[] values) {
        if (steps >= maxSteps) {
          throw new IllegalStateException("maxSteps = " + maxSteps + " reached");
        }
        float[] prev = hs[steps];
        float[] h = new float[batch * n];
        int wx = off("Wx"), wh = off("Wh"), al = off("alpha"), b = off("b");
        int wpi = off("Wpi"), bpi = off("bpi"), wv = off("wv"), bv = off("bv");
        for (int s = 0; s < batch; s++) {
          for (int i = 0; i < n; i++) {
            double a = p[b + i];
            for (int j = 0; j < inputs; j++) {
              a += p[wx + i * inputs + j] * x[s * inputs + j];
            }
            for (int j = 0; j < n; j++) {
              a += (p[wh + i * n + j] + p[al + i * n + j]) * prev[s * n + j];
            }
            h[s * n + i] = (float) Math.tanh(a);
          }
          for (int k = 0; k < 2; k++) {
            double l = p[bpi + k];
            for (int i = 0; i < n; i++) {
              l += p[wpi + k * n + i] * h[s * n + i];
            }
            logits[s * 2 + k] = (float) l;
          }
          double v = p[bv];
          for (int i = 0; i < n; i++) {
            v += p[wv + i] * h[s * n + i];
          }
          values[s] = (float) v;
        }
        xs[steps] = x.clone();
        hs[++steps] = h;
      }

      @Override
      public float[] hidden(int t) {
        return hs[t + 1].clone();
      }

      @Override
      public void backward(float[] dLogits, float[] dValues, float[] g) {
        int wx = off("Wx"), wh = off("Wh"), al = off("alpha"), b = off("b");
        int wpi = off("Wpi"), bpi = off("bpi"), wv = off("wv"), bv = off("bv");
        double[] dhNext = new double[batch * n];
        for (int t = steps - 1; t >= 0; t--) {
          float[] h = hs[t + 1];
          float[] prev = hs[t];
          double[] dh = dhNext.clone();
          Arrays.fill(dhNext, 0);
          for (int s = 0; s < batch; s++) {
            for (int k = 0; k < 2; k++) {
              double d = dLogits[(t * batch + s) * 2 + k];
              g[bpi + k] += (float) d;
              for (int i = 0; i < n; i++) {
                g[wpi + k * n + i] += (float) (d * h[s * n + i]);
                dh[s * n + i] += d * p[wpi + k * n + i];
              }
            }
            double dv = dValues[t * batch + s];
            g[bv] += (float) dv;
            for (int i = 0; i < n; i++) {
              g[wv + i] += (float) (dv * h[s * n + i]);
              dh[s * n + i] += dv * p[wv + i];
            }
            for (int i = 0; i < n; i++) {
              double da = dh[s * n + i] * (1 - (double) h[s * n + i] * h[s * n + i]);
              g[b + i] += (float) da;
              for (int j = 0; j < inputs; j++) {
                g[wx + i * inputs + j] += (float) (da * xs[t][s * inputs + j]);
              }
              for (int j = 0; j < n; j++) {
                g[wh + i * n + j] += (float) (da * prev[s * n + j]);
                g[al + i * n + j] += (float) (da * prev[s * n + j]);
                dhNext[s * n + j] += da * (p[wh + i * n + j] + p[al + i * n + j]);
              }
            }
          }
        }
      }
    };
  }
}
