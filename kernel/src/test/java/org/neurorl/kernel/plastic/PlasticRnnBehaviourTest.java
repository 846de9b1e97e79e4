package org.neurorl.kernel.plastic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticRnnState.Quantity;

/** Determinism, antisymmetry, allocation, argument checks and blow-up detection of the plastic step. */
class PlasticRnnBehaviourTest {

  /** Runs {@code steps} steps and returns every quantity of every agent plus the outputs, as doubles. */
  static double[][] trajectory(PlasticRnnKernel k, PlasticityRule.Kind kind, int n, int batch, int steps,
      Parallel pool) {
    PlasticRnnWeights w = PlasticRnnFixture.weights(n, 21);
    PlasticRnnState s = k.newState(w, PlasticRnnFixture.rule(kind), batch);
    float[] x = new float[batch * PlasticRnnFixture.INPUTS];
    float[] logits = new float[batch * PlasticRnnFixture.ACTIONS];
    float[] values = new float[batch];
    java.util.List<double[]> out = new java.util.ArrayList<>();
    for (int t = 0; t < steps; t++) {
      PlasticRnnFixture.input(x, 4, t);
      k.step(s, x, logits, values, pool);
      out.add(PlasticRnnEquivalenceTest.toDouble(logits));
      out.add(PlasticRnnEquivalenceTest.toDouble(values));
    }
    for (int a = 0; a < batch; a++) {
      for (Quantity q : Quantity.values()) {
        if (s.holds(q)) {
          out.add(s.copyOut(q, a));
        }
      }
      out.add(new double[] {s.modulator(a)});
    }
    return out.toArray(double[][]::new);
  }

  /** create() picks the SIMD kernel of the pinned width when the Vector API is there. */
  @Tag("simd-width")
  @Test
  void createSelectsTheSimdKernel() {
    PlasticRnnKernel simd = PlasticRnnFixture.simd();
    assertEquals(simd.implementation(), PlasticRnnKernel.create().implementation());
    assertTrue(simd.implementation().startsWith("simd-"), simd.implementation());
    assertEquals("reference", new ReferencePlasticRnn().implementation());
  }

  /** The same numbers whatever the thread count: agent blocks and lane sums are fixed. */
  @Tag("simd-width")
  @ParameterizedTest
  @EnumSource(PlasticityRule.Kind.class)
  void simdIsBitIdenticalForAnyThreadCount(PlasticityRule.Kind kind) {
    PlasticRnnKernel k = PlasticRnnFixture.simd();
    try (Parallel two = Parallel.of(2); Parallel three = Parallel.of(3)) {
      for (int[] nb : new int[][] {{48, 37}, {130, 70}}) {
        double[][] serial = trajectory(k, kind, nb[0], nb[1], 12, Parallel.serial());
        double[][] p2 = trajectory(k, kind, nb[0], nb[1], 12, two);
        double[][] p3 = trajectory(k, kind, nb[0], nb[1], 12, three);
        for (int i = 0; i < serial.length; i++) {
          assertArrayEquals(serial[i], p2[i], 0.0, "2 threads, N=" + nb[0] + ", array " + i);
          assertArrayEquals(serial[i], p3[i], 0.0, "3 threads, N=" + nb[0] + ", array " + i);
        }
      }
    }
  }

  /** Twice in one JVM gives the same numbers (no hidden state; the interpreter and C2 agree). */
  @Tag("simd-width")
  @Test
  void simdIsRepeatable() {
    PlasticRnnKernel k = PlasticRnnFixture.simd();
    double[][] first = trajectory(k, PlasticityRule.Kind.MODULATED, 17, 5, 30, Parallel.serial());
    for (int warm = 0; warm < 20; warm++) {
      trajectory(k, PlasticityRule.Kind.MODULATED, 17, 5, 30, Parallel.serial());
    }
    double[][] later = trajectory(k, PlasticityRule.Kind.MODULATED, 17, 5, 30, Parallel.serial());
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], later[i], 0.0, "array " + i);
    }
  }

  /** Under the modulated rule E and dU start at zero and stay exactly antisymmetric, in both kernels. */
  @Tag("simd-width")
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void modulatedStateStaysAntisymmetric(boolean simd) {
    PlasticRnnKernel k = simd ? PlasticRnnFixture.simd() : new ReferencePlasticRnn();
    int n = 17, batch = 3;
    PlasticRnnState s = k.newState(PlasticRnnFixture.weights(n, 2), PlasticRnnFixture.modulated(), batch);
    float[] x = new float[batch * PlasticRnnFixture.INPUTS];
    float[] logits = new float[batch * PlasticRnnFixture.ACTIONS];
    float[] values = new float[batch];
    double largest = 0;
    for (int t = 0; t < 100; t++) {
      PlasticRnnFixture.input(x, 8, t);
      k.step(s, x, logits, values, Parallel.serial());
    }
    for (int a = 0; a < batch; a++) {
      for (Quantity q : new Quantity[] {Quantity.ELIGIBILITY, Quantity.FAST_WEIGHTS}) {
        double[] m = s.copyOut(q, a);
        for (int i = 0; i < n; i++) {
          assertEquals(0.0, m[i * n + i], 0.0, q + " diagonal");
          for (int j = 0; j < n; j++) {
            assertEquals(-m[j * n + i], m[i * n + j], 0.0, q + " (" + i + "," + j + ") agent " + a);
            largest = Math.max(largest, Math.abs(m[i * n + j]));
          }
        }
      }
    }
    assertTrue(largest > 0, "the state should have moved away from zero");
  }

  /**
   * Silent units make traces, E and dU decay geometrically; in float32 they would reach subnormal numbers,
   * which x86 handles in microcode (~100 cycles each; it made the step 20–40× slower). The reference run
   * proves this scenario goes below the float32 normal range; the SIMD state must hold none there.
   */
  @Tag("simd-width")
  @ParameterizedTest
  @EnumSource(PlasticityRule.Kind.class)
  void simdStateNeverHoldsSubnormals(PlasticityRule.Kind kind) {
    int n = 16, batch = 2, in = PlasticRnnFixture.INPUTS;
    PlasticRnnWeights w = PlasticRnnFixture.weights(n, 12);
    double smallestRef = Double.MAX_VALUE;
    for (PlasticRnnKernel k : new PlasticRnnKernel[] {new ReferencePlasticRnn(), PlasticRnnFixture.simd()}) {
      PlasticRnnState s = k.newState(w, PlasticRnnFixture.rule(kind), batch);
      float[] x = new float[batch * in];
      float[] logits = new float[batch * PlasticRnnFixture.ACTIONS];
      float[] values = new float[batch];
      for (int t = 0; t < 600; t++) {
        if (t < 30) {
          PlasticRnnFixture.input(x, 5, t);
        } else {
          java.util.Arrays.fill(x, -3f); // drive most units below zero: h = 0, traces decay
        }
        k.step(s, x, logits, values, Parallel.serial());
      }
      for (int a = 0; a < batch; a++) {
        for (Quantity q : Quantity.values()) {
          if (!s.holds(q)) {
            continue;
          }
          for (double d : s.copyOut(q, a)) {
            if (k instanceof ReferencePlasticRnn) {
              if (d != 0) {
                smallestRef = Math.min(smallestRef, Math.abs(d));
              }
            } else {
              assertTrue(d == 0 || Math.abs(d) >= Float.MIN_NORMAL, q + " holds a subnormal " + d);
            }
          }
        }
      }
    }
    assertTrue(smallestRef < Float.MIN_NORMAL, "the scenario should decay below float32's normal range: "
        + smallestRef);
  }

  /** After warm-up a step allocates nothing (catches Vector API boxing and per-call lambdas). */
  @ParameterizedTest
  @EnumSource(PlasticityRule.Kind.class)
  void simdSteadyStateDoesNotAllocate(PlasticityRule.Kind kind) {
    PlasticRnnKernel k = PlasticRnnFixture.simd();
    for (int n : new int[] {48, 130}) { // Java path and OpenBLAS path of the shared products
      int batch = 20;
      PlasticRnnState s = k.newState(PlasticRnnFixture.weights(n, 2), PlasticRnnFixture.rule(kind), batch);
      float[] x = new float[batch * PlasticRnnFixture.INPUTS];
      float[] logits = new float[batch * PlasticRnnFixture.ACTIONS];
      float[] values = new float[batch];
      PlasticRnnFixture.input(x, 1, 0);
      for (int t = 0; t < 2000; t++) {
        k.step(s, x, logits, values, Parallel.serial());
      }
      ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int t = 0; t < 500; t++) {
        k.step(s, x, logits, values, Parallel.serial());
      }
      long allocated = bean.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < 4096, "500 steps at N=" + n + " allocated " + allocated + " bytes");
    }
  }


  /**
   * A huge input weight (column 0 of W is 1e30, of Wz is 1, so the gate opens) meets a large input for
   * agent 2 only at step 3: v overflows float32 for that agent alone, and both kernels say so with the
   * quantity, the agent and the step.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void blowUpIsReported(boolean simd) {
    PlasticRnnKernel k = simd ? PlasticRnnFixture.simd() : new ReferencePlasticRnn();
    int n = 7, batch = 5, in = PlasticRnnFixture.INPUTS;
    PlasticRnnWeights g = PlasticRnnFixture.weights(n, 2);
    float[] w = g.w().clone(), wz = g.wz().clone();
    for (int i = 0; i < n; i++) {
      w[i * in] = 1e30f;
      wz[i * in] = 1f;
    }
    PlasticRnnWeights huge = new PlasticRnnWeights(n, in, g.actions(), w, g.u(), g.b(), wz, g.uz(), g.bz(),
        g.alpha(), g.wM(), g.bM(), g.wPi(), g.bPi(), g.wv(), g.bv());
    PlasticRnnState s = k.newState(huge, PlasticRnnFixture.modulated(), batch);
    float[] x = new float[batch * in];
    float[] logits = new float[batch * PlasticRnnFixture.ACTIONS];
    float[] values = new float[batch];
    for (int t = 0; t < 3; t++) {
      PlasticRnnFixture.input(x, 3, t);
      for (int a = 0; a < batch; a++) {
        x[a * in] = 0f; // the huge column stays silent
      }
      k.step(s, x, logits, values, Parallel.serial());
    }
    x[2 * in] = 1e10f;
    NumericalBlowUpException e = assertThrows(NumericalBlowUpException.class,
        () -> k.step(s, x, logits, values, Parallel.serial()));
    assertEquals("v", e.quantity());
    assertEquals(2, e.agent());
    assertEquals(3, e.step());
    assertTrue(e.getMessage().contains("agent 2") && e.getMessage().contains("step 3"), e.getMessage());
  }

  @Test
  void badParametersAreRejected() {
    assertBad("traceRate", () -> PlasticityRule.modulated(0f, 0.5f, 0.5f, 1f));
    assertBad("eligibilityRate", () -> PlasticityRule.modulated(0.5f, 1.5f, 0.5f, 1f));
    assertBad("plasticRate", () -> PlasticityRule.modulated(0.5f, 0.5f, Float.NaN, 1f));
    assertBad("clip", () -> PlasticityRule.modulated(0.5f, 0.5f, 0.5f, -1f));
    assertBad("clip", () -> PlasticityRule.stdp(0.5f, 0.5f, 1f, 1f, 0.5f, Float.POSITIVE_INFINITY));
    assertBad("plusRate", () -> PlasticityRule.stdp(-0.1f, 0.5f, 1f, 1f, 0.5f, 1f));
    assertBad("minusAmplitude", () -> PlasticityRule.stdp(0.5f, 0.5f, 1f, -1f, 0.5f, 1f));
    PlasticRnnWeights good = PlasticRnnFixture.weights(4, 1);
    assertBad("u.length", () -> new PlasticRnnWeights(4, good.inputs(), good.actions(), good.w(), new float[15],
        good.b(), good.wz(), good.uz(), good.bz(), good.alpha(), good.wM(), good.bM(), good.wPi(), good.bPi(),
        good.wv(), good.bv()));
    float[] nanAlpha = good.alpha().clone();
    nanAlpha[3] = Float.NaN;
    assertBad("alpha[3]", () -> new PlasticRnnWeights(4, good.inputs(), good.actions(), good.w(), good.u(),
        good.b(), good.wz(), good.uz(), good.bz(), nanAlpha, good.wM(), good.bM(), good.wPi(), good.bPi(),
        good.wv(), good.bv()));
    assertBad("bv", () -> new PlasticRnnWeights(4, good.inputs(), good.actions(), good.w(), good.u(), good.b(),
        good.wz(), good.uz(), good.bz(), good.alpha(), good.wM(), good.bM(), good.wPi(), good.bPi(), good.wv(),
        Float.POSITIVE_INFINITY));
    assertBad("hidden", () -> PlasticRnnWeights.constantAlpha(0, 1f));
  }

  @Tag("simd-width")
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void badCallsAreRejected(boolean simd) {
    PlasticRnnKernel k = simd ? PlasticRnnFixture.simd() : new ReferencePlasticRnn();
    PlasticRnnKernel other = simd ? new ReferencePlasticRnn() : PlasticRnnFixture.simd();
    PlasticRnnWeights w = PlasticRnnFixture.weights(4, 1);
    assertBad("batch", () -> k.newState(w, PlasticRnnFixture.modulated(), 0));
    assertBad("rule", () -> k.newState(w, null, 2));
    PlasticRnnState s = k.newState(w, PlasticRnnFixture.modulated(), 2);
    float[] x = new float[2 * PlasticRnnFixture.INPUTS];
    float[] logits = new float[2 * PlasticRnnFixture.ACTIONS];
    float[] values = new float[2];
    assertBad("x.length", () -> k.step(s, new float[3], logits, values, Parallel.serial()));
    assertBad("logits", () -> k.step(s, x, null, values, Parallel.serial()));
    assertBad("values.length", () -> k.step(s, x, logits, new float[1], Parallel.serial()));
    assertBad("pool", () -> k.step(s, x, logits, values, null));
    PlasticRnnState foreign = other.newState(w, PlasticRnnFixture.modulated(), 2);
    assertBad("state", () -> k.step(foreign, x, logits, values, Parallel.serial()));
    assertBad("agent", () -> s.copyOut(Quantity.V, 2));
    assertBad("quantity", () -> s.copyOut(Quantity.TRACE_MINUS, 0));
    assertBad("values.length", () -> s.copyIn(Quantity.V, 0, new double[3]));
    assertBad("values[1]", () -> s.copyIn(Quantity.H, 0, new double[] {0, Double.NaN, 0, 0}));
    PlasticRnnState stdp = k.newState(w, PlasticRnnFixture.stdp(), 2);
    assertBad("quantity", () -> stdp.copyOut(Quantity.ELIGIBILITY, 0));
    assertTrue(Double.isNaN(stdp.modulator(0)), "no modulator under STDP");
  }

  /** reset zeroes the state: the next steps repeat those of a fresh state exactly. */
  @Tag("simd-width")
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void resetRestartsTheTrajectory(boolean simd) {
    PlasticRnnKernel k = simd ? PlasticRnnFixture.simd() : new ReferencePlasticRnn();
    int n = 16, batch = 3;
    PlasticRnnState s = k.newState(PlasticRnnFixture.weights(n, 6), PlasticRnnFixture.modulated(), batch);
    float[] x = new float[batch * PlasticRnnFixture.INPUTS];
    float[] l1 = new float[batch * PlasticRnnFixture.ACTIONS], l2 = l1.clone();
    float[] values = new float[batch];
    for (int t = 0; t < 10; t++) {
      PlasticRnnFixture.input(x, 2, t);
      k.step(s, x, l1, values, Parallel.serial());
    }
    float[] first = l1.clone();
    float[] hidden = new float[batch * n];
    s.copyHidden(hidden);
    assertEquals((float) s.copyOut(Quantity.H, 1)[5], hidden[n + 5], "copyHidden is agent-major");
    s.reset();
    assertEquals(0, s.steps());
    for (int t = 0; t < 10; t++) {
      PlasticRnnFixture.input(x, 2, t);
      k.step(s, x, l2, values, Parallel.serial());
    }
    assertArrayEquals(first, l2, "logits after reset");
    s.reset(1);
    assertArrayEquals(new double[n * n], s.copyOut(Quantity.FAST_WEIGHTS, 1), "reset(agent)");
    assertEquals(0.0, s.modulator(1));
    float[] m = new float[batch];
    s.copyModulators(m);
    assertEquals((float) s.modulator(0), m[0]);
  }

  static void assertBad(String name, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(name) && e.getMessage().contains("allowed"),
        "message should name " + name + " and what is allowed: " + e.getMessage());
  }
}
