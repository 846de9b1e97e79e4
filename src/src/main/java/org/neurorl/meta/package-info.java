/**
 * Meta-RL analyses of Wang et al. (2018) Fig. 1 for recurrent networks trained by A2C
 * ({@link org.neurorl.kernel.train.RecurrentNetwork} + a flat parameter vector): cumulative regret on the
 * fixed bandit next to UCB1, Thompson, Gittins and the Bayes-optimal policy on the same episodes
 * ({@link org.neurorl.meta.RegretEvaluation}, Fig. 1d), action heat maps over p₁ (Fig. 1c,
 * {@link org.neurorl.meta.NetworkHeatMap}), PCA of the hidden activity (Fig. 1e,
 * {@link org.neurorl.meta.HiddenPca}, LAPACK through {@code native/}), and the plastic network with its
 * plasticity switched off. A trained network is played as an ordinary
 * {@link org.neurorl.agent.BatchAgent} ({@link org.neurorl.meta.NetworkAgent}) with its weights frozen,
 * so it runs through the same runners as the classic agents and meets the same episodes.
 */
package org.neurorl.meta;
