package org.neurorl.kernel.dra;

import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;

/** Float64 transcription of MODELS.md §4b, one agent at a time in plain loops (see {@link DraKernel}). */
public final class ReferenceDra implements DraKernel {
  /** Agents per parallel block; fixed, so results do not depend on the thread count. */
  static final int BLOCK = 256;

  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public DraBatch newBatch(int agents, int states, int actions, DraParams params, long seed, long firstAgentIndex,
      int maxRolloutSteps) {
    return new Batch(agents, states, actions, params, seed, firstAgentIndex, maxRolloutSteps);
  }

  static final class Batch extends DraBatch {
    final double[] q, sigma, grad;
    final int[] lastState, lastAction;
    /** ψ = RETURN: per rollout step t, the state, the score vector e (A) and the reward. */
    final int[] stepState;
    final double[] stepScore, stepReward;

    Batch(int agents, int states, int actions, DraParams params, long seed, long first, int maxSteps) {
      super(agents, states, actions, params, seed, first, maxSteps);
      int n = states * actions * agents;
      q = new double[n];
      sigma = new double[n];
      grad = new double[params.model() == DraParams.Model.DRA ? n : 0];
      java.util.Arrays.fill(sigma, params.noisy() ? params.sigmaInit() : 0.0);
      lastState = new int[agents];
      lastAction = new int[agents];
      java.util.Arrays.fill(lastAction, -1);
      boolean keep = params.model() == DraParams.Model.DRA && params.psi() == DraParams.Psi.RETURN;
      stepState = new int[keep ? maxSteps * agents : 0];
      stepScore = new double[keep ? maxSteps * actions * agents : 0];
      stepReward = new double[keep ? maxSteps * agents : 0];
    }

    @Override
    public void readMeans(double[] out) {
      checkOut(out);
      System.arraycopy(q, 0, out, 0, q.length);
    }

    @Override
    public void readSigmas(double[] out) {
      checkOut(out);
      System.arraycopy(sigma, 0, out, 0, sigma.length);
    }

    @Override
    public void setMeans(double[] in) {
      checkTable("means", in);
      System.arraycopy(in, 0, q, 0, q.length);
    }

    @Override
    public void setSigmas(double[] in) {
      checkSigmas(in);
      if (params.noisy()) {
        System.arraycopy(in, 0, sigma, 0, sigma.length);
      }
    }

    private void checkOut(double[] out) {
      if (out == null || out.length < tableLength()) {
        throw new IllegalArgumentException("out" + (out == null ? " is null" : ".length = " + out.length)
            + "; allowed: length >= " + tableLength());
      }
    }
  }

  private static Batch own(DraBatch batch) {
    if (!(batch instanceof Batch b)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by this kernel");
    }
    return b;
  }

  private static int blocks(DraBatch b) {
    return (b.agents() + BLOCK - 1) / BLOCK;
  }

  /** The policy in state s for agent i: π (A), with ζ filled for the noisy models. Returns nothing. */
  static void policy(Batch b, int i, int s, int key, int decision, double[] zeta, double[] pi) {
    int aa = b.actions(), nb = b.agents();
    DraParams p = b.params();
    int n = decision * (2 * aa + 1);
    double max = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < aa; a++) {
      int e = (s * aa + a) * nb + i;
      double x;
      switch (p.model()) {
        case DRA, EQUAL_PRECISION -> {
          zeta[a] = Rng.normal(key, n + 2 * a);
          x = p.beta() * (b.q[e] + zeta[a] * b.sigma[e]);
        }
        case SOFT_Q -> x = b.q[e] / p.alpha();
        default -> x = p.beta() * b.q[e];
      }
      pi[a] = x;
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int a = 0; a < aa; a++) {
      pi[a] = Math.exp(pi[a] - max);
      sum += pi[a];
    }
    for (int a = 0; a < aa; a++) {
      pi[a] /= sum;
    }
  }

  @Override
  public void act(DraBatch batch, Phase phase, int decision, int[] states, int[] forced, int[] actionsOut,
      float[] probabilityOut, Parallel parallel) {
    Batch b = own(batch);
    b.checkAct(phase, decision, states, forced, actionsOut, probabilityOut);
    int step = b.rolloutStep;
    parallel.forEachBlock(blocks(b), (w, blk) -> {
      int aa = b.actions(), nb = b.agents();
      double[] zeta = new double[aa], pi = new double[aa];
      DraParams p = b.params();
      for (int i = blk * BLOCK; i < Math.min(nb, (blk + 1) * BLOCK); i++) {
        int s = states[i];
        boolean keep = phase == Phase.ROLLOUT && p.psi() == DraParams.Psi.RETURN;
        if (s < 0) {
          actionsOut[i] = -1;
          if (probabilityOut != null) {
            probabilityOut[i] = 0f;
          }
          if (phase == Phase.LEARN) {
            b.lastAction[i] = -1;
          }
          if (keep) {
            b.stepState[step * nb + i] = -1;
          }
          continue;
        }
        int key = phase == Phase.LEARN ? b.keys[i] : b.rolloutKeys[i];
        policy(b, i, s, key, decision, zeta, pi);
        int a;
        if (forced != null) {
          a = forced[i];
        } else {
          double u = Rng.uniform(key, decision * (2 * aa + 1) + 2 * aa);
          a = aa - 1;
          double c = 0;
          for (int x = 0; x < aa - 1; x++) {
            c += pi[x];
            if (u < c) {
              a = x;
              break;
            }
          }
        }
        actionsOut[i] = a;
        if (probabilityOut != null) {
          probabilityOut[i] = (float) pi[a];
        }
        if (phase == Phase.LEARN) {
          b.lastState[i] = s;
          b.lastAction[i] = a;
          continue;
        }
        // rollout: score e(a') = β ζ_a' (1[a' = a] − π(a'|s))
        if (keep) {
          b.stepState[step * nb + i] = s;
          for (int x = 0; x < aa; x++) {
            b.stepScore[(step * aa + x) * nb + i] = p.beta() * zeta[x] * ((x == a ? 1 : 0) - pi[x]);
          }
        } else {
          double v = 0;
          for (int x = 0; x < aa; x++) {
            v += pi[x] * b.q[(s * aa + x) * nb + i];
          }
          double psi = b.q[(s * aa + a) * nb + i] - v;
          for (int x = 0; x < aa; x++) {
            b.grad[(s * aa + x) * nb + i] += p.beta() * zeta[x] * ((x == a ? 1 : 0) - pi[x]) * psi;
          }
        }
      }
    });
    if (phase == Phase.ROLLOUT) {
      b.rolloutStep++;
    }
  }

  @Override
  public void learn(DraBatch batch, float[] rewards, int[] nextStates, int nextDecision, Parallel parallel) {
    Batch b = own(batch);
    b.checkRewards(rewards);
    b.checkStates("nextStates", nextStates);
    if (nextDecision < 0) {
      throw new IllegalArgumentException("nextDecision = " + nextDecision + "; allowed: >= 0");
    }
    parallel.forEachBlock(blocks(b), (w, blk) -> {
      int aa = b.actions(), nb = b.agents();
      double[] zeta = new double[aa], pi = new double[aa];
      DraParams p = b.params();
      for (int i = blk * BLOCK; i < Math.min(nb, (blk + 1) * BLOCK); i++) {
        int a = b.lastAction[i];
        if (a < 0) {
          continue;
        }
        int s = b.lastState[i], s2 = nextStates[i];
        double target = rewards[i];
        if (s2 >= 0 && p.gamma() > 0) {
          double next;
          switch (p.model()) {
            case DRA, EQUAL_PRECISION -> {
              policy(b, i, s2, b.keys[i], nextDecision, zeta, pi);
              next = 0;
              for (int x = 0; x < aa; x++) {
                next += pi[x] * b.q[(s2 * aa + x) * nb + i];
              }
            }
            case SOFT_Q -> {
              double max = Double.NEGATIVE_INFINITY;
              for (int x = 0; x < aa; x++) {
                max = Math.max(max, b.q[(s2 * aa + x) * nb + i]);
              }
              double sum = 0;
              for (int x = 0; x < aa; x++) {
                sum += Math.exp((b.q[(s2 * aa + x) * nb + i] - max) / p.alpha());
              }
              next = max + p.alpha() * Math.log(sum);
            }
            default -> {
              next = Double.NEGATIVE_INFINITY;
              for (int x = 0; x < aa; x++) {
                next = Math.max(next, b.q[(s2 * aa + x) * nb + i]);
              }
            }
          }
          target += p.gamma() * next;
        }
        int e = (s * aa + a) * nb + i;
        b.q[e] += p.learningRate() * (target - b.q[e]);
        if (!Double.isFinite(b.q[e])) {
          throw new NumericalBlowUpException("q̄(" + s + ", " + a + ")", i, nextDecision, b.q[e]);
        }
        b.lastAction[i] = -1;
      }
    });
  }

  @Override
  public void rolloutReward(DraBatch batch, float[] rewards, Parallel parallel) {
    Batch b = own(batch);
    b.checkRolloutPhase();
    b.checkRewards(rewards);
    if (b.params().psi() != DraParams.Psi.RETURN || b.rolloutStep == 0) {
      return;
    }
    int t = b.rolloutStep - 1, nb = b.agents();
    for (int i = 0; i < nb; i++) {
      b.stepReward[t * nb + i] = b.stepState[t * nb + i] >= 0 ? rewards[i] : 0.0;
    }
  }

  @Override
  public void endRollout(DraBatch batch, Parallel parallel) {
    Batch b = own(batch);
    b.checkRolloutPhase();
    if (b.params().psi() == DraParams.Psi.RETURN) {
      int steps = b.rolloutStep;
      parallel.forEachBlock(blocks(b), (w, blk) -> {
        int aa = b.actions(), nb = b.agents();
        double gamma = b.params().gamma();
        for (int i = blk * BLOCK; i < Math.min(nb, (blk + 1) * BLOCK); i++) {
          double ret = 0;
          for (int t = steps - 1; t >= 0; t--) {
            ret = b.stepReward[t * nb + i] + gamma * ret;
            int s = b.stepState[t * nb + i];
            if (s < 0) {
              continue;
            }
            for (int x = 0; x < aa; x++) {
              b.grad[(s * aa + x) * nb + i] += b.stepScore[(t * aa + x) * nb + i] * ret;
            }
          }
        }
      });
      java.util.Arrays.fill(b.stepReward, 0.0);
    }
    b.rolloutStep = 0;
    b.rolloutCount++;
  }

  @Override
  public void updateSigma(DraBatch batch, Parallel parallel) {
    Batch b = own(batch);
    DraParams p = b.params();
    if (p.model() != DraParams.Model.DRA) {
      return;
    }
    int count = b.rolloutCount;
    double lambda = p.lambda(), base = p.sigmaBase(), rate = p.sigmaRate();
    for (int e = 0; e < b.sigma.length; e++) {
      double g = count > 0 ? b.grad[e] / count : 0.0;
      double s = b.sigma[e];
      double cost = lambda > 0 ? lambda * (s / (base * base) - 1 / s) : 0.0;
      s += rate * (g - cost);
      if (!Double.isFinite(s)) {
        throw new NumericalBlowUpException("σ(" + e / b.agents() + ")", e % b.agents(), -1, s);
      }
      b.sigma[e] = Math.min(Math.max(s, p.sigmaMin()), base);
      b.grad[e] = 0;
    }
    b.rolloutCount = 0;
  }
}
