/**
 * The batched LSTM step of MODELS.md §2 (the meta-RL network of Wang et al. 2018): B agents share one
 * set of weights ({@link org.neurorl.kernel.lstm.LstmParams}), each keeps its own hidden and cell
 * vectors ({@link org.neurorl.kernel.lstm.LstmState}), and one call advances every agent by one step
 * and writes the policy logits and the value estimate. {@link org.neurorl.kernel.lstm.ReferenceLstm}
 * is the float64 transcription; {@code org.neurorl.kernel.simd.SimdLstm} is the fast float32 one.
 * {@link org.neurorl.kernel.lstm.LstmTrace} optionally keeps a step's gate activations, which is what
 * backpropagation through time needs.
 */
package org.neurorl.kernel.lstm;
