package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Parallel;
import org.neurorl.train.A2cConfig;
import org.neurorl.train.A2cTrainer;
import org.neurorl.train.Networks;
import org.neurorl.train.UpdateStats;
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

/**
 * One whole A2C update per invocation (A2C-SPEC.md): 32 episodes × 100 trials of the two-armed bandit
 * forward step by step, the loss and its derivatives, backpropagation through time, gradient clipping
 * and the Adam step; episodes/s = 32 × ops/s. The trainer keeps training across invocations (each
 * update plays new episodes with the updated parameters), as in a real run. The network is the SIMD
 * one when it is on the class path (the trainer's factory picks it), else the float64 reference; the
 * result JSON's "implementation" comes from {@code A2cPeerComparison}, which states it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class A2cUpdateBenchmark {
  static final int BATCH = 32;
  static final int TRIALS = 100;

  @Param({"lstm", "plastic"})
  public String network;

  @Param({"48", "128"})
  public int n;

  /** Worker threads of the network's forward and backward passes (0: one per core). */
  @Param({"0"})
  public int threads;

  private Parallel pool;
  private A2cTrainer trainer;

  /** The benchmark's config: the paper's settings, enough episodes never to finish. */
  static A2cConfig config(String network, int hidden) {
    A2cConfig d = A2cConfig.defaults();
    return new A2cConfig(network, hidden, false, d.traceRate(), d.stdpRate(), d.plasticityRate(),
        d.plasticityClip(), "independent", null, TRIALS, d.gamma(), d.valueCoefficient(), d.entropyCoefficient(),
        null, "adam", d.learningRate(), d.maxGradNorm(), BATCH, (long) BATCH * 1_000_000_000L, 1, 0);
  }

  @Setup(Level.Trial)
  public void setUp() {
    pool = threads == 0 ? Parallel.ofAvailableProcessors() : Parallel.of(threads);
    trainer = Networks.trainer(config(network, n), pool);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public UpdateStats update() {
    UpdateStats s = trainer.update();
    if (!(s.meanReward() >= 0 && s.meanReward() <= 1) || !Double.isFinite(s.loss())) {
      throw new IllegalStateException("broken update: " + s);
    }
    return s;
  }
}
