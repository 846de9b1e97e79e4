package org.neurorl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.train.RecurrentNetwork;

class A2cTrainerTest {

  static A2cConfig config(String network, int hidden, String task, float[] p, String optimizer, float lr, int batch,
      long episodes, int trials, int checkpointEvery, long seed) {
    return new A2cConfig(network, hidden, false, 0.1f, 0.1f, 0.1f, 1f, task, p, trials, 0.9f, 0.05f, 0.05f, null,
        optimizer, lr, 50f, batch, episodes, seed, checkpointEvery);
  }

  static A2cConfig doubleConfig(float lr, int batch, long episodes, int trials, int checkpointEvery) {
    return config("lstm", 1, "fixed", new float[] {0.1f, 0.9f}, "adam", lr, batch, episodes, trials,
        checkpointEvery, 5);
  }

  static float[] smallInit(RecurrentNetwork net, long seed) {
    float[] theta = new float[net.layout().size()];
    int key = Rng.key(seed, 99);
    for (int i = 0; i < theta.length; i++) {
      theta[i] = 0.1f * (2 * Rng.uniform(key, i) - 1);
    }
    return theta;
  }

  static A2cTrainer doubleTrainer(A2cConfig c, Parallel pool) {
    SoftmaxPolicyTestDouble net = new SoftmaxPolicyTestDouble(c.inputs(), c.actions());
    return new A2cTrainer(c, net, smallInit(net, 1), pool);
  }

  /** Float64 A2C loss with the advantage frozen (no gradient through it), written from the spec alone. */
  private static double frozenLoss(double[] logits, double[] values, double[] frozenAdvantage, int[] actions,
      double[] returns, int batch, int trials, double cv, double ce) {
    double loss = 0;
    for (int i = 0; i < batch * trials; i++) {
      double l0 = logits[2 * i], l1 = logits[2 * i + 1];
      double m = Math.max(l0, l1);
      double lse = m + Math.log(Math.exp(l0 - m) + Math.exp(l1 - m));
      double lp0 = l0 - lse, lp1 = l1 - lse;
      double h = -(Math.exp(lp0) * lp0 + Math.exp(lp1) * lp1);
      double logPa = actions[i] == 0 ? lp0 : lp1;
      loss += -frozenAdvantage[i] * logPa + cv * 0.5 * (returns[i] - values[i]) * (returns[i] - values[i]) - ce * h;
    }
    return loss / batch;
  }

  @Test
  void lossDerivativesMatchFiniteDifferences() {
    int batch = 3, trials = 5;
    double gamma = 0.9, cv = 0.05, ce = 0.05;
    int n = batch * trials;
    float[] logits = new float[2 * n], values = new float[n], rewards = new float[n];
    int[] actions = new int[n];
    int key = Rng.key(3, 0);
    for (int i = 0; i < n; i++) {
      logits[2 * i] = 2 * Rng.uniform(key, 4 * i) - 1;
      logits[2 * i + 1] = 3 * Rng.uniform(key, 4 * i + 1) - 1;
      values[i] = Rng.uniform(key, 4 * i + 2);
      actions[i] = Rng.uniform(key, 4 * i + 3) < 0.5f ? 0 : 1;
      rewards[i] = i % 3 == 0 ? 1f : 0f;
    }
    float[] dLogits = new float[2 * n], dValues = new float[n];
    A2cTrainer.Loss loss = A2cTrainer.loss(logits, values, actions, rewards, batch, trials, 2, gamma, cv, ce,
        dLogits, dValues);
    // returns by hand: R_t = r_t + γ R_{t+1}, step-major index t·B + b
    double[] returns = new double[n], advantage = new double[n];
    for (int b = 0; b < batch; b++) {
      double r = 0;
      for (int t = trials - 1; t >= 0; t--) {
        r = rewards[t * batch + b] + gamma * r;
        returns[t * batch + b] = r;
        advantage[t * batch + b] = r - values[t * batch + b];
      }
    }
    double[] l64 = new double[2 * n], v64 = new double[n];
    for (int i = 0; i < 2 * n; i++) {
      l64[i] = logits[i];
    }
    for (int i = 0; i < n; i++) {
      v64[i] = values[i];
    }
    assertEquals(frozenLoss(l64, v64, advantage, actions, returns, batch, trials, cv, ce), loss.total(), 1e-12);
    // central differences in float64 with h = 1e-6: truncation O(h²) ~ 1e-12, rounding ~ 1e-16/h = 1e-10; the
    // trainer's derivatives are float32 (relative 6e-8 of values ≤ ~3), hence 1e-6
    DoubleSupplier frozen = () -> frozenLoss(l64, v64, advantage, actions, returns, batch, trials, cv, ce);
    assertCentralDifferences(l64, dLogits, frozen, "dL/dlogit ");
    assertCentralDifferences(v64, dValues, frozen, "dL/dV ");
  }

  /**
   * Each {@code derivative[i]} against the central difference of {@code loss} in {@code x[i]} (h = 1e-6,
   * tolerance 1e-6: see the comment at the call); {@code x} is restored after each probe.
   */
  private static void assertCentralDifferences(double[] x, float[] derivative, DoubleSupplier loss, String what) {
    double h = 1e-6;
    for (int i = 0; i < x.length; i++) {
      double keep = x[i];
      x[i] = keep + h;
      double up = loss.getAsDouble();
      x[i] = keep - h;
      double down = loss.getAsDouble();
      x[i] = keep;
      assertEquals((up - down) / (2 * h), derivative[i], 1e-6, what + i);
    }
  }

  @Test
  void trainerLearnsFixedBanditWithTestDouble() {
    // p = (0.1, 0.9): a uniform policy earns 0.5 per trial, the best arm 0.9; 40 updates of Adam at 0.05
    A2cTrainer trainer = doubleTrainer(doubleConfig(0.05f, 16, 16 * 40, 20, 0), Parallel.serial());
    List<UpdateStats> curve = runAll(trainer);
    double first = curve.get(0).meanReward();
    double last = curve.subList(35, 40).stream().mapToDouble(UpdateStats::meanReward).average().orElseThrow();
    // per-update mean reward over 320 trials has SD ≤ 0.028; the gap asked is > 7 SD
    assertTrue(first < 0.65, "untrained reward " + first);
    assertTrue(last > first + 0.2, "reward " + first + " -> " + last);
  }

  private static List<UpdateStats> runAll(A2cTrainer trainer) {
    try {
      trainer.run(null, null);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return trainer.curve();
  }

  @Test
  void sameParametersWhateverTheThreadCount() {
    A2cConfig c = doubleConfig(0.01f, 10, 50, 12, 0);
    float[] serial = doubleTrainer(c, Parallel.serial()).parameters();
    A2cTrainer one = doubleTrainer(c, Parallel.serial());
    runAll(one);
    try (Parallel three = Parallel.of(3)) {
      A2cTrainer many = doubleTrainer(c, three);
      runAll(many);
      assertArrayEquals(one.parameters(), many.parameters());
      assertEquals(one.curve(), many.curve());
    }
    assertFalse(java.util.Arrays.equals(serial, one.parameters()), "training changed nothing");
  }

  @Test
  void resumeAfterStopOrCrashEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
    for (String optimizer : new String[] {"adam", "rmsprop"}) {
      A2cConfig c = config("lstm", 1, "independent", null, optimizer, 0.02f, 8, 8 * 9, 15, 2, 11);
      A2cTrainer whole = doubleTrainer(c, Parallel.serial());
      runAll(whole);

      // stopped cleanly after update 5 (as Ctrl-C does): the checkpoint holds update 5
      Path stopped = dir.resolve(optimizer + "-stopped");
      A2cTrainer first = doubleTrainer(c, Parallel.serial());
      first.run(stopped, s -> {
        if (s.update() == 5) {
          first.requestStop();
        }
      });
      Checkpoint atStop = Checkpoint.read(stopped.resolve(A2cTrainer.CHECKPOINT));
      assertEquals(5, atStop.updates());
      A2cTrainer resumed = A2cTrainer.resume(atStop, new SoftmaxPolicyTestDouble(3, 2), Parallel.serial());
      assertTrue(resumed.run(stopped, null).complete());
      assertArrayEquals(whole.parameters(), resumed.parameters(), optimizer);
      assertEquals(whole.curve(), resumed.curve());

      // killed during update 7: the last checkpoint (update 6, every 2) is what survives
      Path crashed = dir.resolve(optimizer + "-crashed");
      A2cTrainer victim = doubleTrainer(c, Parallel.serial());
      assertThrows(IllegalStateException.class, () -> victim.run(crashed, s -> {
        if (s.update() == 7) {
          throw new IllegalStateException("simulated kill");
        }
      }));
      Checkpoint survivor = Checkpoint.read(crashed.resolve(A2cTrainer.CHECKPOINT));
      assertEquals(6, survivor.updates());
      A2cTrainer again = A2cTrainer.resume(survivor, new SoftmaxPolicyTestDouble(3, 2), Parallel.serial());
      runAll(again);
      assertArrayEquals(whole.parameters(), again.parameters(), optimizer);
    }
  }

  @Test
  void poisonedGradientStopsNamingUpdateAndTensorAndKeepsCheckpoint(@TempDir Path dir) throws IOException {
    A2cConfig c = doubleConfig(0.01f, 4, 4 * 10, 6, 1);
    SoftmaxPolicyTestDouble net = new SoftmaxPolicyTestDouble(c.inputs(), c.actions());
    net.poison(4, "w");
    A2cTrainer trainer = new A2cTrainer(c, net, smallInit(net, 1), Parallel.serial());
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(dir, null));
    assertEquals(4, e.update());
    assertEquals("w", e.tensor());
    assertTrue(e.getMessage().contains("update 4") && e.getMessage().contains("tensor w"), e.getMessage());
    Checkpoint kept = Checkpoint.read(dir.resolve(A2cTrainer.CHECKPOINT));
    assertEquals(3, kept.updates());
    for (float v : kept.parameters()) {
      assertTrue(Float.isFinite(v));
    }
    assertFalse(Files.exists(dir.resolve(A2cTrainer.PARAMETERS)), "no export of a diverged run");
  }

  @Test
  void gradientBlowUpWarnsOnceThenTheOverflowMessageGivesTheLastFiniteNorms(@TempDir Path dir) throws IOException {
    A2cConfig c = doubleConfig(0.01f, 4, 4 * 10, 6, 1);
    SoftmaxPolicyTestDouble net = new SoftmaxPolicyTestDouble(c.inputs(), c.actions());
    net.amplify(3, 1e12f); // pre-clip norms ~1e11..1e12, far above 1e6 x clip 50 = 5e7
    net.poison(6, "W");
    A2cTrainer trainer = new A2cTrainer(c, net, smallInit(net, 1), Parallel.serial());
    List<String> heard = new java.util.ArrayList<>();
    trainer.onWarning(heard::add);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(dir, null));
    assertEquals(1, heard.size(), "warned once although updates 3, 4 and 5 were all above the threshold: " + heard);
    assertEquals(heard, trainer.warnings());
    assertTrue(heard.get(0).startsWith("update 3: gradient norm before clipping")
        && heard.get(0).contains("above 1e+06 x --max-grad-norm 50.0"), heard.get(0));
    List<UpdateStats> curve = trainer.curve();
    assertTrue(curve.get(1).gradNorm() < 5e7 && curve.get(2).gradNorm() > 5e7, "the test double amplified update 3");
    String m = e.getMessage();
    assertEquals(6, e.update());
    assertTrue(m.contains("gradient norm = NaN: the float32 gradient overflowed (W[0] = NaN)"), m);
    UpdateStats largest = curve.stream().max(java.util.Comparator.comparingDouble(UpdateStats::gradNorm)).get();
    assertTrue(m.contains(String.format(java.util.Locale.ROOT, "last finite pre-clip gradient norms: %.3g at update 5",
        curve.get(4).gradNorm())), m);
    assertTrue(m.contains(String.format(java.util.Locale.ROOT, "largest of updates 1-5 %.3g at update %d (clip 50.0)",
        largest.gradNorm(), largest.update())), m);
    assertTrue(m.contains("the last good checkpoint is kept; remedies: a lower --lr")
        && m.contains("A smaller --max-grad-norm does not help"), m);
    // the warning is a function of the curve: a resumed run reports it too, without a new listener call
    A2cTrainer resumed = A2cTrainer.resume(Checkpoint.read(dir.resolve(A2cTrainer.CHECKPOINT)),
        new SoftmaxPolicyTestDouble(c.inputs(), c.actions()), Parallel.serial());
    assertEquals(heard, resumed.warnings());
  }

  @Test
  void healthyRunHasNoWarning() {
    A2cTrainer trainer = doubleTrainer(doubleConfig(0.01f, 4, 4 * 10, 6, 0), Parallel.serial());
    runAll(trainer);
    assertEquals(List.of(), trainer.warnings());
  }

  @Test
  void nonFiniteLossStopsNamingUpdateAndTheLargestTensor() {
    A2cConfig c = doubleConfig(0.01f, 4, 4 * 10, 6, 0);
    SoftmaxPolicyTestDouble net = new SoftmaxPolicyTestDouble(c.inputs(), c.actions());
    net.poisonValue(3);
    float[] theta = smallInit(net, 1);
    theta[net.layout().tensor("c").offset()] = 5f; // the largest parameter, so the message must name c
    A2cTrainer trainer = new A2cTrainer(c, net, theta, Parallel.serial());
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(null, null));
    assertEquals(3, e.update());
    assertEquals("c", e.tensor());
    assertTrue(e.getMessage().contains("loss = NaN with every parameter finite"), e.getMessage());
    assertEquals(2, trainer.updates(), "the failed update is not counted");
  }

  @Test
  void hugeLearningRateStopsNamingUpdateAndTensor(@TempDir Path dir) throws IOException {
    A2cConfig c = doubleConfig(Float.MAX_VALUE, 4, 4 * 10, 6, 1);
    A2cTrainer trainer = doubleTrainer(c, Parallel.serial());
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(dir, null));
    assertTrue(e.update() >= 1 && e.update() <= 3, e.getMessage());
    assertTrue(List.of("W", "b", "w", "c").contains(e.tensor()), e.getMessage());
    assertTrue(e.getMessage().contains("update " + e.update()), e.getMessage());
    if (e.update() > 1) {
      assertEquals(e.update() - 1, Checkpoint.read(dir.resolve(A2cTrainer.CHECKPOINT)).updates());
    }
  }

  @Test
  void exportRoundTripsBitForBit(@TempDir Path dir) throws IOException {
    A2cConfig c = doubleConfig(0.01f, 4, 8, 6, 0);
    A2cTrainer trainer = doubleTrainer(c, Parallel.serial());
    trainer.run(dir, null);
    ParameterExport.Loaded loaded = ParameterExport.read(dir.resolve(A2cTrainer.PARAMETERS));
    assertArrayEquals(trainer.parameters(), loaded.parameters());
    assertEquals(trainer.network().layout(), loaded.layout());
    assertEquals(c, loaded.config());
    assertEquals("softmax-test-double", loaded.network());
    assertEquals(2, loaded.updates());
    assertTrue(Files.readString(dir.resolve(A2cTrainer.CURVE)).startsWith(UpdateStats.csvHeader()));
  }

  @Test
  void badConfigValuesGiveClearErrors() {
    assertMessage("network = gru; allowed: lstm, plastic",
        () -> config("gru", 4, "independent", null, "adam", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("optimizer = sgd; allowed: adam, rmsprop",
        () -> config("lstm", 4, "independent", null, "sgd", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("episodes = 10; allowed: a positive multiple of batch = 4",
        () -> config("lstm", 4, "independent", null, "adam", 1e-3f, 4, 10, 10, 0, 1));
    assertMessage("learningRate = -1.0",
        () -> config("lstm", 4, "independent", null, "adam", -1f, 4, 8, 10, 0, 1));
    assertMessage("probabilities = null; allowed: two probabilities",
        () -> config("lstm", 4, "fixed", null, "adam", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("probabilities[1] = 1.5",
        () -> config("lstm", 4, "fixed", new float[] {0.1f, 1.5f}, "adam", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("task = bimodal", () -> config("lstm", 4, "bimodal", null, "adam", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("hidden = 0", () -> config("lstm", 0, "independent", null, "adam", 1e-3f, 4, 8, 10, 0, 1));
    assertMessage("gamma = 1.5", () -> new A2cConfig("lstm", 4, false, 0.1f, 0.1f, 0.1f, 1f, "independent", null,
        10, 1.5f, 0.05f, 0.05f, null, "adam", 1e-3f, 50f, 4, 8, 1, 0));
    assertMessage("maxGradNorm = 0.0", () -> new A2cConfig("lstm", 4, false, 0.1f, 0.1f, 0.1f, 1f, "independent",
        null, 10, 0.9f, 0.05f, 0.05f, null, "adam", 1e-3f, 0f, 4, 8, 1, 0));
    assertMessage("entropyFinal = -0.1", () -> new A2cConfig("lstm", 4, false, 0.1f, 0.1f, 0.1f, 1f, "independent",
        null, 10, 0.9f, 0.05f, 0.05f, -0.1f, "adam", 1e-3f, 50f, 4, 8, 1, 0));
    A2cConfig c = doubleConfig(0.01f, 4, 8, 6, 0);
    assertMessage("initialParameters.length = 3", () -> new A2cTrainer(c, new SoftmaxPolicyTestDouble(3, 2),
        new float[3], Parallel.serial()));
    float[] nan = new float[new SoftmaxPolicyTestDouble(3, 2).layout().size()];
    nan[7] = Float.NaN;
    assertMessage("in tensor b", () -> new A2cTrainer(c, new SoftmaxPolicyTestDouble(3, 2), nan, Parallel.serial()));
  }

  @Test
  void entropyCoefficientAnnealsLinearly() {
    A2cConfig c = new A2cConfig("lstm", 4, false, 0.1f, 0.1f, 0.1f, 1f, "independent", null, 10, 0.9f, 0.05f,
        0.05f, 0.0f, "adam", 1e-3f, 50f, 4, 4 * 11, 1, 0);
    assertEquals(0.05f, c.entropyCoefficientAt(0), 0f);
    assertEquals(0.025f, c.entropyCoefficientAt(5), 1e-8f);
    assertEquals(0f, c.entropyCoefficientAt(10), 0f);
  }

  @Test
  void configRoundTripsThroughJson() throws IOException {
    A2cConfig c = new A2cConfig("plastic", 7, true, 0.2f, 0.3f, 0.4f, 2f, "fixed", new float[] {0.1f, 0.9f}, 50,
        0.8f, 0.1f, 0.02f, 0.001f, "rmsprop", 1e-3f, 40f, 8, 800, 42, 3);
    String json = org.neurorl.sim.Json.MAPPER.writeValueAsString(c);
    assertEquals(c, org.neurorl.sim.Json.MAPPER.readValue(json, A2cConfig.class));
  }

  @Test
  void initialValueBiasRoundTripsAndOldJsonWithoutItKeepsItsMeaning() throws IOException {
    A2cConfig without = A2cConfig.defaults();
    A2cConfig with = without.withInitialValueBias(5f);
    for (A2cConfig c : List.of(without, with)) {
      String json = org.neurorl.sim.Json.MAPPER.writeValueAsString(c);
      assertEquals(c, org.neurorl.sim.Json.MAPPER.readValue(json, A2cConfig.class), json);
    }
    String old = withoutInitialValueBias(org.neurorl.sim.Json.MAPPER.writeValueAsString(without));
    assertEquals(without, org.neurorl.sim.Json.MAPPER.readValue(old, A2cConfig.class));
    assertEquals(5f, with.initialValueBias());
    assertMessage("initialValueBias (--value-bias) = NaN; allowed: a finite number",
        () -> without.withInitialValueBias(Float.NaN));
    assertMessage("initialValueBias (--value-bias) = Infinity; allowed: a finite number",
        () -> without.withInitialValueBias(Float.POSITIVE_INFINITY));
    assertMessage("initialValueBias (--value-bias) = -Infinity",
        () -> without.withInitialValueBias(Float.NEGATIVE_INFINITY));
  }

  @Test
  void initialValueBiasLandsExactlyInBvAndNowhereElse() {
    for (String network : List.of("lstm", "plastic")) {
      A2cConfig own = config(network, 5, "independent", null, "adam", 1e-3f, 4, 8, 10, 0, 3);
      A2cConfig biased = own.withInitialValueBias(4.75f);
      RecurrentNetwork net = Networks.create(own);
      float[] a = Networks.initialParameters(own, net);
      float[] b = Networks.initialParameters(biased, net);
      var bv = net.layout().tensor("bv");
      for (int i = 0; i < a.length; i++) {
        boolean inBv = i >= bv.offset() && i < bv.offset() + bv.size();
        assertEquals(inBv ? 4.75f : a[i], b[i], 0f, network + " parameter " + i);
      }
      assertTrue(a[bv.offset()] != 4.75f, "the network's own bv differs, so the test can fail");
    }
  }

  @Test
  void checkpointWrittenBeforeInitialValueBiasStillResumes(@TempDir Path dir) throws IOException {
    A2cConfig c = doubleConfig(0.01f, 4, 4 * 4, 6, 1);
    A2cTrainer whole = doubleTrainer(c, Parallel.serial());
    runAll(whole);
    A2cTrainer first = doubleTrainer(c, Parallel.serial());
    first.update();
    first.update();
    Path file = dir.resolve(A2cTrainer.CHECKPOINT);
    first.checkpoint().write(file);
    // rewrite the config block as the previous release wrote it: no initialValueBias field at all
    byte[] bytes;
    try (var in = new java.io.DataInputStream(Files.newInputStream(file))) {
      var buffer = new java.io.ByteArrayOutputStream();
      var out = new java.io.DataOutputStream(buffer);
      out.writeUTF(in.readUTF());
      out.writeInt(in.readInt());
      byte[] config = new byte[in.readInt()];
      in.readFully(config);
      String json = new String(config, java.nio.charset.StandardCharsets.UTF_8);
      String old = withoutInitialValueBias(json);
      byte[] oldBytes = old.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(oldBytes.length);
      out.write(oldBytes);
      in.transferTo(out);
      out.flush();
      bytes = buffer.toByteArray();
    }
    Files.write(file, bytes);
    Checkpoint old = Checkpoint.read(file);
    assertEquals(c, old.config());
    A2cTrainer resumed = A2cTrainer.resume(old, new SoftmaxPolicyTestDouble(c.inputs(), c.actions()),
        Parallel.serial());
    runAll(resumed);
    assertArrayEquals(whole.parameters(), resumed.parameters());
  }

  /** {@code json} as written before A2cConfig had initialValueBias: no such field at all. */
  private static String withoutInitialValueBias(String json) throws IOException {
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) org.neurorl.sim.Json.MAPPER.readTree(json);
    assertTrue(node.has("initialValueBias") && node.get("initialValueBias").isNull(), json);
    node.remove("initialValueBias");
    String old = org.neurorl.sim.Json.MAPPER.writeValueAsString(node);
    assertFalse(old.contains("initialValueBias"), old);
    return old;
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable run) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
