/**
 * Classic and optimal strategies for Bernoulli bandits (MODELS.md §4): the exact Bayes-optimal
 * finite-horizon policy of the two-armed bandit ({@link org.neurorl.bandit.BayesOptimalPolicy}),
 * Gittins indices ({@link org.neurorl.bandit.GittinsIndex}), both tabulated once and cached on disk,
 * the agents that play them, UCB1 and Thompson sampling over flat per-slot arrays, and
 * {@link org.neurorl.bandit.BanditRunner}, which streams per-trial regret curves.
 */
package org.neurorl.bandit;
