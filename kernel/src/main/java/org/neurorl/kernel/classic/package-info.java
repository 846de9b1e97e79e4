/**
 * Batched classic bandit agents on a k-armed Bernoulli bandit (MODELS.md §4): UCB1 and Thompson
 * sampling with Beta(1 + s, 1 + f) posteriors. A {@link org.neurorl.kernel.classic.ClassicBatch} holds B
 * agents' success and failure counts in structure-of-arrays layout; a kernel plays any number of trials
 * for all of them in one call and accumulates regret, rewards and suboptimal pulls. The float64
 * references here define the result; {@code org.neurorl.kernel.simd.SimdUcb1} / {@code SimdThompson}
 * vectorise across agents (one lane per agent) and consume the same random draws.
 */
package org.neurorl.kernel.classic;
