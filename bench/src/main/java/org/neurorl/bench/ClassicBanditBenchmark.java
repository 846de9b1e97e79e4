package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.classic.ClassicBatch;
import org.neurorl.kernel.classic.ReferenceThompson;
import org.neurorl.kernel.classic.ReferenceUcb1;
import org.neurorl.kernel.classic.ThompsonKernel;
import org.neurorl.kernel.classic.Ucb1Kernel;
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
 * UCB1 and Thompson sampling on the two-armed bandit (independent arm probabilities per agent, as the
 * NumPy peer bench/peers/numpy_bandits.py draws them), {@code batch} agents × {@code trials} trials per
 * invocation on both cores (Parallel.of(2)). Agent-trials per second = ops/s × batch × trials. Each
 * invocation starts a new episode from zero counts, as the simulate command does, and checks the result
 * so a broken kernel cannot look fast.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class ClassicBanditBenchmark {
  @Param("100000")
  public int batch;

  @Param("100")
  public int trials;

  private Parallel parallel;
  private Ucb1Kernel ucb1Reference;
  private Ucb1Kernel ucb1Simd;
  private ThompsonKernel thompsonReference;
  private ThompsonKernel thompsonSimd;
  private ClassicBatch ucb1RefBatch;
  private ClassicBatch ucb1SimdBatch;
  private ClassicBatch thompsonRefBatch;
  private ClassicBatch thompsonSimdBatch;
  private double[] regret;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = Parallel.of(2);
    ucb1Reference = new ReferenceUcb1();
    ucb1Simd = Kernels.simd(Ucb1Kernel.class, "org.neurorl.kernel.simd.SimdUcb1");
    thompsonReference = new ReferenceThompson();
    thompsonSimd = Kernels.simd(ThompsonKernel.class, "org.neurorl.kernel.simd.SimdThompson");
    float[] p = BanditBenchSupport.twoArmProbabilities(batch);
    ucb1RefBatch = ucb1Reference.newBatch(batch, 2, 1);
    ucb1SimdBatch = ucb1Simd.newBatch(batch, 2, 1);
    thompsonRefBatch = thompsonReference.newBatch(batch, 2, 1);
    thompsonSimdBatch = thompsonSimd.newBatch(batch, 2, 1);
    for (ClassicBatch b : new ClassicBatch[] {ucb1RefBatch, ucb1SimdBatch, thompsonRefBatch, thompsonSimdBatch}) {
      b.setRewardProbabilities(p);
    }
    regret = new double[batch];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** Sum of the regret of the first agents, checked to be a finite number within [0, trials] each. */
  private double check(ClassicBatch b) {
    b.cumulativeRegret(regret);
    return BanditBenchSupport.checkedRegretSum(regret, batch, trials, b.trial());
  }

  /** The next episode (zero counts, new draws), as the simulate command starts one. */
  private static void nextEpisode(ClassicBatch b) {
    b.reset(b.episode() + 1 < ClassicBatch.MAX_EPISODES ? b.episode() + 1 : 0);
  }

  @Benchmark
  public void ucb1Reference(Blackhole bh) {
    nextEpisode(ucb1RefBatch);
    ucb1Reference.run(ucb1RefBatch, trials, parallel);
    bh.consume(check(ucb1RefBatch));
  }

  @Benchmark
  public void ucb1Simd(Blackhole bh) {
    nextEpisode(ucb1SimdBatch);
    ucb1Simd.run(ucb1SimdBatch, trials, parallel);
    bh.consume(check(ucb1SimdBatch));
  }

  @Benchmark
  public void thompsonReference(Blackhole bh) {
    nextEpisode(thompsonRefBatch);
    thompsonReference.run(thompsonRefBatch, trials, parallel);
    bh.consume(check(thompsonRefBatch));
  }

  @Benchmark
  public void thompsonSimd(Blackhole bh) {
    nextEpisode(thompsonSimdBatch);
    thompsonSimd.run(thompsonSimdBatch, trials, parallel);
    bh.consume(check(thompsonSimdBatch));
  }
}
