package org.neurorl.bandit;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * Thompson sampling for Bernoulli arms (MODELS.md §4): draw {@code θₐ ~ Beta(1 + sₐ, 1 + fₐ)} for every
 * arm and play the largest (ties, which have probability zero, go to the lower arm).
 *
 * <p><b>Beta samples</b> ({@link #betaSample}) are {@code X / (X + Y)} with {@code X ~ Gamma(α)},
 * {@code Y ~ Gamma(β)}, each drawn by Marsaglia and Tsang's (2000) squeeze-rejection method, which
 * accepts at least 95% of its proposals for shape {@code ≥ 1} and costs the same whatever the counts
 * (unlike the order-statistic method, whose cost grows with them). Each proposal takes three draws
 * from the slot's stream: two for a Box–Muller normal ({@link Rng#normal}) and one uniform.
 *
 * <p><b>Streams</b>: slot {@code i} of the population uses {@code Rng.key(seed ^ SALT, i)}. Trial
 * {@code t} of episode {@code e}, arm {@code a}, Gamma {@code g} (0 for α, 1 for β) owns the
 * {@link #DRAWS_PER_GAMMA} counters from
 * {@code (((e · trials + t) · arms + a) · 2 + g) · DRAWS_PER_GAMMA}: room for {@link #PROPOSALS}
 * proposals. If all of them are rejected (probability below 0.05⁴ ≈ 6e-6) the sampler goes on with
 * the same counters on a second key, {@code Rng.hash(key ^ FALLBACK)}, and on past them as long as it
 * takes; so every sample is exactly Gamma-distributed (proposals are independent and identically
 * distributed), and a slot's draws do not depend on the batch it runs in. Only a second run of four
 * rejections (probability ~4e-11) reaches counters another sample's fallback could also use.
 */
public final class ThompsonAgent extends CountingAgent {
  /** Keeps the agent's streams apart from the environment's under the same seed. */
  public static final long SALT = 0x7A0B_5A3B_1E5L;
  public static final int PROPOSALS = 4;
  public static final int DRAWS_PER_GAMMA = 3 * PROPOSALS;
  private static final int FALLBACK = 0x2545F491;

  private final int trials;
  private final int[] keys;
  private long episode;

  /**
   * @param batch slots
   * @param arms arms
   * @param trials the episode length (it lays out the random counters; longer episodes are an error)
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the whole population
   */
  public ThompsonAgent(int batch, int arms, int trials, long seed, long firstSlot) {
    super(batch, arms);
    Checks.range("trials", trials, 1, 1 << 20);
    this.trials = trials;
    this.keys = new int[batch];
    for (int b = 0; b < batch; b++) {
      keys[b] = Rng.key(seed ^ SALT, firstSlot + b);
    }
  }

  @Override
  public String name() {
    return "thompson";
  }

  private long countersPerEpisode() {
    return (long) trials * arms * 2 * DRAWS_PER_GAMMA;
  }

  @Override
  public void reset(long episode) {
    if (episode < 0 || (episode + 1) * countersPerEpisode() > (1L << 32)) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + ((1L << 32) / countersPerEpisode() - 1) + " (the counters of a stream are 32-bit)");
    }
    super.reset(episode);
    this.episode = episode;
  }

  @Override
  protected int choose(int b) {
    int t = played[b];
    if (t >= trials) {
      throw new IllegalStateException("slot " + b + " has played " + t + " trials, the episode length "
          + trials + " this agent was built for; reset for a new episode");
    }
    int o = b * arms;
    int base = (int) ((episode * trials + t) * arms * 2 * DRAWS_PER_GAMMA);
    int best = 0;
    double bestSample = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < arms; a++) {
      double theta = betaSample(keys[b], base + a * 2 * DRAWS_PER_GAMMA,
          1 + successes[o + a], 1 + failures[o + a]);
      if (theta > bestSample) {
        bestSample = theta;
        best = a;
      }
    }
    return best;
  }

  /**
   * A {@code Beta(alpha, beta)} sample ({@code alpha, beta ≥ 1}) from counters {@code counter ..
   * counter + 2 · DRAWS_PER_GAMMA − 1} of stream {@code key}.
   */
  public static double betaSample(int key, int counter, double alpha, double beta) {
    double x = gammaSample(key, counter, alpha);
    double y = gammaSample(key, counter + DRAWS_PER_GAMMA, beta);
    return x / (x + y);
  }

  /** A {@code Gamma(shape, 1)} sample, {@code shape ≥ 1}, by Marsaglia–Tsang from counters {@code counter..}. */
  public static double gammaSample(int key, int counter, double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    int k = key;
    for (int proposal = 0; ; proposal++) {
      if (proposal == PROPOSALS) {
        k = Rng.hash(key ^ FALLBACK); // see the class comment: exact, and essentially never reached
      }
      int n = counter + 3 * (proposal < PROPOSALS ? proposal : proposal - PROPOSALS);
      double z = Rng.normal(k, n);
      double v = 1.0 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = ((Rng.bits(k, n + 2) >>> 8) + 1) * 0x1p-24; // (0, 1]: log(u) is finite
      double z2 = z * z;
      if (u < 1.0 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
