package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import org.neurorl.agent.BatchAgent;
import org.neurorl.bandit.BayesOptimalAgent;
import org.neurorl.bandit.BayesOptimalPolicy;
import org.neurorl.bandit.GittinsAgent;
import org.neurorl.bandit.GittinsIndex;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The table-driven classic agents, Gittins index (γ = 0.95, the simulate default) and the exact
 * Bayes-optimal policy (independent prior, T = 100), playing {@code batch} agents × {@code trials}
 * trials of the independent two-armed bandit per invocation on both cores, in blocks of
 * {@value #BLOCK} agents as {@code simulate} runs them (one block per worker at a time; environment
 * step, agent act and observe; no regret bookkeeping). Agent-trials per second = ops/s × batch × trials.
 * The tables are loaded (or built and cached) once in the set-up; {@link TableBuildBenchmark} times
 * building them. Each invocation plays a new episode (new arm probabilities) and checks the rewards, so
 * a broken agent cannot look fast.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class TableAgentBenchmark {
  static final int BLOCK = 1 << 14;

  @Param("100000")
  public int batch;

  @Param("100")
  public int trials;

  private Parallel parallel;
  private GittinsIndex gittins;
  private BayesOptimalPolicy bayes;
  private long episode;
  private double[] blockRewards;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = Parallel.of(2);
    gittins = GittinsIndex.load(0.95, trials);
    bayes = BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, trials);
    blockRewards = new double[(batch + BLOCK - 1) / BLOCK];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** Plays one episode for every agent; returns the mean reward per trial, checked to be in (0.3, 0.95). */
  private double play(boolean useGittins) {
    long e = episode++;
    int blocks = blockRewards.length;
    parallel.forEachBlock(blocks, (worker, block) -> {
      int first = block * BLOCK;
      int n = Math.min(BLOCK, batch - first);
      BernoulliBandit env = new BernoulliBandit(n, 2, trials, BanditPrior.INDEPENDENT, null, false, 1, first);
      env.reset(e % 1000, null);
      BatchAgent agent = useGittins ? new GittinsAgent(n, 2, gittins) : new BayesOptimalAgent(n, bayes);
      agent.reset(0);
      int[] actions = new int[n];
      float[] rewards = new float[n];
      boolean[] truncated = new boolean[n];
      double sum = 0;
      for (int t = 0; t < trials; t++) {
        agent.act(null, actions);
        env.step(actions, null, rewards, null, truncated);
        agent.observe(actions, rewards, truncated);
        for (int i = 0; i < n; i++) {
          sum += rewards[i];
        }
      }
      blockRewards[block] = sum;
    });
    double total = 0;
    for (double r : blockRewards) {
      total += r;
    }
    double mean = total / ((double) batch * trials);
    if (!(mean > 0.3 && mean < 0.95)) {
      throw new IllegalStateException("broken agent: mean reward " + mean);
    }
    return mean;
  }

  @Benchmark
  public void gittins(Blackhole bh) {
    bh.consume(play(true));
  }

  @Benchmark
  public void bayesOptimal(Blackhole bh) {
    bh.consume(play(false));
  }
}
