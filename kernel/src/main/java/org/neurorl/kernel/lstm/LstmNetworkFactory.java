package org.neurorl.kernel.lstm;

/**
 * Makes {@link LstmNetwork}s of given sizes. {@link LstmNetwork#create} loads the SIMD implementation
 * reflectively through this interface (it needs a public no-argument constructor, which a network of
 * given sizes cannot have), as {@link org.neurorl.kernel.Kernels#select} does for the step kernels.
 */
@FunctionalInterface
public interface LstmNetworkFactory {
  LstmNetwork create(int inputs, int hidden, int actions);
}
