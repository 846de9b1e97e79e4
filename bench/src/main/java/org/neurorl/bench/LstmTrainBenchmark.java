package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.lstm.LstmNetwork;
import org.neurorl.kernel.lstm.LstmNetworkFactory;
import org.neurorl.kernel.lstm.ReferenceLstmNetwork;
import org.neurorl.kernel.train.RecurrentNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One forward pass over B episodes of T trials and the backward pass through time of the LSTM network
 * (MODELS.md §2), per invocation: what one A2C update costs before the optimizer step. ops/s × batch is
 * episodes/s. Inputs as on a bandit trial (one-hot previous action, previous reward: I = 3), two
 * actions, parameters at the usual initialisation; loss derivatives of the size A2C passes (±1/B).
 * Every invocation begins a rollout from the same parameters (the trainer's pattern: the workspace of
 * the previous rollout is reused). {@code threads} sizes the pool handed to the network.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class LstmTrainBenchmark {
  static final int INPUTS = 3;
  static final int ACTIONS = 2;

  @Param({"48"})
  public int n;

  @Param({"32"})
  public int batch;

  @Param({"100"})
  public int trials;

  @Param({"1"})
  public int threads;

  private Parallel pool;
  private float[] theta;
  private LstmNetwork reference;
  private LstmNetwork simd;
  private float[][] x;
  private float[] logits;
  private float[] values;
  private float[] dLogits;
  private float[] dValues;
  private float[] gradient;

  @Setup(Level.Trial)
  public void setUp() {
    pool = Parallel.of(threads);
    theta = LstmNetwork.initialParameters(INPUTS, n, ACTIONS, 42);
    reference = new ReferenceLstmNetwork(INPUTS, n, ACTIONS);
    simd = org.neurorl.kernel.Kernels.simd(LstmNetworkFactory.class, LstmNetwork.SIMD_FACTORY)
        .create(INPUTS, n, ACTIONS);
    x = new float[trials][batch * INPUTS];
    int key = Rng.key(42, 1);
    for (int t = 1; t < trials; t++) {
      for (int a = 0; a < batch; a++) {
        int action = Rng.uniform(key, 2 * (t * batch + a)) < 0.5f ? 0 : 1;
        x[t][a * INPUTS + action] = 1f;
        x[t][a * INPUTS + 2] = Rng.uniform(key, 2 * (t * batch + a) + 1) < 0.5f ? 0f : 1f;
      }
    }
    logits = new float[batch * ACTIONS];
    values = new float[batch];
    dLogits = new float[trials * batch * ACTIONS];
    dValues = new float[trials * batch];
    int dk = Rng.key(42, 2);
    for (int i = 0; i < dLogits.length; i++) {
      dLogits[i] = (2 * Rng.uniform(dk, i) - 1) / batch;
    }
    for (int i = 0; i < dValues.length; i++) {
      dValues[i] = (2 * Rng.uniform(dk, dLogits.length + i) - 1) / batch;
    }
    gradient = new float[theta.length];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public float reference() {
    return run(reference);
  }

  @Benchmark
  public float simd() {
    return run(simd);
  }

  private float run(RecurrentNetwork net) {
    java.util.Arrays.fill(gradient, 0f);
    try (RecurrentNetwork.Rollout r = net.begin(theta, batch, trials, pool)) {
      for (int t = 0; t < trials; t++) {
        r.step(x[t], logits, values);
      }
      r.backward(dLogits, dValues, gradient);
    }
    // a broken network cannot look fast: the gradient must be finite and not all zero
    float g = gradient[0] + gradient[gradient.length - 1] + gradient[gradient.length / 2];
    if (!Float.isFinite(g) || gradient[gradient.length - 1] == 0f) {
      throw new IllegalStateException("gradient " + g + ": the network is broken");
    }
    return g;
  }
}
