package org.neurorl.kernel.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;

/** Bad arguments give clear errors and a forward pass that blows up is reported, for every implementation. */
class LstmNetworkValidationTest {
  static final int IN = 3, N = 5, NA = 2, B = 3, T = 4;

  static Stream<Arguments> networks() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of("reference", (IntFunction<LstmNetwork>) k -> new ReferenceLstmNetwork(IN, N, NA)));
    out.add(Arguments.of("simd", (IntFunction<LstmNetwork>) k -> LstmNetworkFixtures.simd(IN, N, NA)));
    out.add(Arguments.of("simd-java-products",
        (IntFunction<LstmNetwork>) k -> LstmNetworkFixtures.simdJavaProducts(IN, N, NA)));
    return out.stream();
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void badBeginArguments(String name, IntFunction<LstmNetwork> make) {
    LstmNetwork net = make.apply(0);
    float[] theta = LstmNetwork.initialParameters(IN, N, NA, 1);
    assertTrue(message(() -> net.begin(new float[theta.length - 1], B, T, Parallel.serial()))
        .contains("parameters.length = " + (theta.length - 1)));
    assertTrue(message(() -> net.begin(null, B, T, Parallel.serial())).contains("parameters is null"));
    float[] nan = theta.clone();
    int wh = net.layout().tensor("Wh").offset();
    nan[wh + 2] = Float.NaN;
    String m = message(() -> net.begin(nan, B, T, Parallel.serial()));
    assertTrue(m.contains("tensor Wh, element 2") && m.contains("NaN"), m);
    assertTrue(message(() -> net.begin(theta, 0, T, Parallel.serial())).contains("batch = 0"));
    assertTrue(message(() -> net.begin(theta, B, 0, Parallel.serial())).contains("maxSteps = 0"));
    assertTrue(message(() -> net.begin(theta, B, T, null)).contains("pool is null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void badStepAndBackwardArguments(String name, IntFunction<LstmNetwork> make) {
    LstmNetwork net = make.apply(0);
    float[] theta = LstmNetwork.initialParameters(IN, N, NA, 1);
    float[] x = new float[B * IN], logits = new float[B * NA], values = new float[B];
    try (RecurrentNetwork.Rollout r = net.begin(theta, B, T, Parallel.serial())) {
      assertTrue(message(() -> r.step(new float[B * IN + 1], logits, values)).contains("x.length = " + (B * IN + 1)));
      assertTrue(message(() -> r.step(x, new float[1], values)).contains("logits.length = 1"));
      assertTrue(message(() -> r.step(x, logits, new float[B + 2])).contains("values.length"));
      assertEquals(0, r.steps(), "a rejected step records nothing");
      r.step(x, logits, values);
      r.step(x, logits, values);
      float[] g = new float[net.layout().size()];
      assertTrue(message(() -> r.backward(new float[T * B * NA], new float[2 * B], g))
          .contains("dLogits.length = " + (T * B * NA)));
      assertTrue(message(() -> r.backward(new float[2 * B * NA], new float[2 * B], new float[3]))
          .contains("gradient.length = 3"));
      float[] dl = new float[2 * B * NA];
      dl[B * NA + NA + 1] = Float.POSITIVE_INFINITY;
      String m = message(() -> r.backward(dl, new float[2 * B], g));
      assertTrue(m.contains("step 1, agent 1") && m.contains("Infinity"), m);
      assertTrue(message(() -> r.hidden(2)).contains("t = 2"));
      r.step(x, logits, values);
      r.step(x, logits, values);
      assertThrows(IllegalStateException.class, () -> r.step(x, logits, values));
      r.close();
      assertThrows(IllegalStateException.class, () -> r.step(x, logits, values));
      assertThrows(IllegalStateException.class,
          () -> r.backward(new float[T * B * NA], new float[T * B], new float[net.layout().size()]));
    }
  }

  /**
   * Policy rows of ±3e38 with biases of ±3.4e38 (next to Float.MAX_VALUE): one of the two logits overflows
   * whatever the sign of Σh (unless Σh is exactly 0), and the step says which quantity and which step.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void blowUpInTheForwardPassIsReported(String name, IntFunction<LstmNetwork> make) {
    LstmNetwork net = make.apply(0);
    float[] theta = LstmNetwork.initialParameters(IN, N, NA, 1);
    int wpi = net.layout().tensor("Wpi").offset();
    int bpi = net.layout().tensor("bpi").offset();
    for (int k = 0; k < N; k++) {
      theta[wpi + k] = 3e38f;
      theta[wpi + N + k] = -3e38f;
    }
    theta[bpi] = 3.4e38f;
    theta[bpi + 1] = -3.4e38f;
    float[] x = new float[B * IN], logits = new float[B * NA], values = new float[B];
    x[0] = 1; // agent 0 gets a non-zero input so its h is non-zero at step 0
    try (RecurrentNetwork.Rollout r = net.begin(theta, B, T, Parallel.serial())) {
      NumericalBlowUpException e = assertThrows(NumericalBlowUpException.class, () -> r.step(x, logits, values));
      assertTrue(e.quantity().startsWith("logits"), e.getMessage());
      assertEquals(0, e.step());
    }
  }
}
