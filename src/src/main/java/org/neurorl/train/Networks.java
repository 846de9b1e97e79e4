package org.neurorl.train;

import java.util.Arrays;
import org.neurorl.kernel.lstm.LstmNetwork;
import org.neurorl.kernel.plastic.PlasticNetwork;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/** Builds the network a config names, and its initial parameters. */
public final class Networks {
  private Networks() {}

  /**
   * The network of {@code config}: "lstm" (MODELS.md §2) or "plastic" (§1, modulated rule with the config's
   * rates and clip); the SIMD implementation when the Vector API is available, else the float64 reference.
   */
  public static RecurrentNetwork create(A2cConfig config) {
    return switch (config.network()) {
      case "lstm" -> LstmNetwork.create(config.inputs(), config.hidden(), config.actions());
      case "plastic" -> PlasticNetwork.create(config.inputs(), config.hidden(), config.actions(), config.traceRate(),
          config.stdpRate(), config.plasticityRate(), config.plasticityClip());
      default -> throw new IllegalArgumentException("network = " + config.network() + "; allowed: "
          + A2cConfig.NETWORKS);
    };
  }

  /**
   * The initial parameters of {@code network} (made by {@link #create} from {@code config}), drawn from
   * {@code config.seed()}: the LSTM uniform in ±1/√N (LstmParams.random), the plastic network as
   * {@link PlasticNetwork#initialParameters(long)} documents; then, when {@code config.initialValueBias()}
   * is set, every element of tensor {@code bv} is that value.
   */
  public static float[] initialParameters(A2cConfig config, RecurrentNetwork network) {
    float[] initial = ownInitialParameters(config, network);
    if (config.initialValueBias() != null) {
      // V can start at the size of the returns instead of 0: with V ≈ 0 and returns ≈ 5 every advantage
      // has the same sign for thousands of updates and the policy gradient only reinforces what was done
      ParameterLayout.Tensor bv = network.layout().tensor("bv");
      Arrays.fill(initial, bv.offset(), bv.offset() + bv.size(), config.initialValueBias());
    }
    return initial;
  }

  private static float[] ownInitialParameters(A2cConfig config, RecurrentNetwork network) {
    return switch (network) {
      case LstmNetwork lstm -> LstmNetwork.initialParameters(config.inputs(), config.hidden(), config.actions(),
          config.seed());
      case PlasticNetwork plastic -> plastic.initialParameters(config.seed());
      default -> throw new IllegalArgumentException("network " + network.name() + "; allowed: "
          + A2cConfig.NETWORKS + " (made by Networks.create)");
    };
  }

  /** A fresh trainer for {@code config}: its network and initial parameters. */
  public static A2cTrainer trainer(A2cConfig config, org.neurorl.kernel.Parallel pool) {
    RecurrentNetwork network = create(config);
    return new A2cTrainer(config, network, initialParameters(config, network), pool);
  }
}
