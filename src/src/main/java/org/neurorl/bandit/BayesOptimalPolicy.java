package org.neurorl.bandit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Checks;

/**
 * The exact Bayes-optimal policy of the two-armed Bernoulli bandit over a finite horizon of
 * {@code T} trials (MODELS.md §4), found by backward induction over success/failure counts in float64.
 *
 * <p><b>Independent prior</b> {@code p₁, p₂ ~ U(0, 1)}: the posterior of arm {@code a} is
 * {@code Beta(1 + sₐ, 1 + fₐ)}, so the state is {@code (s₁, f₁, s₂, f₂)} and the chance the next pull
 * of arm {@code a} succeeds is {@code (sₐ + 1) / (sₐ + fₐ + 2)}. States with
 * {@code s₁ + f₁ + s₂ + f₂ = t} form layer {@code t}; layer {@code t} only reads layer {@code t + 1},
 * so the values need two layers in memory ({@code O(T³)}) while the action table has one byte per
 * state, {@code C(T + 3, 4)} in all (4.4 MB for {@code T = 100}); the work is {@code O(T⁴)}.
 *
 * <p><b>Correlated prior</b> {@code p₁ ~ U(0, 1), p₂ = 1 − p₁}: a success on arm 1 or a failure on
 * arm 2 is the same evidence about {@code p₁}, so the posterior is
 * {@code Beta(1 + s₁ + f₂, 1 + f₁ + s₂)} and layer {@code t} has {@code t + 1} states. Either pull
 * teaches the same, so the optimal policy here is greedy; the DP confirms it rather than assumes it.
 *
 * <p><b>Ties</b>: the action table stores {@link #ARM_1}, {@link #ARM_2} or {@link #EITHER} when the two
 * expected totals differ by at most {@link #TIE_TOLERANCE} (rounding in a sum of at most {@code T}
 * terms is ~1e-13, and a policy choosing either arm then loses at most 1e-9 expected reward). Every
 * consumer of the table (the agent, the expected-regret curve) plays arm 1 on {@link #EITHER}, so
 * the computed curve is the curve of exactly the policy the agent plays.
 *
 * <p>Arms are numbered 0 and 1 in the API (arm 1 of the text is action 0).
 */
public final class BayesOptimalPolicy {
  /** Cache file format; bump when the layout or the tie rule changes. */
  public static final int FORMAT_VERSION = 1;
  public static final byte ARM_1 = 0;
  public static final byte ARM_2 = 1;
  public static final byte EITHER = 2;
  public static final double TIE_TOLERANCE = 1e-9;
  public static final int DEFAULT_HORIZON = 100;
  /** Largest horizon for the independent prior: its table has {@code C(T+3, 4)} bytes (69 MB at 200). */
  public static final int MAX_INDEPENDENT_HORIZON = 200;
  public static final int MAX_CORRELATED_HORIZON = 5_000;
  private static final String MAGIC = "neurorl bayes-optimal two-armed Bernoulli";

  private final BanditPrior prior;
  private final int horizon;
  private final byte[] actions;
  private final double value;
  private final double[] expectedReward;
  private final double[] expectedCumulativeRegret;
  private final double buildSeconds;
  private final boolean fromCache;
  /** Independent prior: start of layer t in {@link #actions}, then offset of n₁ within the layer. */
  private final int[][] offsets;

  private BayesOptimalPolicy(BanditPrior prior, int horizon, byte[] actions, double value,
      double[] expectedReward, double buildSeconds, boolean fromCache) {
    this.prior = prior;
    this.horizon = horizon;
    this.actions = actions;
    this.value = value;
    this.expectedReward = expectedReward;
    this.buildSeconds = buildSeconds;
    this.fromCache = fromCache;
    this.offsets = prior == BanditPrior.INDEPENDENT ? independentOffsets(horizon) : null;
    this.expectedCumulativeRegret = new double[horizon];
    double best = expectedMaximum(prior);
    double reward = 0;
    for (int t = 0; t < horizon; t++) {
      reward += expectedReward[t];
      expectedCumulativeRegret[t] = best * (t + 1) - reward;
    }
  }

  /** {@code E[max(p₁, p₂)]} under the prior: 2/3 (independent uniforms), 3/4 (correlated). */
  public static double expectedMaximum(BanditPrior prior) {
    return switch (checkPrior(prior)) {
      case INDEPENDENT -> 2.0 / 3.0;
      case CORRELATED -> 3.0 / 4.0;
      case FIXED -> throw new AssertionError();
    };
  }

  private static BanditPrior checkPrior(BanditPrior prior) {
    if (prior == null || prior == BanditPrior.FIXED) {
      throw new IllegalArgumentException("prior = " + prior + "; allowed: independent, correlated");
    }
    return prior;
  }

  private static int checkHorizon(BanditPrior prior, int horizon) {
    return Checks.range("horizon", horizon, 1,
        prior == BanditPrior.INDEPENDENT ? MAX_INDEPENDENT_HORIZON : MAX_CORRELATED_HORIZON);
  }

  /** The table from the default cache folder, built and cached if missing (see {@link #load(BanditPrior, int, Path)}). */
  public static BayesOptimalPolicy load(BanditPrior prior, int horizon) {
    return load(prior, horizon, TableCache.defaultFolder());
  }

  /**
   * The table for {@code (prior, horizon)} from {@code folder}; if it is missing, damaged or written by
   * another format version, it is computed and written there (atomically) for the next run.
   */
  public static BayesOptimalPolicy load(BanditPrior prior, int horizon, Path folder) {
    checkPrior(prior);
    checkHorizon(prior, horizon);
    Path file = folder.resolve(String.format(Locale.ROOT, "bayes-optimal-%s-T%d-v%d.bin", prior.label(),
        horizon, FORMAT_VERSION));
    BayesOptimalPolicy cached = TableCache.read(file, in -> readTable(in, prior, horizon));
    if (cached != null) {
      return cached;
    }
    BayesOptimalPolicy built = compute(prior, horizon);
    TableCache.write(file, built::writeTable);
    System.getLogger(BayesOptimalPolicy.class.getName()).log(System.Logger.Level.INFO,
        () -> String.format(Locale.ROOT, "built the Bayes-optimal table (%s prior, T = %d, %,d states) in %.2f s;"
            + " cached in %s", prior.label(), horizon, built.stateCount(), built.buildSeconds(), file));
    return built;
  }

  /** Builds the table in memory (no cache). */
  public static BayesOptimalPolicy compute(BanditPrior prior, int horizon) {
    checkPrior(prior);
    checkHorizon(prior, horizon);
    long start = System.nanoTime();
    byte[] table;
    double v;
    if (prior == BanditPrior.INDEPENDENT) {
      int[][] off = independentOffsets(horizon);
      table = new byte[off[horizon][0]];
      v = solveIndependent(horizon, off, table);
    } else {
      table = new byte[horizon * (horizon + 1) / 2];
      v = solveCorrelated(horizon, table);
    }
    double[] reward = prior == BanditPrior.INDEPENDENT
        ? forwardIndependent(horizon, independentOffsets(horizon), table)
        : forwardCorrelated(horizon, table);
    return new BayesOptimalPolicy(prior, horizon, table, v, reward, (System.nanoTime() - start) * 1e-9, false);
  }

  // ---------------------------------------------------------------------------------------------
  // Independent prior

  /**
   * {@code off[t][n₁]}: index of state {@code (n₁, s₁ = 0, s₂ = 0)} of layer {@code t}; within it,
   * {@code s₁ · (n₂ + 1) + s₂} with {@code n₂ = t − n₁}. {@code off[t][t + 1]} is the end of layer t,
   * and {@code off[T][0]} the total number of decision states.
   */
  private static int[][] independentOffsets(int horizon) {
    int[][] off = new int[horizon + 1][];
    long start = 0;
    for (int t = 0; t < horizon; t++) {
      off[t] = new int[t + 2];
      long o = start;
      for (int n1 = 0; n1 <= t; n1++) {
        off[t][n1] = (int) o;
        o += (long) (n1 + 1) * (t - n1 + 1);
      }
      off[t][t + 1] = (int) o;
      start = o;
    }
    off[horizon] = new int[] {(int) start};
    return off;
  }

  /** Offsets of the states of one layer counted from the layer start (for the value arrays). */
  private static int[] layerOffsets(int t) {
    int[] o = new int[t + 2];
    int s = 0;
    for (int n1 = 0; n1 <= t; n1++) {
      o[n1] = s;
      s += (n1 + 1) * (t - n1 + 1);
    }
    o[t + 1] = s;
    return o;
  }

  private static double solveIndependent(int horizon, int[][] off, byte[] table) {
    int maxLayer = layerOffsets(horizon)[horizon + 1];
    double[] next = new double[maxLayer]; // V at layer t + 1; all zero at t = T
    double[] current = new double[maxLayer];
    for (int t = horizon - 1; t >= 0; t--) {
      int[] lo = layerOffsets(t);
      int[] ln = layerOffsets(t + 1);
      int base = off[t][0];
      for (int n1 = 0; n1 <= t; n1++) {
        int n2 = t - n1;
        double inv1 = 1.0 / (n1 + 2);
        double inv2 = 1.0 / (n2 + 2);
        int after1 = ln[n1 + 1]; // layer t+1 block (n₁ + 1, n₂): row stride n₂ + 1
        int after2 = ln[n1]; // layer t+1 block (n₁, n₂ + 1): row stride n₂ + 2
        int here = lo[n1];
        for (int s1 = 0; s1 <= n1; s1++) {
          double m1 = (s1 + 1) * inv1;
          int row1 = after1 + s1 * (n2 + 1);
          int row2 = after2 + s1 * (n2 + 2);
          int rowHere = here + s1 * (n2 + 1);
          for (int s2 = 0; s2 <= n2; s2++) {
            double m2 = (s2 + 1) * inv2;
            double q1 = m1 * (1.0 + next[row1 + n2 + 1 + s2]) + (1.0 - m1) * next[row1 + s2];
            double q2 = m2 * (1.0 + next[row2 + s2 + 1]) + (1.0 - m2) * next[row2 + s2];
            double d = q1 - q2;
            table[base + rowHere + s2] = d > TIE_TOLERANCE ? ARM_1 : d < -TIE_TOLERANCE ? ARM_2 : EITHER;
            current[rowHere + s2] = Math.max(q1, q2);
          }
        }
      }
      double[] swap = next;
      next = current;
      current = swap;
    }
    return next[0];
  }

  /** Expected reward at each trial of the policy (arm 1 on ties), by forward propagation. */
  private static double[] forwardIndependent(int horizon, int[][] off, byte[] table) {
    int maxLayer = layerOffsets(horizon)[horizon + 1];
    double[] prob = new double[maxLayer];
    double[] nextProb = new double[maxLayer];
    double[] reward = new double[horizon];
    prob[0] = 1.0;
    for (int t = 0; t < horizon; t++) {
      int[] lo = layerOffsets(t);
      int[] ln = layerOffsets(t + 1);
      java.util.Arrays.fill(nextProb, 0, ln[t + 2], 0.0);
      int base = off[t][0];
      double r = 0;
      for (int n1 = 0; n1 <= t; n1++) {
        int n2 = t - n1;
        for (int s1 = 0; s1 <= n1; s1++) {
          int rowHere = lo[n1] + s1 * (n2 + 1);
          for (int s2 = 0; s2 <= n2; s2++) {
            double p = prob[rowHere + s2];
            if (p == 0.0) {
              continue;
            }
            if (table[base + rowHere + s2] != ARM_2) {
              double m = (s1 + 1.0) / (n1 + 2);
              int row = ln[n1 + 1] + s1 * (n2 + 1) + s2;
              nextProb[row + n2 + 1] += p * m;
              nextProb[row] += p * (1 - m);
              r += p * m;
            } else {
              double m = (s2 + 1.0) / (n2 + 2);
              int row = ln[n1] + s1 * (n2 + 2) + s2;
              nextProb[row + 1] += p * m;
              nextProb[row] += p * (1 - m);
              r += p * m;
            }
          }
        }
      }
      reward[t] = r;
      double[] swap = prob;
      prob = nextProb;
      nextProb = swap;
    }
    return reward;
  }

  // ---------------------------------------------------------------------------------------------
  // Correlated prior: state a = s₁ + f₂ (evidence for arm 1), b = t − a; E[p₁] = (a + 1) / (t + 2)

  private static double solveCorrelated(int horizon, byte[] table) {
    double[] next = new double[horizon + 1];
    double[] current = new double[horizon + 1];
    for (int t = horizon - 1; t >= 0; t--) {
      int base = t * (t + 1) / 2;
      for (int a = 0; a <= t; a++) {
        double m = (a + 1.0) / (t + 2);
        // arm 1: success (m) → a + 1; failure → b + 1.  arm 2: success (1 − m) → b + 1; failure → a + 1
        double q1 = m * (1.0 + next[a + 1]) + (1.0 - m) * next[a];
        double q2 = (1.0 - m) * (1.0 + next[a]) + m * next[a + 1];
        double d = q1 - q2;
        table[base + a] = d > TIE_TOLERANCE ? ARM_1 : d < -TIE_TOLERANCE ? ARM_2 : EITHER;
        current[a] = Math.max(q1, q2);
      }
      double[] swap = next;
      next = current;
      current = swap;
    }
    return next[0];
  }

  private static double[] forwardCorrelated(int horizon, byte[] table) {
    double[] prob = new double[horizon + 1];
    double[] nextProb = new double[horizon + 1];
    double[] reward = new double[horizon];
    prob[0] = 1.0;
    for (int t = 0; t < horizon; t++) {
      java.util.Arrays.fill(nextProb, 0.0);
      int base = t * (t + 1) / 2;
      double r = 0;
      for (int a = 0; a <= t; a++) {
        double p = prob[a];
        double m = (a + 1.0) / (t + 2);
        // either arm moves a up with chance m; only the reward differs
        nextProb[a + 1] += p * m;
        nextProb[a] += p * (1 - m);
        r += p * (table[base + a] != ARM_2 ? m : 1 - m);
      }
      reward[t] = r;
      double[] swap = prob;
      prob = nextProb;
      nextProb = swap;
    }
    return reward;
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  public BanditPrior prior() {
    return prior;
  }

  public int horizon() {
    return horizon;
  }

  /** {@code V}: the expected total reward over the horizon under the prior. */
  public double value() {
    return value;
  }

  /** Expected reward at trial {@code t} (0-based) under the prior; sums to {@link #value()}. */
  public double[] expectedRewardPerTrial() {
    return expectedReward.clone();
  }

  /**
   * Expected cumulative regret {@code E[Σ_{k ≤ t} (max(p) − p_{a_k})]} after {@code t + 1} trials
   * (element {@code t}), computed exactly as {@code E[max p] · (t + 1) − Σ expected rewards}.
   */
  public double[] expectedCumulativeRegret() {
    return expectedCumulativeRegret.clone();
  }

  /** Seconds it took to build the table (0 when it was read from the cache). */
  public double buildSeconds() {
    return buildSeconds;
  }

  public boolean fromCache() {
    return fromCache;
  }

  /** Number of decision states in the table. */
  public int stateCount() {
    return actions.length;
  }

  /**
   * The table entry for counts {@code (s₁, f₁, s₂, f₂)} with {@code s₁ + f₁ + s₂ + f₂ < T}:
   * {@link #ARM_1}, {@link #ARM_2} or {@link #EITHER}.
   */
  public byte decision(int s1, int f1, int s2, int f2) {
    if (s1 < 0 || f1 < 0 || s2 < 0 || f2 < 0) {
      throw new IllegalArgumentException("counts = (" + s1 + ", " + f1 + ", " + s2 + ", " + f2
          + "); allowed: non-negative successes and failures");
    }
    int t = s1 + f1 + s2 + f2;
    if (t >= horizon) {
      throw new IllegalArgumentException("trials so far = " + t + "; allowed: 0 to " + (horizon - 1)
          + " (the table's horizon is " + horizon + ")");
    }
    return decisionUnchecked(s1, f1, s2, f2);
  }

  /** As {@link #decision} without argument checks (the agent's hot path; counts come from its own play). */
  byte decisionUnchecked(int s1, int f1, int s2, int f2) {
    int t = s1 + f1 + s2 + f2;
    if (prior == BanditPrior.INDEPENDENT) {
      int n1 = s1 + f1;
      int n2 = t - n1;
      return actions[offsets[t][n1] + s1 * (n2 + 1) + s2];
    }
    return actions[t * (t + 1) / 2 + s1 + f2];
  }

  /** The action played at these counts: arm 0 on {@link #ARM_1} and on ties, else arm 1. */
  public int action(int s1, int f1, int s2, int f2) {
    return decision(s1, f1, s2, f2) == ARM_2 ? 1 : 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Cache file: header (magic, version, prior, T), V, expected rewards, action bytes; CRC appended

  private void writeTable(DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeUTF(prior.label());
    out.writeInt(horizon);
    out.writeDouble(value);
    for (double r : expectedReward) {
      out.writeDouble(r);
    }
    out.writeInt(actions.length);
    out.write(actions);
  }

  private static BayesOptimalPolicy readTable(DataInputStream in, BanditPrior prior, int horizon)
      throws IOException {
    if (!in.readUTF().equals(MAGIC) || in.readInt() != FORMAT_VERSION || !in.readUTF().equals(prior.label())
        || in.readInt() != horizon) {
      return null;
    }
    double v = in.readDouble();
    double[] reward = new double[horizon];
    for (int t = 0; t < horizon; t++) {
      reward[t] = in.readDouble();
    }
    int n = in.readInt();
    long expected = prior == BanditPrior.INDEPENDENT ? independentOffsets(horizon)[horizon][0]
        : (long) horizon * (horizon + 1) / 2;
    if (n != expected) {
      return null;
    }
    byte[] table = new byte[n];
    in.readFully(table);
    return new BayesOptimalPolicy(prior, horizon, table, v, reward, 0.0, true);
  }
}
