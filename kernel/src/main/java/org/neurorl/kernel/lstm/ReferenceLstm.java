package org.neurorl.kernel.lstm;

import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;

/**
 * The LSTM step of MODELS.md §2 transcribed literally in float64 with plain loops: the yardstick the
 * fast kernel is tested against. It runs on the caller's thread (the pool is accepted and unused:
 * the reference is about being obviously right, not fast).
 */
public final class ReferenceLstm implements LstmKernel {

  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public LstmState newState(LstmParams params, int batch) {
    return new State(params, batch);
  }

  /** Float64 h and c, B×N agent-major each. */
  static final class State extends LstmState {
    final double[] h;
    final double[] c;
    final double[] gates; // one agent's 4N pre-activations (scratch)

    State(LstmParams params, int batch) {
      super(params, batch);
      h = new double[batch * params.hidden()];
      c = new double[batch * params.hidden()];
      gates = new double[4 * params.hidden()];
    }

    @Override
    public long bytesPerAgent() {
      return 2L * hidden() * Double.BYTES;
    }

    @Override
    protected void read(double[] hOut, double[] cOut) {
      if (hOut != null) {
        System.arraycopy(h, 0, hOut, 0, h.length);
      }
      if (cOut != null) {
        System.arraycopy(c, 0, cOut, 0, c.length);
      }
    }

    @Override
    protected void write(double[] hIn, double[] cIn) {
      System.arraycopy(hIn, 0, h, 0, h.length);
      System.arraycopy(cIn, 0, c, 0, c.length);
    }

    @Override
    protected void zero(int agent) {
      int n = hidden();
      java.util.Arrays.fill(h, agent * n, agent * n + n, 0);
      java.util.Arrays.fill(c, agent * n, agent * n + n, 0);
    }
  }

  @Override
  public void step(LstmParams p, LstmState state, float[] x, float[] logits, float[] values, Parallel pool,
      LstmTrace trace) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("state = " + state + "; allowed: a state made by ReferenceLstm.newState");
    }
    s.checkStep(p, x, logits, values, pool, trace);
    int in = p.inputs(), n = p.hidden(), na = p.actions();
    float[] wx = p.inputWeights(), wh = p.recurrentWeights(), b = p.gateBias();
    double[] z = s.gates;
    for (int a = 0; a < s.batch(); a++) {
      // [i; f; g; o] = Wx x + Wh h + b, from the previous h of this agent
      for (int r = 0; r < 4 * n; r++) {
        double sum = b[r];
        for (int k = 0; k < in; k++) {
          sum += (double) wx[r * in + k] * x[a * in + k];
        }
        for (int k = 0; k < n; k++) {
          sum += (double) wh[r * n + k] * s.h[a * n + k];
        }
        z[r] = sum;
      }
      for (int u = 0; u < n; u++) {
        double i = sigmoid(z[u]);
        double f = sigmoid(z[n + u]);
        double g = Math.tanh(z[2 * n + u]);
        double o = sigmoid(z[3 * n + u]);
        double c = f * s.c[a * n + u] + i * g;
        double h = o * Math.tanh(c);
        s.c[a * n + u] = c;
        s.h[a * n + u] = h;
        if (trace != null) {
          trace.gates()[4 * n * a + u] = (float) i;
          trace.gates()[4 * n * a + n + u] = (float) f;
          trace.gates()[4 * n * a + 2 * n + u] = (float) g;
          trace.gates()[4 * n * a + 3 * n + u] = (float) o;
          trace.cell()[a * n + u] = (float) c;
          trace.hiddenState()[a * n + u] = (float) h;
        }
        if (!Double.isFinite(c)) {
          throw new NumericalBlowUpException("c", a, s.steps(), c);
        }
        if (!Double.isFinite(h)) {
          throw new NumericalBlowUpException("h", a, s.steps(), h);
        }
      }
      // logits = Wπ h + bπ, value = wv · h + bv
      for (int act = 0; act < na; act++) {
        double sum = p.policyBias()[act];
        for (int u = 0; u < n; u++) {
          sum += (double) p.policyWeights()[act * n + u] * s.h[a * n + u];
        }
        logits[a * na + act] = (float) sum;
        if (!Float.isFinite(logits[a * na + act])) {
          throw new NumericalBlowUpException("logits[" + act + "]", a, s.steps(), sum);
        }
      }
      double v = p.valueBias();
      for (int u = 0; u < n; u++) {
        v += (double) p.valueWeights()[u] * s.h[a * n + u];
      }
      values[a] = (float) v;
      if (!Float.isFinite(values[a])) {
        throw new NumericalBlowUpException("value", a, s.steps(), v);
      }
    }
    s.advance();
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
