/**
 * The batched LSTM step of MODELS.md §2 (the meta-RL network of Wang et al. 2018): B agents share one
 * set of weights ({@link org.neurorl.kernel.lstm.LstmParams}), each keeps its own hidden and cell
 * vectors ({@link org.neurorl.kernel.lstm.LstmState}), and one call advances every agent by one step
 * and writes the policy logits and the value estimate. {@link org.neurorl.kernel.lstm.ReferenceLstm}
 * is the float64 transcription; {@code org.neurorl.kernel.simd.SimdLstm} is the fast float32 one.
 * {@link org.neurorl.kernel.lstm.LstmTrace} optionally keeps a step's gate activations.
 *
 * <p>For training, {@link org.neurorl.kernel.lstm.LstmNetwork} is the same network as a
 * {@link org.neurorl.kernel.train.RecurrentNetwork}: a flat parameter vector (tensors Wx, Wh, b, Wpi,
 * bpi, wv, bv), rollouts recorded step by step, and backpropagation through time into a flat gradient.
 * {@link org.neurorl.kernel.lstm.ReferenceLstmNetwork} is its float64 transcription, forward and backward
 * (with a float64 entry point for finite-difference checks); {@code org.neurorl.kernel.simd.SimdLstmNetwork}
 * the fast float32 one (OpenBLAS for the products shared over the batch and the steps).
 */
package org.neurorl.kernel.lstm;
