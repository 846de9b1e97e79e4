package org.neurorl.train;

import org.neurorl.kernel.lstm.LstmNetwork;
import org.neurorl.kernel.train.RecurrentNetwork;

/** Builds the network a config names, and its initial parameters. */
public final class Networks {
  private Networks() {}

  /** The network of {@code config} (the SIMD implementation when the Vector API is available). */
  public static RecurrentNetwork create(A2cConfig config) {
    return switch (config.network()) {
      case "lstm" -> LstmNetwork.create(config.inputs(), config.hidden(), config.actions());
      default -> throw new IllegalArgumentException("network = " + config.network()
          + "; allowed in this build: lstm");
    };
  }

  /** The initial parameters of {@code config}'s network, drawn from {@code config.seed()}. */
  public static float[] initialParameters(A2cConfig config) {
    return switch (config.network()) {
      case "lstm" -> LstmNetwork.initialParameters(config.inputs(), config.hidden(), config.actions(), config.seed());
      default -> throw new IllegalArgumentException("network = " + config.network()
          + "; allowed in this build: lstm");
    };
  }
}
