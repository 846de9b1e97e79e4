package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/** {@link ReferenceLstmNetwork}: its forward pass is the existing {@link ReferenceLstm} step; its layout. */
class LstmNetworkReferenceTest {

  @Test
  void layoutNamesTheTensorsOfTheContract() {
    ParameterLayout layout = LstmNetwork.layout(3, 48, 2);
    assertEquals(java.util.List.of("Wx", "Wh", "b", "Wpi", "bpi", "wv", "bv"), layout.names());
    assertEquals(4 * 48 * 3 + 4 * 48 * 48 + 4 * 48 + 2 * 48 + 2 + 48 + 1, layout.size());
    assertArrayEquals(new int[] {192, 48}, layout.tensor("Wh").shape());
  }

  @Test
  void parametersRoundTripThroughLstmParams() {
    LstmParams p = LstmParams.random(4, 5, 3, 9);
    float[] theta = LstmNetwork.parameters(p);
    LstmParams back = LstmNetwork.params(4, 5, 3, theta);
    assertArrayEquals(p.inputWeights(), back.inputWeights());
    assertArrayEquals(p.recurrentWeights(), back.recurrentWeights());
    assertArrayEquals(p.gateBias(), back.gateBias());
    assertArrayEquals(p.policyWeights(), back.policyWeights());
    assertArrayEquals(p.policyBias(), back.policyBias());
    assertArrayEquals(p.valueWeights(), back.valueWeights());
    assertEquals(p.valueBias(), back.valueBias());
    assertArrayEquals(theta, LstmNetwork.initialParameters(4, 5, 3, 9));
  }

  /**
   * Both are float64 transcriptions of the same equations, summing in the same order from the same float
   * parameters and inputs (the step kernel adds Wh·h with h = 0 at t = 0, which adds exact zeros), so
   * their float outputs and hidden states are identical, not merely close.
   */
  @Test
  void forwardIsTheReferenceStepKernel() {
    int in = 3, n = 7, na = 3, batch = 4, steps = 30;
    LstmParams p = LstmParams.random(in, n, na, 5, 0.9f);
    ReferenceLstm kernel = new ReferenceLstm();
    LstmState state = kernel.newState(p, batch);
    RecurrentNetwork net = new ReferenceLstmNetwork(in, n, na);
    float[] l1 = new float[batch * na], l2 = new float[batch * na], v1 = new float[batch], v2 = new float[batch];
    try (RecurrentNetwork.Rollout r = net.begin(LstmNetwork.parameters(p), batch, steps, Parallel.serial())) {
      for (int t = 0; t < steps; t++) {
        float[] x = LstmFixtures.inputs(batch, in, 3, t);
        kernel.step(p, state, x, l1, v1, Parallel.serial());
        r.step(x, l2, v2);
        assertArrayEquals(l1, l2, "logits at step " + t);
        assertArrayEquals(v1, v2, "values at step " + t);
        double[] h = state.hiddenState();
        float[] hf = new float[h.length];
        for (int k = 0; k < h.length; k++) {
          hf[k] = (float) h[k];
        }
        assertArrayEquals(hf, r.hidden(t), "h at step " + t);
      }
      assertEquals(steps, r.steps());
    }
  }

  @Test
  void createReportsItsImplementation() {
    LstmNetwork net = LstmNetwork.create(3, 4, 2);
    assertEquals("lstm", net.name());
    if (org.neurorl.kernel.SimdExpectations.expected()) {
      assertTrue(net.implementation().startsWith("simd-"), "the SIMD network was expected: " + net);
    } else {
      assertTrue(net.implementation().equals("reference") || net.implementation().startsWith("simd-"),
          net.implementation());
    }
    assertEquals(3, net.inputs());
    assertEquals(4, net.hidden());
    assertEquals(2, net.actions());
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> new ReferenceLstmNetwork(0, 4, 2));
    assertThrows(IllegalArgumentException.class, () -> new ReferenceLstmNetwork(3, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> new ReferenceLstmNetwork(3, 4, 0));
  }
}
