/**
 * Dynamic resource allocation (DRA, Patel, Acerbi &amp; Pouget 2020) and the agents it is compared with:
 * an equal-precision control, soft (maximum-entropy) Q-learning and softmax Q-learning (MODELS.md §4b).
 * Tabular, batched over agents in flat structure-of-arrays tables, stepped by a driver that owns the
 * task ({@link org.neurorl.kernel.dra.DraKernel} says how decisions, learning and the σ-update rollouts
 * are sequenced). {@link org.neurorl.kernel.dra.ReferenceDra} is the float64 definition;
 * {@code org.neurorl.kernel.simd.SimdDra} computes the same in float32 with one lane per agent.
 */
package org.neurorl.kernel.dra;
