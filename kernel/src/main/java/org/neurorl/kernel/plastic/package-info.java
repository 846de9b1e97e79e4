/**
 * The batched plastic gated RNN step of {@code MODELS.md} §1: recurrent fast weights {@code dU} driven
 * by an antisymmetric eligibility matrix {@code E} and a neuromodulator {@code M} (the modulated rule),
 * or by two STDP traces {@code e⁺}, {@code e⁻} (the unmodulated rule). {@link
 * org.neurorl.kernel.plastic.PlasticRnnKernel} is the interface, {@link
 * org.neurorl.kernel.plastic.ReferencePlasticRnn} the literal float64 transcription, and
 * {@code org.neurorl.kernel.simd.SimdPlasticRnn} the float32 one-pass kernel.
 *
 * <p>For training, {@link org.neurorl.kernel.plastic.PlasticNetwork} ("plastic", a
 * {@link org.neurorl.kernel.train.RecurrentNetwork}) runs the modulated network over a batch of episodes
 * and backpropagates through time, through {@code e, E, dU, M} as well as {@code v, h}:
 * {@link org.neurorl.kernel.plastic.ReferencePlasticNetwork} in float64 (with a float64 entry point for
 * finite-difference tests) and {@code org.neurorl.kernel.simd.SimdPlasticNetwork} in float32.
 */
package org.neurorl.kernel.plastic;
