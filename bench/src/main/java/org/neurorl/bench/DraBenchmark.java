package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.dra.DraBatch;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;
import org.neurorl.kernel.dra.ReferenceDra;
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
 * Memory-task trials of the DRA kernels ({@code org.neurorl.kernel.dra}) on both cores (Parallel.of(2)):
 * {@code batch} agents × {@code trials} trials per invocation, {@code states} options × {@code actions}
 * actions, γ = 0. A trial is one learning decision and its update; for DRA it also includes
 * {@link #ROLLOUTS} one-step rollouts and the σ update (the study's trial), so DRA's agent-trial costs
 * 1 + N_traj decisions. The options are drawn once in set-up (the task is not what is measured); the
 * correct action of option s is s mod A and pays 1. Agent-trials per second = ops/s × batch × trials.
 * The reward rate is checked so a broken kernel cannot look fast.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class DraBenchmark {
  /** N_traj of the DRA trial. */
  public static final int ROLLOUTS = 4;

  @Param("4096")
  public int batch;

  @Param("50")
  public int trials;

  @Param("12")
  public int states;

  @Param("2")
  public int actions;

  private Parallel parallel;
  private DraKernel reference, simd;
  private int[][] options, rolloutOptions;
  private int[] act, terminal;
  private float[] reward;
  private int decision, rolloutDecision;
  private DraBatch draRef, draSimd, softRef, softSimd, softmaxRef, softmaxSimd;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = Parallel.of(2);
    reference = new ReferenceDra();
    simd = Kernels.simd(DraKernel.class, "org.neurorl.kernel.simd.SimdDra");
    DraParams dra = DraParams.dra(4f, 0.1f, 0f, 1f, 0.01f, 1f, 0.01f, ROLLOUTS, DraParams.Psi.ADVANTAGE);
    DraParams soft = DraParams.softQ(0.5f, 0.1f, 0f);
    DraParams softmax = DraParams.softmaxQ(2f, 0.1f, 0f);
    draRef = reference.newBatch(batch, states, actions, dra, 1, 0, 1);
    draSimd = simd.newBatch(batch, states, actions, dra, 1, 0, 1);
    softRef = reference.newBatch(batch, states, actions, soft, 1, 0, 1);
    softSimd = simd.newBatch(batch, states, actions, soft, 1, 0, 1);
    softmaxRef = reference.newBatch(batch, states, actions, softmax, 1, 0, 1);
    softmaxSimd = simd.newBatch(batch, states, actions, softmax, 1, 0, 1);
    int key = Rng.key(5, 0);
    options = draws(key, trials);
    rolloutOptions = draws(key ^ 0x77, trials * ROLLOUTS);
    act = new int[batch];
    terminal = new int[batch];
    java.util.Arrays.fill(terminal, -1);
    reward = new float[batch];
  }

  /** {@code rows} × batch options drawn uniformly from the {@code states}, row t agent i from draw t·batch + i. */
  private int[][] draws(int key, int rows) {
    int[][] o = new int[rows][batch];
    for (int t = 0; t < rows; t++) {
      for (int i = 0; i < batch; i++) {
        o[t][i] = (int) (Rng.uniform(key, t * batch + i) * states);
      }
    }
    return o;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** Plays the trials; returns the reward rate, checked to be a rate. */
  private double play(DraKernel k, DraBatch b) {
    boolean dra = b.params().model() == DraParams.Model.DRA;
    double total = 0;
    for (int t = 0; t < trials; t++) {
      int[] st = options[t];
      k.act(b, DraKernel.Phase.LEARN, decision, st, null, act, null, parallel);
      for (int i = 0; i < batch; i++) {
        reward[i] = act[i] == st[i] % actions ? 1f : 0f;
        total += reward[i];
      }
      decision++;
      k.learn(b, reward, terminal, decision, parallel);
      if (dra) {
        for (int n = 0; n < ROLLOUTS; n++) {
          int[] rs = rolloutOptions[t * ROLLOUTS + n];
          k.act(b, DraKernel.Phase.ROLLOUT, rolloutDecision++, rs, null, act, null, parallel);
          k.endRollout(b, parallel);
        }
        k.updateSigma(b, parallel);
      }
    }
    // counters wrap long before int overflow of the draw numbers: restart them (values keep learning)
    if (decision > 1 << 24) {
      decision = 0;
      rolloutDecision = 0;
    }
    double rate = total / ((double) trials * batch);
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalStateException("broken kernel: reward rate " + rate);
    }
    return rate;
  }

  @Benchmark
  public void draReference(Blackhole bh) {
    bh.consume(play(reference, draRef));
  }

  @Benchmark
  public void draSimd(Blackhole bh) {
    bh.consume(play(simd, draSimd));
  }

  @Benchmark
  public void softQReference(Blackhole bh) {
    bh.consume(play(reference, softRef));
  }

  @Benchmark
  public void softQSimd(Blackhole bh) {
    bh.consume(play(simd, softSimd));
  }

  @Benchmark
  public void softmaxQReference(Blackhole bh) {
    bh.consume(play(reference, softmaxRef));
  }

  @Benchmark
  public void softmaxQSimd(Blackhole bh) {
    bh.consume(play(simd, softmaxSimd));
  }
}
