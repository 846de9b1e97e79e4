package org.neurorl.kernel.plastic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticRnnState.Quantity;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * What every {@link PlasticNetwork} implementation owes the trainer: the layout of A2C-SPEC.md, a
 * forward pass equal to the forward-only kernels', the α = 0 property, argument checks and blow-up
 * detection. Runs on the reference and (when present) the SIMD network.
 */
class PlasticNetworkContractTest {
  static final int I = 3, A = 2;

  static Stream<String> implementations() {
    return PlasticNetworkFixture.implementations();
  }

  @Test
  void layoutNamesTheTensorsOfTheSpecInOrder() {
    ParameterLayout l = PlasticNetwork.layout(3, 5, 2);
    assertEquals(List.of("W", "U", "b", "Wz", "Uz", "bz", "alpha", "wM", "bM", "Wpi", "bpi", "wv", "bv"), l.names());
    assertEquals(2 * 15 + 3 * 25 + 3 * 5 + 1 + 10 + 2 + 5 + 1, l.size());
    assertEquals(List.of(5, 5), Arrays.stream(l.tensor("alpha").shape()).boxed().toList());
  }

  /**
   * The reference's forward equals ReferencePlasticRnn's (the forward-only float64 transcription) step
   * by step: both compute the same float64 expressions in the same order, so the bound 1e−12 relative
   * only allows for a reordered sum.
   */
  @Test
  void referenceForwardAgreesWithTheForwardOnlyReference() {
    int n = 6, batch = 3, steps = 30;
    PlasticityRule rule = PlasticityRule.modulated(0.3f, 0.5f, 0.8f, 0.02f);
    ReferencePlasticNetwork net = new ReferencePlasticNetwork(I, n, A, rule);
    float[] params = PlasticNetworkFixture.parameters(net, 1.0, 5);
    PlasticRnnWeights w = net.weights(params);
    ReferencePlasticRnn kernel = new ReferencePlasticRnn();
    PlasticRnnState state = kernel.newState(w, rule, batch);
    double[] p = new double[params.length];
    for (int k = 0; k < p.length; k++) {
      p[k] = params[k];
    }
    ReferencePlasticNetwork.Trajectory tr = net.trajectory(p, batch, steps, Parallel.serial());
    float[] x = new float[batch * I], logits = new float[batch * A], values = new float[batch];
    double[] xd = new double[batch * I], ld = new double[batch * A], vd = new double[batch];
    int clipped = 0;
    for (int t = 0; t < steps; t++) {
      PlasticNetworkFixture.input(x, 9, t);
      for (int k = 0; k < x.length; k++) {
        xd[k] = x[k];
      }
      kernel.step(state, x, logits, values, Parallel.serial());
      tr.step(xd, ld, vd);
      for (int k = 0; k < logits.length; k++) {
        assertEquals(logits[k], (float) ld[k], "logit " + k + " at step " + t);
      }
      for (int a = 0; a < batch; a++) {
        assertEquals(values[a], (float) vd[a], "value at step " + t);
        assertEquals(state.modulator(a), tr.modulator(t)[a], 1e-12, "M at step " + t);
        assertClose(state.copyOut(Quantity.H, a), Arrays.copyOfRange(tr.hidden(t), a * n, (a + 1) * n), "h", t);
        assertClose(state.copyOut(Quantity.TRACE, a), Arrays.copyOfRange(tr.trace(t), a * n, (a + 1) * n), "e", t);
        assertClose(state.copyOut(Quantity.ELIGIBILITY, a), tr.eligibility(t, a), "E", t);
        double[] du = tr.fastWeights(t, a);
        assertClose(state.copyOut(Quantity.FAST_WEIGHTS, a), du, "dU", t);
        for (double d : du) {
          clipped += Math.abs(d) == rule.clip() ? 1 : 0;
        }
      }
    }
    assertTrue(clipped > 0, "the clip was never active: the comparison would not cover it");
  }

  private static void assertClose(double[] expected, double[] actual, String what, int t) {
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], 1e-12 * Math.max(1, Math.abs(expected[k])), what + "[" + k + "] at step " + t);
    }
  }

  /**
   * With α = 0 the fast weights never reach g (dU enters the network only through α ⊙ dU), so the loss
   * does not depend on dU, hence not on M, wM or bM: their gradients are exactly 0 (the backward pass
   * multiplies every path into them by α). The gradient of α itself is not 0: ∂α_ij = Σ ∂g_i dU_ij h_j.
   */
  @ParameterizedTest
  @MethodSource("implementations")
  void alphaZeroGivesZeroModulatorGradient(String impl) {
    PlasticNetwork net = PlasticNetworkFixture.network(impl, I, 7, A);
    float[] params = PlasticNetworkFixture.parameters(net, 1.0, 8);
    ParameterLayout.Tensor alpha = net.layout().tensor("alpha");
    Arrays.fill(params, alpha.offset(), alpha.offset() + alpha.size(), 0f);
    float[] grad = PlasticNetworkFixture.gradient(net, params, 3, 25, Parallel.serial(), 4);
    for (String name : List.of("wM", "bM")) {
      ParameterLayout.Tensor t = net.layout().tensor(name);
      for (int k = t.offset(); k < t.offset() + t.size(); k++) {
        assertEquals(0f, grad[k], name + " gradient");
      }
    }
    double alphaNorm = 0;
    for (int k = alpha.offset(); k < alpha.offset() + alpha.size(); k++) {
      alphaNorm += Math.abs(grad[k]);
    }
    assertTrue(alphaNorm > 1e-6, "the gradient of alpha itself is not zero: " + alphaNorm);
  }

  /** Bit-identical gradients for 1 and 2 threads, on the Java (N = 17) and OpenBLAS (N = 65) step paths. */
  @ParameterizedTest
  @MethodSource("implementations")
  void sameGradientForOneAndTwoThreads(String impl) {
    for (int n : new int[] {17, 65}) {
      PlasticNetwork net = PlasticNetworkFixture.network(impl, I, n, A);
      float[] params = PlasticNetworkFixture.parameters(net, 1.0, 2);
      int steps = n < 64 ? 40 : 20;
      float[] serial = PlasticNetworkFixture.gradient(net, params, 11, steps, Parallel.serial(), 6);
      try (Parallel two = Parallel.of(2)) {
        float[] parallel = PlasticNetworkFixture.gradient(net, params, 11, steps, two, 6);
        assertTrue(Arrays.equals(serial, parallel), "N = " + n + ": gradients differ between 1 and 2 threads");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void badArgumentsAreRejectedWithClearMessages(String impl) {
    PlasticNetwork net = PlasticNetworkFixture.network(impl, I, 4, A);
    float[] params = net.initialParameters(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.begin(new float[params.length - 1], 2, 5, Parallel.serial()));
    assertTrue(e.getMessage().contains("parameters.length"), e.getMessage());
    float[] nan = params.clone();
    nan[3] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> net.begin(nan, 2, 5, Parallel.serial()));
    assertTrue(e.getMessage().contains("parameters[3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> net.begin(params, 0, 5, Parallel.serial()));
    assertThrows(IllegalArgumentException.class, () -> net.begin(params, 2, 0, Parallel.serial()));
    assertThrows(IllegalArgumentException.class, () -> net.begin(params, 2, 5, null));
    try (RecurrentNetwork.Rollout r = net.begin(params, 2, 1, Parallel.serial())) {
      e = assertThrows(IllegalArgumentException.class, () -> r.step(new float[2 * I - 1], new float[4], new float[2]));
      assertTrue(e.getMessage().startsWith("x.length"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> r.step(new float[2 * I], new float[3], new float[2]));
      assertThrows(IllegalArgumentException.class, () -> r.step(new float[2 * I], new float[4], new float[1]));
      assertThrows(IllegalStateException.class, () -> r.backward(new float[4], new float[2], new float[params.length]));
      r.step(new float[2 * I], new float[4], new float[2]);
      assertThrows(IllegalStateException.class, () -> r.step(new float[2 * I], new float[4], new float[2]));
      e = assertThrows(IllegalArgumentException.class, () -> r.backward(new float[3], new float[2], new float[params.length]));
      assertTrue(e.getMessage().startsWith("dLogits.length"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> r.backward(new float[4], new float[1], new float[params.length]));
      e = assertThrows(IllegalArgumentException.class, () -> r.backward(new float[4], new float[2], new float[params.length + 1]));
      assertTrue(e.getMessage().startsWith("gradient.length"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> r.hidden(1));
    }
  }

  @Test
  void badHyperparametersAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlasticNetwork.create(I, 4, A, 0f, 0.5f, 0.5f, 1f));
    assertTrue(e.getMessage().startsWith("traceRate = 0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PlasticNetwork.create(I, 4, A, 0.5f, 1.5f, 0.5f, 1f));
    assertTrue(e.getMessage().startsWith("eligibilityRate = 1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PlasticNetwork.create(I, 4, A, 0.5f, 0.5f, -0.1f, 1f));
    assertTrue(e.getMessage().startsWith("plasticRate = -0.1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PlasticNetwork.create(I, 4, A, 0.5f, 0.5f, 0.5f, 0f));
    assertTrue(e.getMessage().startsWith("clip = 0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ReferencePlasticNetwork(I, 4, A,
        PlasticityRule.stdp(0.3f, 0.2f, 1f, 1f, 0.5f, 1f)));
    assertTrue(e.getMessage().startsWith("rule.kind = STDP"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReferencePlasticNetwork(0, 4, A, PlasticNetworkFixture.RULE));
    assertThrows(IllegalArgumentException.class, () -> new ReferencePlasticNetwork(I, 0, A, PlasticNetworkFixture.RULE));
    assertThrows(IllegalArgumentException.class, () -> new ReferencePlasticNetwork(I, 4, 0, PlasticNetworkFixture.RULE));
    assertThrows(IllegalArgumentException.class, () -> new ReferencePlasticNetwork(I, 4, A, null));
  }

  /** A NaN input reaches v in the first step: the forward pass reports it instead of returning NaN logits. */
  @ParameterizedTest
  @MethodSource("implementations")
  void nanInTheForwardPassIsReported(String impl) {
    PlasticNetwork net = PlasticNetworkFixture.network(impl, I, 5, A);
    try (RecurrentNetwork.Rollout r = net.begin(net.initialParameters(3), 2, 4, Parallel.serial())) {
      float[] x = new float[2 * I];
      x[I + 1] = Float.NaN;
      NumericalBlowUpException e = assertThrows(NumericalBlowUpException.class,
          () -> r.step(x, new float[2 * A], new float[2]));
      assertEquals(1, e.agent());
      assertEquals(0, e.step());
    }
    // overflow: huge weights drive v beyond float32 range
    float[] p = net.initialParameters(3);
    ParameterLayout.Tensor w = net.layout().tensor("W");
    Arrays.fill(p, w.offset(), w.offset() + w.size(), 1e30f);
    try (RecurrentNetwork.Rollout r = net.begin(p, 2, 4, Parallel.serial())) {
      float[] x = new float[2 * I];
      Arrays.fill(x, 1e20f);
      assertThrows(NumericalBlowUpException.class, () -> r.step(x, new float[2 * A], new float[2]));
    }
  }

  /** create() picks the SIMD network when the Vector API is there (and Surefire says it must be). */
  @Test
  void createSelectsTheSimdNetworkWhenExpected() {
    PlasticNetwork net = PlasticNetwork.create(I, 6, A, PlasticNetworkFixture.RULE);
    assertEquals("plastic", net.name());
    assertEquals(6, net.hidden());
    if (org.neurorl.kernel.SimdExpectations.expected()
        && !org.neurorl.kernel.Kernels.requestedImplementation().equals("reference")) {
      assertTrue(net.implementation().startsWith("simd-"), net.implementation());
    }
  }

  /** The SIMD network reuses its buffers: a rollout superseded by a later begin() refuses to run. */
  @Test
  void aSupersededRolloutRefusesFurtherCalls() {
    if (!PlasticNetworkFixture.simdClassPresent()) {
      return;
    }
    PlasticNetwork net = PlasticNetworkFixture.network("simd", I, 4, A);
    float[] p = net.initialParameters(1);
    RecurrentNetwork.Rollout first = net.begin(p, 2, 3, Parallel.serial());
    first.step(new float[2 * I], new float[2 * A], new float[2]);
    RecurrentNetwork.Rollout second = net.begin(p, 2, 3, Parallel.serial());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> first.step(new float[2 * I], new float[2 * A], new float[2]));
    assertTrue(e.getMessage().contains("superseded"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> first.backward(new float[2 * A], new float[2], new float[p.length]));
    second.step(new float[2 * I], new float[2 * A], new float[2]);
    assertEquals(1, second.steps());
  }

  @Test
  void initialParametersAreDeterministicAndScaled() {
    PlasticNetwork net = new ReferencePlasticNetwork(I, 16, A, PlasticNetworkFixture.RULE);
    float[] a = net.initialParameters(7), b = net.initialParameters(7);
    assertTrue(Arrays.equals(a, b));
    ParameterLayout.Tensor u = net.layout().tensor("U");
    float max = 0;
    for (int k = u.offset(); k < u.offset() + u.size(); k++) {
      max = Math.max(max, Math.abs(a[k]));
    }
    assertTrue(max <= 0.25f && max > 0.2f, "U within ±1/√N: " + max);
    assertEquals(0f, a[net.layout().tensor("bM").offset()]);
  }
}
