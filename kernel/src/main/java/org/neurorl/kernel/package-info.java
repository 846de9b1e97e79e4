/**
 * The hot loops of neurorl. Each kernel is an interface, a plain float64 reference that transcribes
 * {@code MODELS.md} literally, and a float32 SIMD implementation in {@code org.neurorl.kernel.simd}
 * (Vector API, OpenBLAS for products with weights shared by a batch), chosen by {@link
 * org.neurorl.kernel.Kernels}. Kernels know no task: they take flat arrays, explicit seeds
 * ({@link org.neurorl.kernel.Rng}) and an explicit worker pool ({@link org.neurorl.kernel.Parallel}).
 */
package org.neurorl.kernel;
