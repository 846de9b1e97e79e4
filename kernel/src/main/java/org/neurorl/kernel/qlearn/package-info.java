/**
 * Batched Q-learning agents on Bernoulli bandits with cues: latent Q-learning (MODELS.md §3) and
 * tabular softmax / ε-greedy Q-learning (§4). A {@link org.neurorl.kernel.qlearn.QBatch} holds B agents
 * in structure-of-arrays layout; a kernel plays any number of trials for all of them in one call and
 * accumulates regret, rewards and suboptimal pulls. The float64 references here define the result;
 * {@code org.neurorl.kernel.simd.SimdLatentQ} / {@code SimdTabularQ} vectorise across agents (one lane
 * per agent) and consume the same random draws.
 */
package org.neurorl.kernel.qlearn;
