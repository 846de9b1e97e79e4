package org.neurorl.kernel.plastic;

import java.util.Arrays;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;

/**
 * The plastic RNN step transcribed literally from MODELS.md §1 in float64 with plain loops, in the order
 * the equations are written. It is the yardstick for {@code SimdPlasticRnn}, not a fast path: agents are
 * still spread over the pool (each agent is independent, so results do not depend on the threads).
 */
public final class ReferencePlasticRnn implements PlasticRnnKernel {
  /** Agents per parallel block (fixed, so the partition does not depend on the thread count). */
  static final int AGENT_BLOCK = 8;

  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public PlasticRnnState newState(PlasticRnnWeights weights, PlasticityRule rule, int batch) {
    PlasticRnnArguments.newState(weights, rule, batch);
    return new State(weights, rule, batch);
  }

  @Override
  public void step(PlasticRnnState state, float[] x, float[] logits, float[] values, Parallel pool) {
    PlasticRnnArguments.step(state, x, logits, values, pool);
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException("state = " + state.getClass().getName()
          + "; allowed: a state created by this ReferencePlasticRnn");
    }
    int blocks = (s.batch + AGENT_BLOCK - 1) / AGENT_BLOCK;
    pool.forEachBlock(blocks, (worker, block) -> {
      double[] hPrev = new double[s.n];
      int end = Math.min(s.batch, (block + 1) * AGENT_BLOCK);
      for (int a = block * AGENT_BLOCK; a < end; a++) {
        stepAgent(s, a, x, logits, values, hPrev);
      }
    });
    s.steps++;
  }

  private static void stepAgent(State s, int a, float[] x, float[] logits, float[] values, double[] hPrev) {
    PlasticRnnWeights p = s.weights;
    PlasticityRule r = s.rule;
    int n = s.n, in = p.inputs(), na = p.actions();
    double[] v = s.v[a], h = s.h[a], e = s.e[a], dU = s.dU[a];
    System.arraycopy(h, 0, hPrev, 0, n);
    // g_t = W x + (U + α ⊙ dU_{t−1}) h_{t−1} + b ;  z_t = σ(Wz x + Uz h_{t−1} + bz) ;  v_t ; h_t
    for (int i = 0; i < n; i++) {
      double g = p.b()[i];
      double zin = p.bz()[i];
      for (int k = 0; k < in; k++) {
        g += (double) p.w()[i * in + k] * x[a * in + k];
        zin += (double) p.wz()[i * in + k] * x[a * in + k];
      }
      for (int j = 0; j < n; j++) {
        g += ((double) p.u()[i * n + j] + (double) p.alpha()[i * n + j] * dU[i * n + j]) * hPrev[j];
        zin += (double) p.uz()[i * n + j] * hPrev[j];
      }
      double z = 1 / (1 + Math.exp(-zin));
      v[i] = (1 - z) * v[i] + z * g;
    }
    for (int i = 0; i < n; i++) {
      h[i] = Math.max(v[i], 0);
    }
    if (r.kind() == PlasticityRule.Kind.MODULATED) {
      double m = p.bM();
      for (int i = 0; i < n; i++) {
        m += (double) p.wM()[i] * h[i];
      }
      m = Math.tanh(m);
      s.modulator[a] = m;
      double te = r.traceRate(), tE = r.eligibilityRate(), tU = r.plasticRate(), c = r.clip();
      for (int i = 0; i < n; i++) {
        e[i] = (1 - te) * e[i] + te * h[i];
      }
      double[] bigE = s.bigE[a];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          bigE[i * n + j] = (1 - tE) * bigE[i * n + j] + tE * (h[i] * e[j] - e[i] * h[j]);
          dU[i * n + j] = clip((1 - tU) * dU[i * n + j] + tU * m * bigE[i * n + j], c);
        }
      }
    } else {
      double[] ep = e, em = s.eMinus[a];
      double tp = r.plusRate(), tm = r.minusRate(), ap = r.plusAmplitude(), am = r.minusAmplitude();
      double tU = r.plasticRate(), c = r.clip();
      for (int i = 0; i < n; i++) {
        ep[i] = (1 - tp) * ep[i] + tp * h[i];
        em[i] = (1 - tm) * em[i] + tm * h[i];
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          dU[i * n + j] = clip((1 - tU) * dU[i * n + j] + tU * (ap * ep[j] * h[i] - am * em[i] * h[j]), c);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      check("v", a, s.steps, v[i]);
    }
    // logits_t = Wπ h_t + bπ ; value_t = wv · h_t + bv
    for (int k = 0; k < na; k++) {
      double l = p.bPi()[k];
      for (int i = 0; i < n; i++) {
        l += (double) p.wPi()[k * n + i] * h[i];
      }
      logits[a * na + k] = (float) l;
      check("logit", a, s.steps, l);
    }
    double val = p.bv();
    for (int i = 0; i < n; i++) {
      val += (double) p.wv()[i] * h[i];
    }
    values[a] = (float) val;
    check("value", a, s.steps, val);
  }

  private static double clip(double x, double c) {
    return x > c ? c : (x < -c ? -c : x);
  }

  private static void check(String quantity, int agent, long step, double value) {
    // a float64 value can be finite and still overflow float32 on the way out
    if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
      throw new NumericalBlowUpException(quantity, agent, step, value);
    }
  }

  static final class State implements PlasticRnnState {
    final PlasticRnnWeights weights;
    final PlasticityRule rule;
    final int batch, n;
    final double[][] v, h, e, eMinus, bigE, dU;
    final double[] modulator;
    long steps;

    State(PlasticRnnWeights weights, PlasticityRule rule, int batch) {
      this.weights = weights;
      this.rule = rule;
      this.batch = batch;
      this.n = weights.hidden();
      boolean mod = rule.kind() == PlasticityRule.Kind.MODULATED;
      v = new double[batch][n];
      h = new double[batch][n];
      e = new double[batch][n];
      eMinus = mod ? null : new double[batch][n];
      bigE = mod ? new double[batch][n * n] : null;
      dU = new double[batch][n * n];
      modulator = new double[batch];
      if (!mod) {
        Arrays.fill(modulator, Double.NaN);
      }
    }

    @Override
    public int batch() {
      return batch;
    }

    @Override
    public PlasticRnnWeights weights() {
      return weights;
    }

    @Override
    public PlasticityRule rule() {
      return rule;
    }

    @Override
    public long steps() {
      return steps;
    }

    private double[] array(Quantity q, int agent) {
      return switch (q) {
        case V -> v[agent];
        case H -> h[agent];
        case TRACE -> e[agent];
        case TRACE_MINUS -> eMinus[agent];
        case ELIGIBILITY -> bigE[agent];
        case FAST_WEIGHTS -> dU[agent];
      };
    }

    @Override
    public double[] copyOut(Quantity q, int agent) {
      PlasticRnnArguments.agent(this, agent);
      PlasticRnnArguments.quantity(this, q);
      return array(q, agent).clone();
    }

    @Override
    public void copyIn(Quantity q, int agent, double[] values) {
      PlasticRnnArguments.agent(this, agent);
      PlasticRnnArguments.quantity(this, q);
      PlasticRnnArguments.values(this, q, values);
      System.arraycopy(values, 0, array(q, agent), 0, values.length);
    }

    @Override
    public double modulator(int agent) {
      PlasticRnnArguments.agent(this, agent);
      return modulator[agent];
    }

    @Override
    public void copyModulators(float[] out) {
      org.neurorl.kernel.Checks.length("out", out, batch);
      for (int a = 0; a < batch; a++) {
        out[a] = (float) modulator[a];
      }
    }

    @Override
    public void copyHidden(float[] out) {
      org.neurorl.kernel.Checks.length("out", out, (long) batch * n);
      for (int a = 0; a < batch; a++) {
        for (int i = 0; i < n; i++) {
          out[a * n + i] = (float) h[a][i];
        }
      }
    }

    @Override
    public void reset() {
      for (int a = 0; a < batch; a++) {
        clearAgent(a);
      }
      steps = 0;
    }

    @Override
    public void reset(int agent) {
      PlasticRnnArguments.agent(this, agent);
      clearAgent(agent);
    }

    private void clearAgent(int a) {
      for (double[][] q : new double[][][] {v, h, e, eMinus, bigE, dU}) {
        if (q != null) {
          Arrays.fill(q[a], 0);
        }
      }
      modulator[a] = rule.kind() == PlasticityRule.Kind.MODULATED ? 0 : Double.NaN;
    }
  }
}
