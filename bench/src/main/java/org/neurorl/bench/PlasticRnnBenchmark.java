package org.neurorl.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.plastic.PlasticRnnKernel;
import org.neurorl.kernel.plastic.PlasticRnnState;
import org.neurorl.kernel.plastic.PlasticRnnWeights;
import org.neurorl.kernel.plastic.PlasticityRule;
import org.neurorl.kernel.plastic.ReferencePlasticRnn;
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
 * One batched plastic RNN step (MODELS.md §1) per invocation: ops/s × {@code batch} = agent-steps/s.
 * Bytes per agent-step in full storage: E and dU read and written once, 16·N² (8·N² under STDP); flops
 * per agent-step about 15·N². Each implementation's state is created only for its own method (the
 * float64 reference at N = 256, B = 1024 holds 1 GiB of state and takes seconds per call; a quick runner
 * may skip that cell). Both use a pool with one worker per available processor; OpenBLAS runs one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class PlasticRnnBenchmark {
  static final int INPUTS = 4;
  static final int ACTIONS = 2;

  /** The shape of the problem, shared by both implementations' states. */
  @State(Scope.Benchmark)
  public static class Shape {
    @Param({"48", "128", "256"})
    public int n;

    @Param({"1", "64", "1024"})
    public int batch;

    @Param({"MODULATED"})
    public PlasticityRule.Kind rule;

    PlasticRnnWeights weights;
    PlasticityRule plasticity;
    float[] x;
    Parallel pool;

    @Setup(Level.Trial)
    public void setUp() {
      weights = PlasticRnnWeights.random(n, INPUTS, ACTIONS, 0.9f, (float) (1 / Math.sqrt(n)), 42);
      plasticity = rule == PlasticityRule.Kind.MODULATED
          ? PlasticityRule.modulated(0.1f, 0.1f, 0.1f, 0.5f)
          : PlasticityRule.stdp(0.1f, 0.1f, 1f, 1f, 0.1f, 0.5f);
      x = new float[batch * INPUTS];
      SplittableRandom r = new SplittableRandom(7);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextDouble(-1, 1);
      }
      pool = Parallel.ofAvailableProcessors();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      pool.close();
    }
  }

  /** A kernel with its own state and outputs. */
  public abstract static class Run {
    PlasticRnnKernel kernel;
    PlasticRnnState state;
    float[] logits, values;

    void init(Shape s, PlasticRnnKernel k) {
      kernel = k;
      state = k.newState(s.weights, s.plasticity, s.batch);
      logits = new float[s.batch * ACTIONS];
      values = new float[s.batch];
    }

    void step(Shape s, Blackhole bh) {
      kernel.step(state, s.x, logits, values, s.pool);
      // the kernel throws on NaN/∞; this also catches a kernel that silently stops writing its outputs
      float v = values[values.length - 1];
      if (!(Math.abs(v) < 1e6f) || v == 0f) {
        throw new IllegalStateException("implausible value output " + v);
      }
      bh.consume(logits);
      bh.consume(v);
    }
  }

  @State(Scope.Benchmark)
  public static class ReferenceRun extends Run {
    @Setup(Level.Trial)
    public void setUp(Shape s) {
      init(s, new ReferencePlasticRnn());
    }
  }

  @State(Scope.Benchmark)
  public static class SimdRun extends Run {
    @Setup(Level.Trial)
    public void setUp(Shape s) {
      init(s, Kernels.simd(PlasticRnnKernel.class, "org.neurorl.kernel.simd.SimdPlasticRnn"));
    }
  }

  @Benchmark
  public void reference(Shape s, ReferenceRun r, Blackhole bh) {
    r.step(s, bh);
  }

  @Benchmark
  public void simd(Shape s, SimdRun r, Blackhole bh) {
    r.step(s, bh);
  }
}
