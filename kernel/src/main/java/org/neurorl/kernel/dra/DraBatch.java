package org.neurorl.kernel.dra;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * The state of B agents: memory means q̄ (or values q) and noise σ per (state, action), agent-minor
 * (element {@code (s·A + a)·B + i}), plus the bookkeeping between {@link DraKernel#act} and
 * {@link DraKernel#learn}. Made by a kernel and used only with it.
 */
public abstract class DraBatch {
  protected final int agents, states, actions, maxRolloutSteps;
  protected final DraParams params;
  /** Learning and rollout stream keys, one per agent. */
  protected final int[] keys, rolloutKeys;
  /** Rollout steps since the last endRollout, and rollouts since the last updateSigma. */
  protected int rolloutStep, rolloutCount;

  protected DraBatch(int agents, int states, int actions, DraParams params, long seed, long firstAgentIndex,
      int maxRolloutSteps) {
    Checks.range("agents", agents, 1, 1 << 24);
    Checks.range("states", states, 1, 1 << 16);
    Checks.range("actions", actions, 2, 64);
    Checks.range("maxRolloutSteps", maxRolloutSteps, 1, 1 << 16);
    if ((long) agents * states * actions > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("agents × states × actions = " + (long) agents * states * actions
          + "; allowed: at most " + Integer.MAX_VALUE / 2);
    }
    if (params == null) {
      throw new IllegalArgumentException("params is null");
    }
    if (firstAgentIndex < 0) {
      throw new IllegalArgumentException("firstAgentIndex = " + firstAgentIndex + "; allowed: >= 0");
    }
    this.agents = agents;
    this.states = states;
    this.actions = actions;
    this.params = params;
    this.maxRolloutSteps = maxRolloutSteps;
    this.keys = new int[agents];
    this.rolloutKeys = new int[agents];
    for (int i = 0; i < agents; i++) {
      keys[i] = Rng.key(seed, 2 * (firstAgentIndex + i));
      rolloutKeys[i] = Rng.key(seed, 2 * (firstAgentIndex + i) + 1);
    }
  }

  public final int agents() {
    return agents;
  }

  public final int states() {
    return states;
  }

  public final int actions() {
    return actions;
  }

  public final DraParams params() {
    return params;
  }

  /** Length of a table: S·A·B. */
  public final int tableLength() {
    return states * actions * agents;
  }

  /** Copies q̄ (q for the Q-learners) into {@code out}, element {@code (s·A + a)·B + i}. */
  public abstract void readMeans(double[] out);

  /** Copies σ into {@code out} (0 for the Q-learners). */
  public abstract void readSigmas(double[] out);

  /** Sets q̄ (tests and replays). */
  public abstract void setMeans(double[] in);

  /** Sets σ; every value must lie in [σ_min, σ_base]. */
  public abstract void setSigmas(double[] in);

  /** Equal-precision control: agent i's σ becomes {@code sigma[i]} at every (s, a). */
  public final void setSharedSigma(float[] sigma) {
    Checks.finiteArray("sigma", sigma, agents);
    double[] all = new double[tableLength()];
    for (int e = 0; e < states * actions; e++) {
      for (int i = 0; i < agents; i++) {
        all[e * agents + i] = sigma[i];
      }
    }
    setSigmas(all);
  }

  protected final void checkSigmas(double[] in) {
    checkTable("sigmas", in);
    if (params.noisy()) {
      for (int e = 0; e < in.length; e++) {
        if (!(in[e] >= params.sigmaMin() && in[e] <= params.sigmaBase())) {
          throw new IllegalArgumentException("sigmas[" + e + "] = " + in[e] + "; allowed: " + params.sigmaMin()
              + " to " + params.sigmaBase() + " (sigmaMin to sigmaBase)");
        }
      }
    }
  }

  protected final void checkTable(String name, double[] a) {
    if (a == null || a.length != tableLength()) {
      throw new IllegalArgumentException(name + (a == null ? " is null" : ".length = " + a.length)
          + "; allowed: exactly " + tableLength());
    }
    for (int e = 0; e < a.length; e++) {
      if (!Double.isFinite(a[e])) {
        throw new IllegalArgumentException(name + "[" + e + "] = " + a[e] + "; allowed: finite numbers");
      }
    }
  }

  /** Argument checks of {@link DraKernel#act}: O(B), once per call. */
  public final void checkAct(DraKernel.Phase phase, int decision, int[] st, int[] forced, int[] actionsOut,
      float[] probabilityOut) {
    if (phase == null) {
      throw new IllegalArgumentException("phase is null; allowed: LEARN or ROLLOUT");
    }
    if (decision < 0) {
      throw new IllegalArgumentException("decision = " + decision + "; allowed: >= 0");
    }
    if (phase == DraKernel.Phase.ROLLOUT) {
      if (params.model() != DraParams.Model.DRA) {
        throw new IllegalStateException("ROLLOUT decisions update σ and only a DRA batch has a learned σ; this is "
            + params.model());
      }
      if (params.psi() == DraParams.Psi.RETURN && rolloutStep >= maxRolloutSteps) {
        throw new IllegalStateException("rollout longer than maxRolloutSteps = " + maxRolloutSteps
            + " without endRollout");
      }
    }
    checkStates("states", st);
    Checks.length("actionsOut", actionsOut, agents);
    if (probabilityOut != null) {
      Checks.length("probabilityOut", probabilityOut, agents);
    }
    if (forced != null) {
      Checks.length("forcedActions", forced, agents);
      for (int i = 0; i < agents; i++) {
        if (st[i] >= 0 && (forced[i] < 0 || forced[i] >= actions)) {
          throw new IllegalArgumentException("forcedActions[" + i + "] = " + forced[i] + "; allowed: 0 to "
              + (actions - 1));
        }
      }
    }
  }

  public final void checkStates(String name, int[] st) {
    Checks.length(name, st, agents);
    for (int i = 0; i < agents; i++) {
      if (st[i] < -1 || st[i] >= states) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + st[i] + "; allowed: -1 (not acting / terminal) to "
            + (states - 1));
      }
    }
  }

  public final void checkRewards(float[] rewards) {
    Checks.length("rewards", rewards, agents);
    for (int i = 0; i < agents; i++) {
      if (!Float.isFinite(rewards[i])) {
        throw new IllegalArgumentException("rewards[" + i + "] = " + rewards[i] + "; allowed: finite numbers");
      }
    }
  }

  public final void checkRolloutPhase() {
    if (params.model() != DraParams.Model.DRA) {
      throw new IllegalStateException("rollouts update σ and only a DRA batch has a learned σ; this is "
          + params.model());
    }
  }
}
