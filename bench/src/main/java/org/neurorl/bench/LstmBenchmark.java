package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.lstm.LstmKernel;
import org.neurorl.kernel.lstm.LstmParams;
import org.neurorl.kernel.lstm.LstmState;
import org.neurorl.kernel.lstm.ReferenceLstm;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One batched LSTM step (MODELS.md §2) per invocation, B agents sharing the weights: ops/s × batch is
 * agent-steps/s. Inputs as on a bandit trial (one-hot previous action, reward, trial fraction: I = 4),
 * two actions, weights at the usual scale 1/√N so the state stays in range over any number of steps.
 * Both kernels get the same pool (one worker per core); the reference ignores it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class LstmBenchmark {
  static final int INPUTS = 4;
  static final int ACTIONS = 2;

  @Param({"48", "128", "256"})
  public int n;

  @Param({"1", "64", "1024"})
  public int batch;

  private Parallel pool;
  private LstmParams params;
  private LstmKernel reference;
  private LstmKernel simd;
  private LstmState referenceState;
  private LstmState simdState;
  private float[] x;
  private float[] logits;
  private float[] values;

  @Setup(Level.Trial)
  public void setUp() {
    pool = Parallel.ofAvailableProcessors();
    params = LstmParams.random(INPUTS, n, ACTIONS, 42);
    reference = new ReferenceLstm();
    simd = Kernels.simd(LstmKernel.class, "org.neurorl.kernel.simd.SimdLstm");
    referenceState = reference.newState(params, batch);
    simdState = simd.newState(params, batch);
    x = new float[batch * INPUTS];
    for (int a = 0; a < batch; a++) {
      x[a * INPUTS + (a & 1)] = 1f;
      x[a * INPUTS + 2] = (a % 3) / 2f;
      x[a * INPUTS + 3] = (a % 100) / 100f;
    }
    logits = new float[batch * ACTIONS];
    values = new float[batch];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public void reference(Blackhole bh) {
    reference.step(params, referenceState, x, logits, values, pool);
    consume(bh);
  }

  @Benchmark
  public void simd(Blackhole bh) {
    simd.step(params, simdState, x, logits, values, pool);
    consume(bh);
  }

  /** Sinks the outputs and fails loudly if a broken kernel produced garbage (the last agent's value). */
  private void consume(Blackhole bh) {
    float v = values[batch - 1];
    if (!(Math.abs(v) < 1e6f)) {
      throw new IllegalStateException("value of the last agent = " + v + ": the kernel is broken");
    }
    bh.consume(v);
    bh.consume(logits[logits.length - 1]);
  }
}
