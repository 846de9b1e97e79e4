package org.neurorl.kernel.lstm;

import org.neurorl.kernel.SimdExpectations;

/** The SIMD LSTM network for tests (failing when it was expected and did not load). */
final class LstmNetworkFixtures {
  private LstmNetworkFixtures() {}

  static LstmNetwork simd(int inputs, int hidden, int actions) {
    return SimdExpectations.load(LstmNetworkFactory.class, LstmNetwork.SIMD_FACTORY).create(inputs, hidden, actions);
  }

  /** The SIMD network with every product in Java (what runs without OpenBLAS). */
  static LstmNetwork simdJavaProducts(int inputs, int hidden, int actions) {
    LstmNetworkFactory f = SimdExpectations.load(LstmNetworkFactory.class, LstmNetwork.SIMD_FACTORY);
    try {
      return (LstmNetwork) f.getClass().getMethod("createWithoutBlas", int.class, int.class, int.class)
          .invoke(f, inputs, hidden, actions);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
