package org.neurorl.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticNetwork;
import org.neurorl.kernel.plastic.PlasticityRule;
import org.neurorl.kernel.plastic.ReferencePlasticNetwork;
import org.neurorl.kernel.train.RecurrentNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One forward + backward pass of the plastic network ({@link PlasticNetwork}) over {@code batch}
 * episodes of {@code trials} steps per invocation: ops/s × batch = episodes/s of the network part of an
 * A2C update (the optimizer step is the trainer's and not included). Inputs are bandit-like (one-hot
 * previous action, previous reward) from a fixed sequence; the loss derivatives are fixed random numbers.
 * Memory traffic per agent-step: E and dU written once forward and read once backward (8·N² bytes each
 * way), plus the cache-resident adjoints. Both implementations use a pool with one worker per available
 * processor; OpenBLAS runs one thread. The float64 reference at N = 128 records 16·T·B·N² = 840 MB: run
 * it with a large heap or skip that cell.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx6g"})
public class PlasticTrainBenchmark {
  static final int INPUTS = 3;
  static final int ACTIONS = 2;

  /** The problem, shared by both implementations. */
  @State(Scope.Benchmark)
  public static class Shape {
    @Param({"48", "128"})
    public int n;

    @Param({"32"})
    public int batch;

    @Param({"100"})
    public int trials;

    PlasticityRule rule;
    float[][] x;
    float[] dLogits, dValues;
    Parallel pool;

    @Setup(Level.Trial)
    public void setUp() {
      rule = PlasticityRule.modulated(0.1f, 0.1f, 0.1f, 0.5f);
      SplittableRandom r = new SplittableRandom(7);
      x = new float[trials][batch * INPUTS];
      for (int t = 1; t < trials; t++) {
        for (int a = 0; a < batch; a++) {
          x[t][a * INPUTS + r.nextInt(ACTIONS)] = 1f;
          x[t][a * INPUTS + ACTIONS] = r.nextBoolean() ? 1f : 0f;
        }
      }
      dLogits = new float[trials * batch * ACTIONS];
      dValues = new float[trials * batch];
      for (int k = 0; k < dLogits.length; k++) {
        dLogits[k] = (float) (r.nextDouble(-1, 1) / batch);
      }
      for (int k = 0; k < dValues.length; k++) {
        dValues[k] = (float) (r.nextDouble(-0.05, 0.05) / batch);
      }
      pool = Parallel.ofAvailableProcessors();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      pool.close();
    }
  }

  /** A network with its parameters, outputs and gradient. */
  public abstract static class Run {
    PlasticNetwork net;
    float[] params, logits, values, gradient;

    void init(Shape s, PlasticNetwork network) {
      net = network;
      params = net.initialParameters(42);
      logits = new float[s.batch * ACTIONS];
      values = new float[s.batch];
      gradient = new float[params.length];
    }

    void run(Shape s, Blackhole bh) {
      java.util.Arrays.fill(gradient, 0f);
      try (RecurrentNetwork.Rollout r = net.begin(params, s.batch, s.trials, s.pool)) {
        for (int t = 0; t < s.trials; t++) {
          r.step(s.x[t], logits, values);
        }
        r.backward(s.dLogits, s.dValues, gradient);
      }
      // a backward pass that silently stopped writing would look fast: check the gradient is there
      float g = gradient[0] + gradient[gradient.length - 1];
      if (!Float.isFinite(g) || gradient[gradient.length - 1] == 0f) {
        throw new IllegalStateException("implausible gradient " + g);
      }
      bh.consume(gradient);
    }
  }

  @State(Scope.Benchmark)
  public static class ReferenceRun extends Run {
    @Setup(Level.Trial)
    public void setUp(Shape s) {
      init(s, new ReferencePlasticNetwork(INPUTS, s.n, ACTIONS, s.rule));
    }
  }

  @State(Scope.Benchmark)
  public static class SimdRun extends Run {
    @Setup(Level.Trial)
    public void setUp(Shape s) {
      init(s, Kernels.simd(PlasticNetwork.Factory.class, "org.neurorl.kernel.simd.SimdPlasticNetwork$Factory")
          .create(INPUTS, s.n, ACTIONS, s.rule));
    }
  }

  @Benchmark
  public void reference(Shape s, ReferenceRun r, Blackhole bh) {
    r.run(s, bh);
  }

  @Benchmark
  public void simd(Shape s, SimdRun r, Blackhole bh) {
    r.run(s, bh);
  }
}
