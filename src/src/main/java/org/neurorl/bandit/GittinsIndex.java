package org.neurorl.bandit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;

/**
 * Gittins indices of a Bernoulli arm with a {@code Beta(a₀, b₀)} prior and discount {@code γ}, for
 * every count {@code s + f ≤ maxCount}, tabulated once and cached on disk.
 *
 * <p><b>Method: calibration.</b> The index of state {@code Beta(a, b)} is the retirement reward
 * {@code λ} per step at which one is indifferent between retiring for ever and playing on (then
 * retiring optimally). For a fixed {@code λ}, a backward DP over the states {@code Beta(a + i, b + j)}
 * reachable in {@code depth} steps gives the optimal continuation policy, and with it its expected
 * discounted reward {@code R} and expected discounted playing time {@code W} (the root is always
 * played). {@code R / W} never exceeds the index, and equals it when {@code λ} does, so instead of
 * bisecting on {@code λ} we iterate {@code λ ← R / W} (Dinkelbach's method for this fractional
 * programme: after its first step it rises monotonically and converges superlinearly; it stops within
 * {@link #ITERATION_TOLERANCE} of the index of the truncated problem, in three passes for most states).
 * Each row {@code s} is solved from many failures down to none, each state starting from the straight
 * line through the indices of the two states with one and two more failures.
 *
 * <p><b>Truncation.</b> Past {@code depth} steps the arm is valued as if nothing more were learnt:
 * {@code max(λ, m)/(1 − γ)} with {@code m} the posterior mean. What this ignores is at most
 * {@code γ^depth · E|p − m| / (1 − γ)} per unit of playing time (and {@code W ≥ 1}), but that bound
 * is very loose: the arm must still be played at that depth, and by then the posterior is narrow.
 * {@link #defaultDepth} takes the smallest depth with {@code γ^depth ≤ 0.01} (44 for γ = 0.9, 459 for
 * γ = 0.99). Measured against depth 2,000 at Beta(1,1), (1,101), (51,51), (101,1), (3,40), that
 * truncation moves the index by at most 1.3e-6 (γ = 0.9), 4e-7 (γ = 0.99) and 3e-7 (γ = 0.995): a
 * hundred times below the 1e-4 this table promises; {@code GittinsIndexTest} re-checks it against a
 * depth three times larger.
 */
public final class GittinsIndex {
  public static final int FORMAT_VERSION = 1;
  private static final String MAGIC = "neurorl gittins Bernoulli-Beta";

  private final double gamma;
  private final int maxCount;
  private final double priorSuccesses;
  private final double priorFailures;
  private final int depth;
  /** Index of {@code Beta(a₀ + s, b₀ + f)} at {@code row(s) + f}. */
  private final double[] index;
  private final double buildSeconds;
  private final boolean fromCache;

  private GittinsIndex(double gamma, int maxCount, double a0, double b0, int depth, double[] index,
      double buildSeconds, boolean fromCache) {
    this.gamma = gamma;
    this.maxCount = maxCount;
    this.priorSuccesses = a0;
    this.priorFailures = b0;
    this.depth = depth;
    this.index = index;
    this.buildSeconds = buildSeconds;
    this.fromCache = fromCache;
  }

  static double checkGamma(double gamma) {
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException("gamma = " + gamma + "; allowed: a discount in (0, 1)");
    }
    return gamma;
  }

  static void checkPrior(double a0, double b0) {
    if (!(a0 > 0 && Double.isFinite(a0))) {
      throw new IllegalArgumentException("priorSuccesses = " + a0 + "; allowed: a finite Beta parameter > 0");
    }
    if (!(b0 > 0 && Double.isFinite(b0))) {
      throw new IllegalArgumentException("priorFailures = " + b0 + "; allowed: a finite Beta parameter > 0");
    }
  }

  /** Smallest depth {@code D ≥ 10} with {@code γ^D ≤ 0.01} (see the class comment for its accuracy). */
  public static int defaultDepth(double gamma) {
    checkGamma(gamma);
    double d = Math.ceil(Math.log(0.01) / Math.log(gamma));
    if (d > 1_000_000) {
      throw new IllegalArgumentException("gamma = " + gamma + "; allowed: a discount in (0, 1) up to 0.99999");
    }
    return Math.max(10, (int) d);
  }

  /** Cached table for a uniform prior {@code Beta(1, 1)} from the default cache folder. */
  public static GittinsIndex load(double gamma, int maxCount) {
    return load(gamma, maxCount, 1.0, 1.0, TableCache.defaultFolder(), Parallel.serial());
  }

  /**
   * The table for {@code (γ, maxCount, a₀, b₀)} from {@code folder}, computed (on {@code parallel}'s
   * workers; the result does not depend on their number) and written there if missing or damaged.
   */
  public static GittinsIndex load(double gamma, int maxCount, double a0, double b0, Path folder,
      Parallel parallel) {
    checkGamma(gamma);
    Checks.range("maxCount", maxCount, 0, 10_000);
    checkPrior(a0, b0);
    Path file = folder.resolve(String.format(Locale.ROOT, "gittins-g%s-n%d-a%s-b%s-v%d.bin",
        Double.toString(gamma), maxCount, Double.toString(a0), Double.toString(b0), FORMAT_VERSION));
    int depth = defaultDepth(gamma);
    GittinsIndex cached = TableCache.read(file, in -> readTable(in, gamma, maxCount, a0, b0, depth));
    if (cached != null) {
      return cached;
    }
    GittinsIndex built = compute(gamma, maxCount, a0, b0, depth, parallel);
    TableCache.write(file, built::writeTable);
    System.getLogger(GittinsIndex.class.getName()).log(System.Logger.Level.INFO,
        () -> String.format(Locale.ROOT, "built the Gittins table (γ = %s, counts up to %d, depth %d) in %.2f s on %d"
            + " thread(s); cached in %s", gamma, maxCount, depth, built.buildSeconds(), parallel.threads(), file));
    return built;
  }

  /** Builds the table in memory (no cache). */
  public static GittinsIndex compute(double gamma, int maxCount, double a0, double b0, int depth,
      Parallel parallel) {
    checkGamma(gamma);
    Checks.range("maxCount", maxCount, 0, 10_000);
    checkPrior(a0, b0);
    Checks.range("depth", depth, 1, 1_000_000);
    long start = System.nanoTime();
    double[] table = new double[(maxCount + 1) * (maxCount + 2) / 2];
    int workers = parallel.threads();
    double[][][] scratch = new double[workers][][];
    for (int k = 0; k < workers; k++) {
      scratch[k] = newScratch(depth);
    }
    // one block per success count s: f runs from maxCount − s down to 0 inside it (warm starts)
    parallel.forEachBlock(maxCount + 1, (worker, s) -> {
      double previous = Double.NaN; // index at f + 1
      double beforePrevious = Double.NaN; // index at f + 2
      for (int f = maxCount - s; f >= 0; f--) {
        double a = a0 + s;
        double b = b0 + f;
        // start from the straight-line guess through the two previous indices (any start is fine:
        // the first step lands below the index), else from the posterior mean, a lower bound
        double guess = !Double.isNaN(beforePrevious) ? 2 * previous - beforePrevious
            : !Double.isNaN(previous) ? previous : a / (a + b);
        double nu = calibrate(a, b, gamma, depth, Math.min(guess, 1.0), scratch[worker]);
        table[row(s, maxCount) + f] = nu;
        beforePrevious = previous;
        previous = nu;
      }
    });
    return new GittinsIndex(gamma, maxCount, a0, b0, depth, table, (System.nanoTime() - start) * 1e-9, false);
  }

  private static int row(int s, int maxCount) {
    // rows s = 0.. have maxCount + 1 − s entries
    return s * (maxCount + 1) - s * (s - 1) / 2;
  }

  /**
   * Dinkelbach's iteration stops when {@code W · (λ_next − λ) ≤} this. Then {@code λ} is within it of
   * the index: {@code F(λ) = max_π (R_π − λ W_π) = W · (λ_next − λ)} is convex and falls with slope
   * {@code −W ≤ −1} (the root is always played) to 0 at the index, so {@code ν − λ ≤ F(λ)}.
   */
  static final double ITERATION_TOLERANCE = 1e-7;

  /**
   * The index of {@code Beta(a, b)} by calibration with Dinkelbach's iteration from {@code lambda}.
   * {@code scratch} holds four arrays of length {@code depth + 2} and one of length 1.
   */
  static double calibrate(double a, double b, double gamma, int depth, double lambda, double[][] scratch) {
    for (int iteration = 0; iteration < 200; iteration++) {
      double next = rewardPerPlayingTime(a, b, gamma, depth, lambda, scratch);
      double playingTime = scratch[4][0];
      // after one step λ is a lower bound whatever the start, and then it only rises
      if (next >= lambda && playingTime * (next - lambda) <= ITERATION_TOLERANCE) {
        return next;
      }
      lambda = next;
    }
    throw new IllegalStateException("Gittins calibration of Beta(" + a + ", " + b + ") did not converge");
  }

  /** Scratch for {@link #calibrate} at this depth. */
  static double[][] newScratch(int depth) {
    return new double[][] {new double[depth + 2], new double[depth + 2], new double[depth + 2],
        new double[depth + 2], new double[1]};
  }

  /**
   * One calibration pass: {@code R / W} (and {@code W} in {@code scratch[4][0]}) of the policy that
   * plays the root and then plays on while that
   * beats retiring on {@code λ} per step. Playing on is monotone in the successes at a given depth
   * (more successes, higher index), so each layer is swept from the most successes down and stops at
   * the first state that retires: every state below it retires too, and is skipped ({@code lo} marks
   * the lowest playing state of the deeper layer; entries below it count as zero).
   */
  private static double rewardPerPlayingTime(double a, double b, double gamma, int depth, double lambda,
      double[][] scratch) {
    double forever = 1.0 / (1.0 - gamma);
    double[] r = scratch[0], w = scratch[1], rNext = scratch[2], wNext = scratch[3];
    // depth D: no more learning, play for ever if the mean beats λ
    double n = a + b + depth;
    int lo = depth + 1;
    for (int i = depth; i >= 0; i--) {
      double m = (a + i) / n;
      if (!(m > lambda)) {
        break;
      }
      r[i] = m * forever;
      w[i] = forever;
      lo = i;
    }
    for (int d = depth - 1; d >= 0; d--) {
      double inv = 1.0 / (a + b + d);
      int newLo = d + 1;
      for (int i = d; i >= 0; i--) {
        double m = (a + i) * inv;
        double rUp = r[i + 1]; // i + 1 ≥ lo always holds while this layer still plays
        double wUp = w[i + 1];
        double rDown = i >= lo ? r[i] : 0.0;
        double wDown = i >= lo ? w[i] : 0.0;
        if (i + 1 < lo) {
          rUp = 0.0;
          wUp = 0.0;
        }
        double rPlay = m + gamma * (m * rUp + (1 - m) * rDown);
        double wPlay = 1.0 + gamma * (m * wUp + (1 - m) * wDown);
        // play on only if it beats retiring, R − λW > 0; the root (d = 0) is always played
        if (d > 0 && !(rPlay - lambda * wPlay > 0)) {
          break;
        }
        rNext[i] = rPlay;
        wNext[i] = wPlay;
        newLo = i;
      }
      double[] t = r;
      r = rNext;
      rNext = t;
      t = w;
      w = wNext;
      wNext = t;
      lo = newLo;
    }
    scratch[4][0] = w[0];
    return r[0] / w[0];
  }

  public double gamma() {
    return gamma;
  }

  public int maxCount() {
    return maxCount;
  }

  public int depth() {
    return depth;
  }

  public double buildSeconds() {
    return buildSeconds;
  }

  public boolean fromCache() {
    return fromCache;
  }

  /** The index after {@code successes} and {@code failures} ({@code successes + failures ≤ maxCount}). */
  public double index(int successes, int failures) {
    if (successes < 0 || failures < 0) {
      throw new IllegalArgumentException("counts = (" + successes + ", " + failures
          + "); allowed: non-negative successes and failures");
    }
    if (successes + failures > maxCount) {
      throw new IllegalArgumentException("successes + failures = " + (successes + failures) + "; allowed: 0 to "
          + maxCount + " (the table's maxCount)");
    }
    return index[row(successes, maxCount) + failures];
  }

  /** As {@link #index} for counts already known valid (the agent's hot path). */
  double indexUnchecked(int successes, int failures) {
    return index[row(successes, maxCount) + failures];
  }

  private void writeTable(DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeDouble(gamma);
    out.writeInt(maxCount);
    out.writeDouble(priorSuccesses);
    out.writeDouble(priorFailures);
    out.writeInt(depth);
    out.writeInt(index.length);
    for (double v : index) {
      out.writeDouble(v);
    }
  }

  private static GittinsIndex readTable(DataInputStream in, double gamma, int maxCount, double a0, double b0,
      int depth) throws IOException {
    if (!in.readUTF().equals(MAGIC) || in.readInt() != FORMAT_VERSION || in.readDouble() != gamma
        || in.readInt() != maxCount || in.readDouble() != a0 || in.readDouble() != b0 || in.readInt() != depth) {
      return null;
    }
    int n = in.readInt();
    if (n != (maxCount + 1) * (maxCount + 2) / 2) {
      return null;
    }
    double[] table = new double[n];
    for (int i = 0; i < n; i++) {
      table[i] = in.readDouble();
    }
    return new GittinsIndex(gamma, maxCount, a0, b0, depth, table, 0.0, true);
  }
}
