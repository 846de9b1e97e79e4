package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.bandit.BayesOptimalPolicy;
import org.neurorl.bandit.GittinsIndex;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Parallel;
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
 * Building the tables from scratch (no cache), horizon / largest count T = 100: the Gittins index by
 * calibration (γ = 0.95 and 0.99, prior Beta(1, 1), default depth, on both cores) and the exact
 * Bayes-optimal policy by dynamic programming (independent and correlated priors). Single-shot times:
 * each is a one-off cost before the tables are cached on disk, so the first, unwarmed build is what a
 * user waits for; JMH's one warm-up shot per fork is excluded, so the numbers are compiled-code
 * times (the first, cold build in a fresh JVM is slower by the JIT's warm-up).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class TableBuildBenchmark {
  @Param("100")
  public int horizon;

  private Parallel parallel;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = Parallel.of(2);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  private double gittins(double gamma) {
    GittinsIndex g = GittinsIndex.compute(gamma, horizon, 1.0, 1.0, GittinsIndex.defaultDepth(gamma), parallel);
    return g.index(0, 0);
  }

  @Benchmark
  public double gittinsTable095() {
    return gittins(0.95);
  }

  @Benchmark
  public double gittinsTable099() {
    return gittins(0.99);
  }

  @Benchmark
  public double bayesOptimalIndependentTable() {
    return BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, horizon).value();
  }

  /** As above, for the correlated prior (p₂ = 1 − p₁). */
  @Benchmark
  public double bayesOptimalCorrelatedTable() {
    return BayesOptimalPolicy.compute(BanditPrior.CORRELATED, horizon).value();
  }
}
