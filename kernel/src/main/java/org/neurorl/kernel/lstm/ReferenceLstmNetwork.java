package org.neurorl.kernel.lstm;

import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RolloutChecks;

/**
 * The LSTM network of MODELS.md §2 and its exact backward pass through time, transcribed literally in
 * float64 with plain loops: the yardstick for the fast network, and (through {@link #beginDouble}) the
 * subject of the finite-difference gradient checks. It runs on the caller's thread.
 *
 * <p>Forward, per agent and step (σ logistic, gate rows stacked i, f, g, o):
 *
 * <pre>
 *   z = Wx x_t + Wh h_{t−1} + b;  i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g;   h_t = o ⊙ tanh(c_t)
 *   logits_t = Wpi h_t + bpi;   value_t = wv · h_t + bv
 * </pre>
 *
 * Backward, from t = T−1 down to 0, with δh and δc carried from step t+1 (zero after the last step):
 *
 * <pre>
 *   δh   = δh_{t+1→t} + Wpiᵀ δlogits_t + wv δvalue_t
 *   δc   = δc_{t+1→t} + δh ⊙ o ⊙ (1 − tanh²c_t)
 *   δz_i = δc ⊙ g ⊙ i(1−i);  δz_f = δc ⊙ c_{t−1} ⊙ f(1−f);  δz_g = δc ⊙ i ⊙ (1−g²);  δz_o = δh ⊙ tanh c_t ⊙ o(1−o)
 *   δWx += δz x_tᵀ;  δWh += δz h_{t−1}ᵀ;  δb += δz;  δWpi += δlogits_t h_tᵀ;  δbpi += δlogits_t;  δwv += δvalue_t h_t;  δbv += δvalue_t
 *   δh_{t→t−1} = Whᵀ δz;  δc_{t→t−1} = δc ⊙ f
 * </pre>
 */
public final class ReferenceLstmNetwork implements LstmNetwork {
  private final int inputs;
  private final int hidden;
  private final int actions;
  private final ParameterLayout layout;

  public ReferenceLstmNetwork(int inputs, int hidden, int actions) {
    this.layout = LstmNetwork.layout(inputs, hidden, actions);
    this.inputs = inputs;
    this.hidden = hidden;
    this.actions = actions;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public int hidden() {
    return hidden;
  }

  @Override
  public int actions() {
    return actions;
  }

  @Override
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool) {
    RolloutChecks.parameters(layout, parameters);
    LstmRolloutChecks.sizes(hidden, inputs, batch, maxSteps, pool);
    double[] theta = new double[parameters.length];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = parameters[i];
    }
    return new FloatRollout(new DoubleRollout(theta, batch, maxSteps));
  }

  /**
   * Starts a float64 rollout: the entry point of finite-difference tests, which perturb one parameter by
   * a few 1e-6 and need the forward pass free of float32 rounding.
   */
  public DoubleRollout beginDouble(double[] parameters, int batch, int maxSteps) {
    RolloutChecks.parameters(layout, parameters);
    LstmRolloutChecks.sizes(hidden, inputs, batch, maxSteps, Parallel.serial());
    return new DoubleRollout(parameters.clone(), batch, maxSteps);
  }

  /** The float32 interface over a {@link DoubleRollout}: inputs widened, outputs and gradient rounded. */
  private final class FloatRollout implements Rollout {
    private final DoubleRollout r;
    private final double[] x;
    private final double[] logits;
    private final double[] values;

    FloatRollout(DoubleRollout r) {
      this.r = r;
      this.x = new double[r.batch * inputs];
      this.logits = new double[r.batch * actions];
      this.values = new double[r.batch];
    }

    @Override
    public int batch() {
      return r.batch;
    }

    @Override
    public int steps() {
      return r.steps;
    }

    @Override
    public void step(float[] xIn, float[] logitsOut, float[] valuesOut) {
      RolloutChecks.canStep(r.closed, r.steps, r.maxSteps);
      RolloutChecks.exactLength("x", xIn, (long) r.batch * inputs);
      RolloutChecks.exactLength("logits", logitsOut, (long) r.batch * actions);
      RolloutChecks.exactLength("values", valuesOut, r.batch);
      for (int k = 0; k < x.length; k++) {
        x[k] = xIn[k];
      }
      r.step(x, logits, values);
      for (int k = 0; k < logits.length; k++) {
        logitsOut[k] = (float) logits[k];
      }
      for (int a = 0; a < values.length; a++) {
        valuesOut[a] = (float) values[a];
      }
    }

    @Override
    public float[] hidden(int t) {
      double[] h = r.hidden(t);
      float[] out = new float[h.length];
      for (int k = 0; k < h.length; k++) {
        out[k] = (float) h[k];
      }
      return out;
    }

    @Override
    public void backward(float[] dLogits, float[] dValues, float[] gradient) {
      RolloutChecks.open(r.closed);
      RolloutChecks.derivatives("dLogits", dLogits, r.steps, r.batch, actions);
      RolloutChecks.derivatives("dValues", dValues, r.steps, r.batch, 1);
      RolloutChecks.exactLength("gradient", gradient, layout.size());
      double[] dl = new double[dLogits.length];
      double[] dv = new double[dValues.length];
      for (int k = 0; k < dl.length; k++) {
        dl[k] = dLogits[k];
      }
      for (int k = 0; k < dv.length; k++) {
        dv[k] = dValues[k];
      }
      double[] g = new double[gradient.length];
      r.backward(dl, dv, g);
      for (int k = 0; k < g.length; k++) {
        gradient[k] = (float) (gradient[k] + g[k]);
      }
    }

    @Override
    public void close() {
      r.close();
    }
  }

  /** A float64 rollout: every step's inputs, gate activations, cell and hidden vectors kept in full. */
  public final class DoubleRollout implements AutoCloseable {
    private final double[] theta;
    private final int batch;
    private final int maxSteps;
    private final int wx;
    private final int wh;
    private final int b;
    private final int wpi;
    private final int bpi;
    private final int wv;
    private final int bv;
    /** Per step t: x_t (B×I), gates i, f, g, o after their nonlinearity (B×4N), c_t and h_t (B×N). */
    private final double[] xs;
    private final double[] gates;
    private final double[] cells;
    private final double[] hs;
    private final double[] z;
    private int steps;
    private boolean closed;

    DoubleRollout(double[] theta, int batch, int maxSteps) {
      this.theta = theta;
      this.batch = batch;
      this.maxSteps = maxSteps;
      this.wx = layout.tensor("Wx").offset();
      this.wh = layout.tensor("Wh").offset();
      this.b = layout.tensor("b").offset();
      this.wpi = layout.tensor("Wpi").offset();
      this.bpi = layout.tensor("bpi").offset();
      this.wv = layout.tensor("wv").offset();
      this.bv = layout.tensor("bv").offset();
      this.xs = new double[maxSteps * batch * inputs];
      this.gates = new double[maxSteps * batch * 4 * hidden];
      this.cells = new double[maxSteps * batch * hidden];
      this.hs = new double[maxSteps * batch * hidden];
      this.z = new double[4 * hidden];
    }

    public int batch() {
      return batch;
    }

    public int steps() {
      return steps;
    }

    /** Advances every agent one step: {@code x} B×I in, {@code logits} B×A and {@code values} B out. */
    public void step(double[] x, double[] logits, double[] values) {
      RolloutChecks.canStep(closed, steps, maxSteps);
      RolloutChecks.exactLength("x", x, (long) batch * inputs);
      RolloutChecks.exactLength("logits", logits, (long) batch * actions);
      RolloutChecks.exactLength("values", values, batch);
      int n = hidden, t = steps;
      System.arraycopy(x, 0, xs, t * batch * inputs, batch * inputs);
      for (int a = 0; a < batch; a++) {
        int xAt = (t * batch + a) * inputs;
        int hAt = (t * batch + a) * n;
        int prevAt = ((t - 1) * batch + a) * n; // only read when t > 0
        for (int r = 0; r < 4 * n; r++) {
          double sum = theta[b + r];
          for (int k = 0; k < inputs; k++) {
            sum += theta[wx + r * inputs + k] * xs[xAt + k];
          }
          if (t > 0) {
            for (int k = 0; k < n; k++) {
              sum += theta[wh + r * n + k] * hs[prevAt + k];
            }
          }
          z[r] = sum;
        }
        int gAt = (t * batch + a) * 4 * n;
        for (int u = 0; u < n; u++) {
          double i = sigmoid(z[u]);
          double f = sigmoid(z[n + u]);
          double g = Math.tanh(z[2 * n + u]);
          double o = sigmoid(z[3 * n + u]);
          double cPrev = t > 0 ? cells[prevAt + u] : 0;
          double c = f * cPrev + i * g;
          double h = o * Math.tanh(c);
          gates[gAt + u] = i;
          gates[gAt + n + u] = f;
          gates[gAt + 2 * n + u] = g;
          gates[gAt + 3 * n + u] = o;
          cells[hAt + u] = c;
          hs[hAt + u] = h;
          if (!Double.isFinite(c)) {
            throw new NumericalBlowUpException("c", a, t, c);
          }
          if (!Double.isFinite(h)) {
            throw new NumericalBlowUpException("h", a, t, h);
          }
        }
        for (int k = 0; k < actions; k++) {
          double sum = theta[bpi + k];
          for (int u = 0; u < n; u++) {
            sum += theta[wpi + k * n + u] * hs[hAt + u];
          }
          logits[a * actions + k] = sum;
          if (!Double.isFinite(sum) || !Float.isFinite((float) sum)) {
            throw new NumericalBlowUpException("logits[" + k + "]", a, t, sum);
          }
        }
        double v = theta[bv];
        for (int u = 0; u < n; u++) {
          v += theta[wv + u] * hs[hAt + u];
        }
        values[a] = v;
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
          throw new NumericalBlowUpException("value", a, t, v);
        }
      }
      steps++;
    }

    /** h after step {@code t}, B×N agent-major (a copy). */
    public double[] hidden(int t) {
      RolloutChecks.recordedStep(closed, t, steps);
      double[] h = new double[batch * hidden];
      System.arraycopy(hs, t * batch * hidden, h, 0, h.length);
      return h;
    }

    /**
     * Adds dLoss/dθ to {@code gradient} given dLoss/dlogits ({@code T×B×A}) and dLoss/dvalues
     * ({@code T×B}) for the {@code T = steps()} recorded steps.
     */
    public void backward(double[] dLogits, double[] dValues, double[] gradient) {
      RolloutChecks.open(closed);
      RolloutChecks.derivatives("dLogits", dLogits, steps, batch, actions);
      RolloutChecks.derivatives("dValues", dValues, steps, batch, 1);
      RolloutChecks.exactLength("gradient", gradient, layout.size());
      int n = hidden;
      double[] dh = new double[n];
      double[] dz = new double[4 * n];
      // δh and δc flowing from step t+1 back into step t, per agent
      double[] dhNext = new double[batch * n];
      double[] dcNext = new double[batch * n];
      for (int t = steps - 1; t >= 0; t--) {
        for (int a = 0; a < batch; a++) {
          int hAt = (t * batch + a) * n;
          int prevAt = ((t - 1) * batch + a) * n;
          int gAt = (t * batch + a) * 4 * n;
          int xAt = (t * batch + a) * inputs;
          int dlAt = (t * batch + a) * actions;
          double dvalue = dValues[t * batch + a];
          // heads
          for (int u = 0; u < n; u++) {
            double s = dhNext[a * n + u] + theta[wv + u] * dvalue;
            for (int k = 0; k < actions; k++) {
              s += theta[wpi + k * n + u] * dLogits[dlAt + k];
            }
            dh[u] = s;
          }
          for (int k = 0; k < actions; k++) {
            for (int u = 0; u < n; u++) {
              gradient[wpi + k * n + u] += dLogits[dlAt + k] * hs[hAt + u];
            }
            gradient[bpi + k] += dLogits[dlAt + k];
          }
          for (int u = 0; u < n; u++) {
            gradient[wv + u] += dvalue * hs[hAt + u];
          }
          gradient[bv] += dvalue;
          // cell and gates
          for (int u = 0; u < n; u++) {
            double i = gates[gAt + u];
            double f = gates[gAt + n + u];
            double g = gates[gAt + 2 * n + u];
            double o = gates[gAt + 3 * n + u];
            double tc = Math.tanh(cells[hAt + u]);
            double cPrev = t > 0 ? cells[prevAt + u] : 0;
            double dc = dcNext[a * n + u] + dh[u] * o * (1 - tc * tc);
            dz[u] = dc * g * i * (1 - i);
            dz[n + u] = dc * cPrev * f * (1 - f);
            dz[2 * n + u] = dc * i * (1 - g * g);
            dz[3 * n + u] = dh[u] * tc * o * (1 - o);
            dcNext[a * n + u] = dc * f;
          }
          // weights and the recurrence
          for (int r = 0; r < 4 * n; r++) {
            for (int k = 0; k < inputs; k++) {
              gradient[wx + r * inputs + k] += dz[r] * xs[xAt + k];
            }
            if (t > 0) {
              for (int k = 0; k < n; k++) {
                gradient[wh + r * n + k] += dz[r] * hs[prevAt + k];
              }
            }
            gradient[b + r] += dz[r];
          }
          for (int k = 0; k < n; k++) {
            double s = 0;
            for (int r = 0; r < 4 * n; r++) {
              s += theta[wh + r * n + k] * dz[r];
            }
            dhNext[a * n + k] = s;
          }
        }
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Override
  public String toString() {
    return "ReferenceLstmNetwork[inputs=" + inputs + ", hidden=" + hidden + ", actions=" + actions + "]";
  }
}
