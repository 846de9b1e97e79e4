package org.neurorl.meta;

import java.util.Arrays;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * A recurrent network with one fixed parameter vector, as it is evaluated after training: what the
 * analyses of Wang et al. (2018) Fig. 1 need to play it on the two-armed bandit.
 *
 * @param id short name used in file names and JSON keys (e.g. {@code lstm-correlated})
 * @param label what a legend says
 * @param network the network (its layout describes {@code parameters})
 * @param parameters the flat float32 parameter vector (copied)
 * @param trialInput whether the input carries {@code t / T} after the previous action and reward
 */
public record TrainedNetwork(String id, String label, RecurrentNetwork network, float[] parameters,
    boolean trialInput) {
  /** Arms of the bandit the figure is about. */
  public static final int ARMS = 2;

  public TrainedNetwork {
    if (id == null || id.isBlank() || !id.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException("id = " + id + "; allowed: lower-case letters, digits, '.', '_', '-'");
    }
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("label of " + id + " is empty; allowed: a legend text");
    }
    if (network == null) {
      throw new IllegalArgumentException("network of " + id + " is null; allowed: a RecurrentNetwork");
    }
    if (network.actions() != ARMS) {
      throw new IllegalArgumentException("network " + id + " has " + network.actions()
          + " actions; allowed: " + ARMS + " (the two-armed bandit)");
    }
    int inputs = ARMS + 1 + (trialInput ? 1 : 0);
    if (network.inputs() != inputs) {
      throw new IllegalArgumentException("network " + id + " has " + network.inputs() + " inputs; allowed: "
          + inputs + " (one-hot previous action, previous reward" + (trialInput ? ", t/T" : "") + ")");
    }
    Checks.finiteArray("parameters of " + id, parameters, network.layout().size());
    parameters = parameters.clone();
  }

  @Override
  public float[] parameters() {
    return parameters.clone();
  }

  /** The vector itself, for {@link RecurrentNetwork#begin} (which reads it and keeps nothing). */
  float[] parametersView() {
    return parameters;
  }

  /**
   * The same network with plasticity switched off: the tensor named {@code alpha} (the plastic
   * network's per-connection plasticity coefficients, A2C-SPEC) set to 0, every other parameter as is.
   */
  public TrainedNetwork withoutPlasticity(String newId, String newLabel) {
    return new TrainedNetwork(newId, newLabel, network, zeroTensor(network.layout(), parameters, "alpha"),
        trialInput);
  }

  /** A copy of {@code parameters} with tensor {@code name} set to 0 (throws when there is no such tensor). */
  public static float[] zeroTensor(ParameterLayout layout, float[] parameters, String name) {
    ParameterLayout.Tensor t = layout.tensor(name);
    float[] copy = parameters.clone();
    Arrays.fill(copy, t.offset(), t.offset() + t.size(), 0f);
    return copy;
  }
}
