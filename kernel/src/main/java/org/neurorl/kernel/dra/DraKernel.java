package org.neurorl.kernel.dra;

import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;

/**
 * Batched tabular value agents of MODELS.md §4b — DRA, its equal-precision control, soft Q-learning and
 * softmax Q-learning — stepped one decision at a time by a driver that owns the task (the kernel knows
 * nothing of the task; states, rewards and terminations come in as arrays, one entry per agent).
 *
 * <h2>A learning step</h2>
 * {@link #act} with {@link Phase#LEARN} chooses {@code a ~ π(·|s)}, then {@link #learn} applies the
 * q̄ update with the reward and next state the task returned. A state {@code < 0} means "this agent is
 * not playing now" (its episode ended): it gets action −1 and nothing changes. A next state {@code < 0}
 * means terminal: the target is r alone.
 *
 * <h2>Random draws</h2>
 * Agent {@code i} has two counter-based streams ({@link org.neurorl.kernel.Rng}): key
 * {@code Rng.key(seed, 2(first+i))} for learning decisions and {@code Rng.key(seed, 2(first+i)+1)} for
 * rollout decisions. Decision number {@code d} uses counters {@code n = d(2A+1)}: ζ_a =
 * {@code Rng.normal(key, n + 2a)} (one draw of the whole vector ζ per decision), the action's uniform is
 * {@code Rng.uniform(key, n + 2A)}. The driver numbers decisions (0, 1, 2, … per stream, never reused).
 * The q̄ target's π(a'|s') uses the ζ of decision {@code nextDecision}: the very draw with which the agent
 * will act in s', so the target is the expectation under the policy it actually follows.
 *
 * <h2>The σ update (DRA only)</h2>
 * MODELS.md gives the gradient; where it is silent we follow Patel, Acerbi &amp; Pouget (2020, Algorithm
 * 1): after each learning episode (one trial of the memory task) the agent simulates {@code N_traj}
 * rollouts of the task with its current q̄ and σ, with fresh ζ at every decision, and without changing q̄.
 * The driver runs them: {@link #act} with {@link Phase#ROLLOUT} for every rollout step (the kernel
 * accumulates {@code g(s,a') = β ζ_a' (1[a'=a] − π(a'|s)) ψ} for the visited state), {@link #rolloutReward}
 * after each step, {@link #endRollout} after each rollout, then one {@link #updateSigma}:
 * {@code σ ← clip(σ + α_σ (ḡ − λ(σ/σ_base² − 1/σ)), σ_min, σ_base)} for every (s, a) — unvisited memories
 * therefore drift back towards σ_base, which is what makes rare options cheap. ḡ is the sum of g over
 * all the rollouts divided by their number (a rollout that never visits s contributes 0 there). With
 * ψ = RETURN the kernel keeps the rollout's steps and, at {@link #endRollout}, walks them backwards to
 * form each step's discounted return; with ψ = ADVANTAGE ψ is known at the step and nothing is kept.
 */
public interface DraKernel {
  static DraKernel create() {
    return Kernels.select(DraKernel.class, "org.neurorl.kernel.simd.SimdDra", ReferenceDra::new);
  }

  /** Which stream a decision draws from and what it updates. */
  enum Phase {
    /** A real decision: remembered for {@link #learn}. */
    LEARN,
    /** A simulated decision of a σ-update rollout (DRA only): accumulates the σ gradient. */
    ROLLOUT
  }

  /** "reference" or "simd-" + bits. */
  String implementation();

  /**
   * A batch of {@code agents} agents with {@code states × actions} tables, q̄ = 0 and σ = σ_init.
   *
   * @param maxRolloutSteps the longest rollout the driver will run (steps kept for ψ = RETURN)
   */
  DraBatch newBatch(int agents, int states, int actions, DraParams params, long seed, long firstAgentIndex,
      int maxRolloutSteps);

  /**
   * One decision for every agent.
   *
   * @param states         length ≥ B: the agent's state, or −1 when it does not act
   * @param forcedActions  null to sample; else the actions to take (replaying observed choices), −1 allowed
   *                       only where the state is −1
   * @param actionsOut     length ≥ B: the action taken (−1 when not acting)
   * @param probabilityOut null or length ≥ B: π(a|s, ζ) of the action taken (given this decision's ζ)
   */
  void act(DraBatch batch, Phase phase, int decision, int[] states, int[] forcedActions, int[] actionsOut,
      float[] probabilityOut, Parallel parallel);

  /**
   * The q̄ (or q) update of every agent's last {@link Phase#LEARN} decision: target
   * {@code r + γ·(Σ π(a'|s') q̄(s',a') | v(s') | max q(s',·))}, or r when {@code nextStates[i] < 0}.
   */
  void learn(DraBatch batch, float[] rewards, int[] nextStates, int nextDecision, Parallel parallel);

  /** The reward of the last rollout step of every agent (ignored where it did not act). */
  void rolloutReward(DraBatch batch, float[] rewards, Parallel parallel);

  /** Ends the current rollout of every agent (adds its ψ = RETURN terms to the σ gradient). */
  void endRollout(DraBatch batch, Parallel parallel);

  /** Applies the σ update with the rollouts since the last call, and clears the gradient (DRA only). */
  void updateSigma(DraBatch batch, Parallel parallel);
}
