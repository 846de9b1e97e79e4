/**
 * Maximum-likelihood fitting of the softmax Q-learner of MODELS.md §4 to observed choices.
 *
 * <p>The model: per session, Q(s, a) starts at a given initial value (0 by default) for every cue s and
 * action a; on trial t with cue s_t the learner picks a_t with probability
 * P_t(a) = exp(β Q(s_t, a)) / Σ_b exp(β Q(s_t, b)) and then updates only the chosen value,
 * Q(s_t, a_t) ← Q(s_t, a_t) + η (r_t − Q(s_t, a_t)). With no cue column there is one cue.
 *
 * <p>{@link org.neurorl.fit.QLikelihood} evaluates the exact float64 negative log-likelihood
 * NLL(η, β) = −Σ_t log P_t(a_t) over all trials of all sessions of one subject, with its analytic
 * gradient and Hessian. The "KL" form of MODELS.md §4 is the same objective: with the observed choice
 * written as a one-hot distribution δ_t, Σ_t KL(δ_t ‖ P_t) = −Σ_t log P_t(a_t) = NLL, because a one-hot
 * distribution has zero entropy; against any data-generating distribution P*_t,
 * Σ_t KL(P*_t ‖ P_t) differs from the expected NLL only by the entropy of P*, a constant in (η, β).
 * So minimising either gives the same estimate.
 *
 * <p>{@link org.neurorl.fit.QFit} maximises the likelihood in the box η ∈ (0, 1], β ∈ (0, βmax] from
 * several deterministic starts and reports standard errors from the inverse observed information (the
 * Hessian of the NLL at the optimum), with warnings when that Hessian is not positive definite or the
 * optimum is on a bound. Data come from {@link org.neurorl.fit.ChoiceCsv} (a user's CSV) or from
 * {@link org.neurorl.fit.QSimulation} (the project's tabular Q kernel, or a plain float64 simulation with
 * known parameters).
 */
package org.neurorl.fit;
