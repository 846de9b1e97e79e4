package org.neurorl.kernel.plastic;

import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RolloutChecks;

/**
 * The plastic network of {@link PlasticNetwork} transcribed literally in float64 with plain loops: the
 * forward step of MODELS.md §1 (modulated rule) and its exact backward pass through time. It is the
 * yardstick for the SIMD network and for the finite-difference tests, not a fast path: it records every
 * step's {@code v, h, z, g, e, M, E, dU} in float64 (16·T·B·N² bytes for E and dU).
 *
 * <p>Backward, going from the last step to the first, with adjoints written {@code ∂q} (total derivative
 * of the loss through q's uses at later steps and in the heads), {@code G_t} the adjoint of the pre-clip
 * value of {@code dU_t} and {@code 𝓔_t}, {@code 𝓮_t} the total adjoints of {@code E_t}, {@code e_t}:
 * <pre>
 *   ∂dU_t = (1−τU) G_{t+1} + α ⊙ (∂g_{t+1} h_tᵀ)
 *   G_t   = ∂dU_t ⊙ 1[|dU_t| &lt; c]                    (the clip's derivative is 0 where it is active)
 *   ∂M_t  = τU Σ_ij G_t,ij E_t,ij,    ∂m_t = ∂M_t (1 − M_t²)
 *   𝓔_t   = τU M_t G_t + (1−τE) 𝓔_{t+1},   S_t = 𝓔_t − 𝓔_tᵀ
 *   𝓮_t   = (1−τe) 𝓮_{t+1} − τE S_t h_t
 *   ∂h_t  = Wπᵀ ∂logits_t + wv ∂value_t + ∂m_t wM + τE S_t e_t + τe 𝓮_t
 *           + (U + α ⊙ dU_t)ᵀ ∂g_{t+1} + Uzᵀ ∂zin_{t+1}
 *   ∂v_t  = 1[v_t &gt; 0] ∂h_t + (1 − z_{t+1}) ∂v_{t+1}
 *   ∂g_t  = z_t ∂v_t,    ∂zin_t = ∂v_t (g_t − v_{t−1}) z_t (1 − z_t)
 * </pre>
 * and the parameter gradients {@code ∂W += ∂g_t x_tᵀ}, {@code ∂U += ∂g_t h_{t−1}ᵀ}, {@code ∂b += ∂g_t},
 * the same for {@code Wz, Uz, bz} with {@code ∂zin_t}, {@code ∂α_ij += ∂g_t,i dU_{t−1,ij} h_{t−1,j}},
 * {@code ∂wM += ∂m_t h_t}, {@code ∂bM += ∂m_t}, and the heads. ReLU's derivative at exactly 0 is taken as 0.
 *
 * <p>Agents are independent: the forward and the backward run per fixed block of agents on the pool;
 * each block sums its agents' gradients in order and the blocks are summed in block order, so results do
 * not depend on the thread count.
 */
public final class ReferencePlasticNetwork implements PlasticNetwork {
  /** Agents per parallel block (fixed, so the partition does not depend on the thread count). */
  static final int AGENT_BLOCK = 4;

  private final int inputs, hidden, actions;
  private final PlasticityRule rule;
  private final ParameterLayout layout;

  public ReferencePlasticNetwork(int inputs, int hidden, int actions, PlasticityRule rule) {
    PlasticNetwork.validate(inputs, hidden, actions, rule);
    this.inputs = inputs;
    this.hidden = hidden;
    this.actions = actions;
    this.rule = rule;
    this.layout = PlasticNetwork.layout(inputs, hidden, actions);
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
  public PlasticityRule rule() {
    return rule;
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
    PlasticNetworkArguments.begin(this, parameters, batch, maxSteps, pool);
    double[] p = new double[parameters.length];
    for (int k = 0; k < p.length; k++) {
      p[k] = parameters[k];
    }
    return new FloatRollout(new Trajectory(p, batch, maxSteps, pool));
  }

  /**
   * The float64 entry point (finite-difference tests): a rollout with float64 parameters, inputs,
   * outputs and gradient.
   */
  public Trajectory trajectory(double[] parameters, int batch, int maxSteps, Parallel pool) {
    RolloutChecks.parameters(layout, parameters);
    float[] probe = new float[parameters.length];
    PlasticNetworkArguments.begin(this, probe, batch, maxSteps, pool);
    return new Trajectory(parameters.clone(), batch, maxSteps, pool);
  }

  /** The float32 rollout of the interface: converts at the boundary, computes in float64. */
  private final class FloatRollout implements Rollout {
    private final Trajectory tr;
    private final double[] x, logits, values;

    FloatRollout(Trajectory tr) {
      this.tr = tr;
      this.x = new double[tr.batch * inputs];
      this.logits = new double[tr.batch * actions];
      this.values = new double[tr.batch];
    }

    @Override
    public int batch() {
      return tr.batch;
    }

    @Override
    public int steps() {
      return tr.steps;
    }

    @Override
    public void step(float[] xIn, float[] logitsOut, float[] valuesOut) {
      PlasticNetworkArguments.step(tr.steps, tr.maxSteps, tr.batch, inputs, actions, xIn, logitsOut, valuesOut);
      for (int k = 0; k < x.length; k++) {
        x[k] = xIn[k];
      }
      tr.step(x, logits, values);
      for (int k = 0; k < logits.length; k++) {
        logitsOut[k] = (float) logits[k];
      }
      for (int k = 0; k < values.length; k++) {
        valuesOut[k] = (float) values[k];
      }
    }

    @Override
    public float[] hidden(int t) {
      double[] h = tr.hidden(t);
      float[] out = new float[h.length];
      for (int k = 0; k < h.length; k++) {
        out[k] = (float) h[k];
      }
      return out;
    }

    @Override
    public void backward(float[] dLogits, float[] dValues, float[] gradient) {
      PlasticNetworkArguments.backward(tr.steps, tr.batch, actions, layout.size(), dLogits, dValues, gradient);
      double[] dl = new double[tr.steps * tr.batch * actions];
      double[] dv = new double[tr.steps * tr.batch];
      for (int k = 0; k < dl.length; k++) {
        dl[k] = dLogits[k];
      }
      for (int k = 0; k < dv.length; k++) {
        dv[k] = dValues[k];
      }
      double[] g = new double[gradient.length];
      tr.backward(dl, dv, g);
      for (int k = 0; k < g.length; k++) {
        gradient[k] += (float) g[k];
      }
    }
  }

  /** A batch of episodes in float64 with every step recorded. */
  public final class Trajectory {
    private final double[] p;
    private final int batch, maxSteps;
    private final Parallel pool;
    private final int oW, oU, ob, oWz, oUz, obz, oA, owM, obM, oWpi, obpi, owv, obv;
    // per step t: [t][agent*N + i] (vectors), [t][agent] (M), [t][agent][i*N + j] (matrices)
    private final double[][] xs, v, h, z, g, e, m;
    private final double[][][] bigE, dU;
    private int steps;

    Trajectory(double[] p, int batch, int maxSteps, Parallel pool) {
      this.p = p;
      this.batch = batch;
      this.maxSteps = maxSteps;
      this.pool = pool;
      oW = layout.tensor("W").offset();
      oU = layout.tensor("U").offset();
      ob = layout.tensor("b").offset();
      oWz = layout.tensor("Wz").offset();
      oUz = layout.tensor("Uz").offset();
      obz = layout.tensor("bz").offset();
      oA = layout.tensor("alpha").offset();
      owM = layout.tensor("wM").offset();
      obM = layout.tensor("bM").offset();
      oWpi = layout.tensor("Wpi").offset();
      obpi = layout.tensor("bpi").offset();
      owv = layout.tensor("wv").offset();
      obv = layout.tensor("bv").offset();
      xs = new double[maxSteps][];
      v = new double[maxSteps][];
      h = new double[maxSteps][];
      z = new double[maxSteps][];
      g = new double[maxSteps][];
      e = new double[maxSteps][];
      m = new double[maxSteps][];
      bigE = new double[maxSteps][][];
      dU = new double[maxSteps][][];
    }

    public int batch() {
      return batch;
    }

    public int steps() {
      return steps;
    }

    /**
     * One step for every agent: x (B×I), out logits (B×A) and values (B).
     *
     * @throws NumericalBlowUpException when v, a logit or a value is NaN or ±∞ (or beyond float32 range)
     */
    public void step(double[] x, double[] logits, double[] values) {
      if (steps >= maxSteps) {
        throw new IllegalStateException("step " + steps + " exceeds maxSteps = " + maxSteps);
      }
      if (x.length < batch * inputs || logits.length < batch * actions || values.length < batch) {
        throw new IllegalArgumentException("x, logits, values: allowed lengths >= " + batch * inputs + ", "
            + batch * actions + ", " + batch);
      }
      int t = steps;
      int n = hidden;
      xs[t] = java.util.Arrays.copyOf(x, batch * inputs);
      v[t] = new double[batch * n];
      h[t] = new double[batch * n];
      z[t] = new double[batch * n];
      g[t] = new double[batch * n];
      e[t] = new double[batch * n];
      m[t] = new double[batch];
      bigE[t] = new double[batch][n * n];
      dU[t] = new double[batch][n * n];
      int blocks = (batch + AGENT_BLOCK - 1) / AGENT_BLOCK;
      pool.forEachBlock(blocks, (worker, block) -> {
        int end = Math.min(batch, (block + 1) * AGENT_BLOCK);
        for (int a = block * AGENT_BLOCK; a < end; a++) {
          forwardAgent(t, a, logits, values);
        }
      });
      steps++;
    }

    private void forwardAgent(int t, int a, double[] logits, double[] values) {
      int n = hidden, in = inputs;
      double[] zeroVec = new double[n], zeroMat = new double[n * n];
      double[] vPrev = t > 0 ? slice(v[t - 1], a) : zeroVec;
      double[] hPrev = t > 0 ? slice(h[t - 1], a) : zeroVec;
      double[] ePrev = t > 0 ? slice(e[t - 1], a) : zeroVec;
      double[] bigEPrev = t > 0 ? bigE[t - 1][a] : zeroMat;
      double[] dUPrev = t > 0 ? dU[t - 1][a] : zeroMat;
      double[] x = xs[t];
      int off = a * n;
      // g_t = W x + (U + α ⊙ dU_{t−1}) h_{t−1} + b ;  z_t = σ(Wz x + Uz h_{t−1} + bz) ;  v_t ; h_t
      for (int i = 0; i < n; i++) {
        double gi = p[ob + i];
        double zin = p[obz + i];
        for (int k = 0; k < in; k++) {
          gi += p[oW + i * in + k] * x[a * in + k];
          zin += p[oWz + i * in + k] * x[a * in + k];
        }
        for (int j = 0; j < n; j++) {
          gi += (p[oU + i * n + j] + p[oA + i * n + j] * dUPrev[i * n + j]) * hPrev[j];
          zin += p[oUz + i * n + j] * hPrev[j];
        }
        double zi = 1 / (1 + Math.exp(-zin));
        g[t][off + i] = gi;
        z[t][off + i] = zi;
        v[t][off + i] = (1 - zi) * vPrev[i] + zi * gi;
        h[t][off + i] = Math.max(v[t][off + i], 0);
      }
      for (int i = 0; i < n; i++) {
        check("v", a, t, v[t][off + i]);
      }
      // M_t = tanh(wM · h_t + bM)
      double mIn = p[obM];
      for (int i = 0; i < n; i++) {
        mIn += p[owM + i] * h[t][off + i];
      }
      double mt = Math.tanh(mIn);
      m[t][a] = mt;
      double te = rule.traceRate(), tE = rule.eligibilityRate(), tU = rule.plasticRate(), c = rule.clip();
      for (int i = 0; i < n; i++) {
        e[t][off + i] = (1 - te) * ePrev[i] + te * h[t][off + i];
      }
      double[] bigEt = bigE[t][a], dUt = dU[t][a];
      double[] ht = slice(h[t], a), et = slice(e[t], a);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          bigEt[i * n + j] = (1 - tE) * bigEPrev[i * n + j] + tE * (ht[i] * et[j] - et[i] * ht[j]);
          dUt[i * n + j] = clip((1 - tU) * dUPrev[i * n + j] + tU * mt * bigEt[i * n + j], c);
        }
      }
      // logits_t = Wπ h_t + bπ ; value_t = wv · h_t + bv
      for (int k = 0; k < actions; k++) {
        double l = p[obpi + k];
        for (int i = 0; i < n; i++) {
          l += p[oWpi + k * n + i] * ht[i];
        }
        check("logit", a, t, l);
        logits[a * actions + k] = l;
      }
      double val = p[obv];
      for (int i = 0; i < n; i++) {
        val += p[owv + i] * ht[i];
      }
      check("value", a, t, val);
      values[a] = val;
    }

    private double[] slice(double[] agentMajor, int a) {
      double[] out = new double[hidden];
      System.arraycopy(agentMajor, a * hidden, out, 0, hidden);
      return out;
    }

    /** h after step t, B×N agent-major (a copy). */
    public double[] hidden(int t) {
      PlasticNetworkArguments.hidden(t, steps);
      return h[t].clone();
    }

    /** v after step t, B×N agent-major (a copy). */
    public double[] membrane(int t) {
      PlasticNetworkArguments.hidden(t, steps);
      return v[t].clone();
    }

    /** The modulator M_t, B (a copy). */
    public double[] modulator(int t) {
      PlasticNetworkArguments.hidden(t, steps);
      return m[t].clone();
    }

    /** dU_t of one agent, N×N row-major (a copy). */
    public double[] fastWeights(int t, int agent) {
      PlasticNetworkArguments.hidden(t, steps);
      return dU[t][agent].clone();
    }

    /** E_t of one agent, N×N row-major (a copy). */
    public double[] eligibility(int t, int agent) {
      PlasticNetworkArguments.hidden(t, steps);
      return bigE[t][agent].clone();
    }

    /** e_t, B×N agent-major (a copy). */
    public double[] trace(int t) {
      PlasticNetworkArguments.hidden(t, steps);
      return e[t].clone();
    }

    /** (1−τU) dU_{t−1} + τU M_t E_t of one agent before the clip (tests check its distance to ±c). */
    public double[] preClip(int t, int agent) {
      PlasticNetworkArguments.hidden(t, steps);
      int n = hidden;
      double tU = rule.plasticRate();
      double[] out = new double[n * n];
      for (int k = 0; k < n * n; k++) {
        out[k] = (1 - tU) * (t > 0 ? dU[t - 1][agent][k] : 0) + tU * m[t][agent] * bigE[t][agent][k];
      }
      return out;
    }

    /**
     * Adds dLoss/dθ to {@code gradient} given dLoss/dlogits (T×B×A step-major) and dLoss/dvalues (T×B),
     * T = the steps taken.
     */
    public void backward(double[] dLogits, double[] dValues, double[] gradient) {
      int np = layout.size();
      if (steps == 0) {
        throw new IllegalStateException("backward() before any step()");
      }
      if (dLogits.length < steps * batch * actions || dValues.length < steps * batch || gradient.length != np) {
        throw new IllegalArgumentException("dLogits, dValues, gradient: allowed lengths >= "
            + steps * batch * actions + ", >= " + steps * batch + ", == " + np);
      }
      int blocks = (batch + AGENT_BLOCK - 1) / AGENT_BLOCK;
      double[][] partial = new double[blocks][np];
      pool.forEachBlock(blocks, (worker, block) -> {
        int end = Math.min(batch, (block + 1) * AGENT_BLOCK);
        for (int a = block * AGENT_BLOCK; a < end; a++) {
          backwardAgent(a, dLogits, dValues, partial[block]);
        }
      });
      for (double[] part : partial) {
        for (int k = 0; k < np; k++) {
          gradient[k] += part[k];
        }
      }
    }

    private void backwardAgent(int a, double[] dLogits, double[] dValues, double[] grad) {
      int n = hidden, in = inputs, na = actions;
      double te = rule.traceRate(), tE = rule.eligibilityRate(), tU = rule.plasticRate(), c = rule.clip();
      int off = a * n;
      double[] dgNext = new double[n], dzinNext = new double[n], dvNext = new double[n];
      double[] gNext = new double[n * n]; // G_{t+1}
      double[] calE = new double[n * n]; // 𝓔_{t+1}, then 𝓔_t
      double[] calEvec = new double[n]; // 𝓮_{t+1}, then 𝓮_t
      double[] dUadj = new double[n * n], gAdj = new double[n * n];
      double[] dh = new double[n], dv = new double[n], dg = new double[n], dzin = new double[n];
      for (int t = steps - 1; t >= 0; t--) {
        boolean last = t == steps - 1;
        double[] dUt = dU[t][a], bigEt = bigE[t][a];
        double mt = m[t][a];
        // ∂h_t from the heads
        for (int i = 0; i < n; i++) {
          double s = p[owv + i] * dValues[t * batch + a];
          for (int k = 0; k < na; k++) {
            s += p[oWpi + k * n + i] * dLogits[(t * batch + a) * na + k];
          }
          dh[i] = s;
        }
        // ∂h_t from step t+1: (U + α ⊙ dU_t)ᵀ ∂g_{t+1} + Uzᵀ ∂zin_{t+1}
        if (!last) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              s += (p[oU + i * n + j] + p[oA + i * n + j] * dUt[i * n + j]) * dgNext[i]
                  + p[oUz + i * n + j] * dzinNext[i];
            }
            dh[j] += s;
          }
        }
        // ∂dU_t, G_t, ∂M_t, 𝓔_t
        double dM = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int k = i * n + j;
            dUadj[k] = (1 - tU) * gNext[k] + p[oA + k] * dgNext[i] * h[t][off + j];
            gAdj[k] = Math.abs(dUt[k]) < c ? dUadj[k] : 0;
            dM += gAdj[k] * bigEt[k];
            calE[k] = tU * mt * gAdj[k] + (1 - tE) * calE[k];
          }
        }
        dM *= tU;
        // S_t = 𝓔_t − 𝓔_tᵀ: ∂h_t += τE S_t e_t ; 𝓮_t = (1−τe) 𝓮_{t+1} − τE S_t h_t ; ∂h_t += τe 𝓮_t
        for (int i = 0; i < n; i++) {
          double se = 0, sh = 0;
          for (int j = 0; j < n; j++) {
            double sij = calE[i * n + j] - calE[j * n + i];
            se += sij * e[t][off + j];
            sh += sij * h[t][off + j];
          }
          dh[i] += tE * se;
          calEvec[i] = (1 - te) * calEvec[i] - tE * sh;
        }
        for (int i = 0; i < n; i++) {
          dh[i] += te * calEvec[i];
        }
        // M_t = tanh(m_t)
        double dm = dM * (1 - mt * mt);
        grad[obM] += dm;
        for (int i = 0; i < n; i++) {
          dh[i] += dm * p[owM + i];
          grad[owM + i] += dm * h[t][off + i];
        }
        // heads
        for (int k = 0; k < na; k++) {
          double dl = dLogits[(t * batch + a) * na + k];
          grad[obpi + k] += dl;
          for (int i = 0; i < n; i++) {
            grad[oWpi + k * n + i] += dl * h[t][off + i];
          }
        }
        grad[obv] += dValues[t * batch + a];
        for (int i = 0; i < n; i++) {
          grad[owv + i] += dValues[t * batch + a] * h[t][off + i];
        }
        // ∂v_t, ∂g_t, ∂zin_t
        for (int i = 0; i < n; i++) {
          double vPrev = t > 0 ? v[t - 1][off + i] : 0;
          dv[i] = (v[t][off + i] > 0 ? dh[i] : 0) + (last ? 0 : (1 - z[t + 1][off + i]) * dvNext[i]);
          double zi = z[t][off + i];
          dg[i] = zi * dv[i];
          dzin[i] = dv[i] * (g[t][off + i] - vPrev) * zi * (1 - zi);
        }
        // parameter gradients of step t
        for (int i = 0; i < n; i++) {
          grad[ob + i] += dg[i];
          grad[obz + i] += dzin[i];
          for (int k = 0; k < in; k++) {
            double xk = xs[t][a * in + k];
            grad[oW + i * in + k] += dg[i] * xk;
            grad[oWz + i * in + k] += dzin[i] * xk;
          }
          if (t > 0) {
            for (int j = 0; j < n; j++) {
              double hj = h[t - 1][off + j];
              grad[oU + i * n + j] += dg[i] * hj;
              grad[oUz + i * n + j] += dzin[i] * hj;
              grad[oA + i * n + j] += dg[i] * dU[t - 1][a][i * n + j] * hj;
            }
          }
        }
        System.arraycopy(gAdj, 0, gNext, 0, n * n);
        System.arraycopy(dg, 0, dgNext, 0, n);
        System.arraycopy(dzin, 0, dzinNext, 0, n);
        System.arraycopy(dv, 0, dvNext, 0, n);
      }
    }
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
}
