/**
 * The batched plastic gated RNN step of {@code MODELS.md} §1: recurrent fast weights {@code dU} driven
 * by an antisymmetric eligibility matrix {@code E} and a neuromodulator {@code M} (the modulated rule),
 * or by two STDP traces {@code e⁺}, {@code e⁻} (the unmodulated rule). {@link
 * org.neurorl.kernel.plastic.PlasticRnnKernel} is the interface, {@link
 * org.neurorl.kernel.plastic.ReferencePlasticRnn} the literal float64 transcription, and
 * {@code org.neurorl.kernel.simd.SimdPlasticRnn} the float32 one-pass kernel.
 */
package org.neurorl.kernel.plastic;
