package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.kernel.Kernels;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.ReferenceLatentQ;
import org.neurorl.kernel.qlearn.ReferenceTabularQ;
import org.neurorl.kernel.qlearn.TabularQKernel;
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
 * Latent and tabular Q trial steps on the two-armed bandit (independent arm probabilities per agent),
 * {@code batch} agents × {@code trials} trials per invocation on both cores (Parallel.of(2)). Agent-trials
 * per second = ops/s × batch × trials. Each invocation starts a new episode (reset: new initial values),
 * as the simulate command does, and checks the result so a broken kernel cannot look fast.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class QBenchmark {
  @Param("100000")
  public int batch;

  @Param("100")
  public int trials;

  private Parallel parallel;
  private LatentQKernel latentReference;
  private LatentQKernel latentSimd;
  private TabularQKernel tabularReference;
  private TabularQKernel tabularSimd;
  private QBatch latentRefBatch;
  private QBatch latentSimdBatch;
  private QBatch tabularRefBatch;
  private QBatch tabularSimdBatch;
  private double[] regret;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = Parallel.of(2);
    latentReference = new ReferenceLatentQ();
    latentSimd = Kernels.simd(LatentQKernel.class, "org.neurorl.kernel.simd.SimdLatentQ");
    tabularReference = new ReferenceTabularQ();
    tabularSimd = Kernels.simd(TabularQKernel.class, "org.neurorl.kernel.simd.SimdTabularQ");
    QParams latent = QParams.softmax(0.1f, 5f, QParams.DEFAULT_LATENT_INIT_SCALE);
    QParams tabular = QParams.softmax(0.1f, 5f, 0f);
    float[] p = BanditBenchSupport.twoArmProbabilities(batch);
    latentRefBatch = latentReference.newBatch(batch, 1, 2, 2, latent, 1);
    latentSimdBatch = latentSimd.newBatch(batch, 1, 2, 2, latent, 1);
    tabularRefBatch = tabularReference.newBatch(batch, 1, 2, tabular, 1);
    tabularSimdBatch = tabularSimd.newBatch(batch, 1, 2, tabular, 1);
    for (QBatch b : new QBatch[] {latentRefBatch, latentSimdBatch, tabularRefBatch, tabularSimdBatch}) {
      b.setRewardProbabilities(p);
    }
    regret = new double[batch];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** Sum of the regret of the first agents, checked to be a finite number within [0, trials] each. */
  private double check(QBatch b) {
    b.cumulativeRegret(regret);
    return BanditBenchSupport.checkedRegretSum(regret, batch, trials, b.trial());
  }

  /** The next episode (new initial values), as the simulate command starts one. */
  private static void nextEpisode(QBatch b) {
    b.reset(b.episode() + 1 < QBatch.MAX_EPISODES ? b.episode() + 1 : 0);
  }

  @Benchmark
  public void latentReference(Blackhole bh) {
    nextEpisode(latentRefBatch);
    latentReference.run(latentRefBatch, trials, parallel);
    bh.consume(check(latentRefBatch));
  }

  @Benchmark
  public void latentSimd(Blackhole bh) {
    nextEpisode(latentSimdBatch);
    latentSimd.run(latentSimdBatch, trials, parallel);
    bh.consume(check(latentSimdBatch));
  }

  @Benchmark
  public void tabularReference(Blackhole bh) {
    nextEpisode(tabularRefBatch);
    tabularReference.run(tabularRefBatch, trials, parallel);
    bh.consume(check(tabularRefBatch));
  }

  @Benchmark
  public void tabularSimd(Blackhole bh) {
    nextEpisode(tabularSimdBatch);
    tabularSimd.run(tabularSimdBatch, trials, parallel);
    bh.consume(check(tabularSimdBatch));
  }
}
