package org.neurorl.kernel.plastic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.SimdExpectations;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/** Shared set-up for the plastic network (BPTT) tests. */
final class PlasticNetworkFixture {
  /** Fast rates and a small clip, so plasticity and the clip both act within a few steps. */
  static final PlasticityRule RULE = PlasticityRule.modulated(0.3f, 0.5f, 0.8f, 0.05f);

  private PlasticNetworkFixture() {}

  /** "reference", plus "simd" when the SIMD network class exists in this build. */
  static Stream<String> implementations() {
    List<String> impls = new ArrayList<>(List.of("reference"));
    if (simdClassPresent()) {
      impls.add("simd");
    }
    return impls.stream();
  }

  static boolean simdClassPresent() {
    try {
      Class.forName("org.neurorl.kernel.simd.SimdPlasticNetwork", false, PlasticNetworkFixture.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static PlasticNetwork network(String impl, int inputs, int hidden, int actions) {
    return network(impl, inputs, hidden, actions, RULE);
  }

  static PlasticNetwork network(String impl, int inputs, int hidden, int actions, PlasticityRule rule) {
    if (impl.equals("reference")) {
      return new ReferencePlasticNetwork(inputs, hidden, actions, rule);
    }
    return SimdExpectations.load(PlasticNetwork.Factory.class, "org.neurorl.kernel.simd.SimdPlasticNetwork$Factory")
        .create(inputs, hidden, actions, rule);
  }

  /**
   * Random parameters: input weights ±1/√I, U and Uz ±gain/√N (gain below 1 keeps the network out of
   * the chaotic regime where float32 and float64 trajectories separate exponentially), α ±2/√N, the
   * heads ±1/√N, biases ±0.1 (b +0.2 on average so units are active).
   */
  static float[] parameters(PlasticNetwork net, double gain, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double sIn = 1 / Math.sqrt(net.inputs()), sHid = 1 / Math.sqrt(net.hidden());
    float[] p = new float[net.layout().size()];
    for (ParameterLayout.Tensor t : net.layout().tensors()) {
      double scale = switch (t.name()) {
        case "W", "Wz" -> sIn;
        case "U", "Uz" -> gain * sHid;
        case "alpha" -> 2 * sHid;
        case "wM", "Wpi", "wv" -> sHid;
        default -> 0.1;
      };
      double shift = t.name().equals("b") ? 0.2 : 0;
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        p[k] = (float) ((2 * r.nextDouble() - 1) * scale + shift);
      }
    }
    return p;
  }

  /** Inputs for step t: uniform in (−1, 1), the same for every implementation. */
  static void input(float[] x, long seed, int t) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + t);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
  }

  /** Loss derivatives: uniform in (−1/B, 1/B) (the trainer's carry a 1/B), the same for every implementation. */
  static float[][] derivatives(int batch, int steps, int actions, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] dl = new float[steps * batch * actions], dv = new float[steps * batch];
    for (int k = 0; k < dl.length; k++) {
      dl[k] = (float) ((2 * r.nextDouble() - 1) / batch);
    }
    for (int k = 0; k < dv.length; k++) {
      dv[k] = (float) ((2 * r.nextDouble() - 1) / batch);
    }
    return new float[][] {dl, dv};
  }

  /** Runs {@code steps} steps of {@code batch} episodes and returns the gradient of the random linear loss. */
  static float[] gradient(PlasticNetwork net, float[] params, int batch, int steps, Parallel pool, long seed) {
    float[] x = new float[batch * net.inputs()], logits = new float[batch * net.actions()], values = new float[batch];
    float[] grad = new float[params.length];
    try (RecurrentNetwork.Rollout r = net.begin(params, batch, steps, pool)) {
      for (int t = 0; t < steps; t++) {
        input(x, seed, t);
        r.step(x, logits, values);
      }
      float[][] d = derivatives(batch, steps, net.actions(), seed + 1);
      r.backward(d[0], d[1], grad);
    }
    return grad;
  }
}
