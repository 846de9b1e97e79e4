package org.neurorl.plot;

import java.util.Arrays;
import org.neurorl.agent.BatchAgent;
import org.neurorl.kernel.Rng;

/**
 * Two small plain-Java batched learners for the cue–action task ({@link org.neurorl.env.CueActionTask}),
 * in float64 with flat arrays, used by {@link CueValueFigure} to look inside their values and by
 * {@code neurorl simulate --task cue-action} ({@link org.neurorl.sim.BanditSimulation}) for their learning curves:
 *
 * <ul>
 *   <li>{@link Tabular}: one value per (cue, action), MODELS.md §4, {@code Q(c,a) ← Q(c,a) + η (r − Q(c,a))},
 *       starting at 0 every episode;
 *   <li>{@link Latent}: latent Q, MODELS.md §3, {@code z = W[c,:]}, {@code q = z Q},
 *       {@code δ = r − q[a]}, {@code Q[:,a] += η δ z}, {@code W[c,:] += η δ Q_old[:,a]} (both updates
 *       from the values before the update; γ = 0 on a one-shot trial), with {@code K} latent units and
 *       {@code W, Q ~ U(−σ, σ)} drawn afresh every episode.
 * </ul>
 *
 * Both choose {@code a ~ softmax(β q)} by inverting the cumulative distribution at one uniform.
 *
 * <p>Random numbers: slot {@code b} uses stream {@code Rng.key(seed ^ SALT, firstSlot + b)}, with a
 * different salt for each learner; episode {@code e} uses counters from {@code e · (I + T)}: the first
 * {@code I} for the initial values ({@code I = S·K + K·A} for latent Q, {@code W} row-major then
 * {@code Q} row-major; {@code I = 0} for tabular Q), then one per trial for the choice.
 *
 * <p>Observations are the task's: the one-hot cue occupies the first {@code S} entries of each slot's
 * row of {@code observationSize} floats.
 */
public final class CueQLearners {
  /** Stream salt of the tabular learner. */
  static final long TABULAR_SALT = 0x7AB_C0E_51L;
  /** Stream salt of the latent learner. */
  static final long LATENT_SALT = 0x1A7_C0E_52L;

  private CueQLearners() {}

  /**
   * The learner {@code name} ({@code tabular-q} or {@code latent-q}) for slots {@code firstSlot …
   * firstSlot + n − 1} of {@code task} (one batch slot per task slot), as {@link CueValueFigure} and
   * {@code neurorl simulate --task cue-action} use it.
   */
  public static BatchAgent create(String name, org.neurorl.env.CueActionTask task, int latentUnits, double eta,
      double beta, double initScale, long seed, long firstSlot) {
    int n = task.batchSize();
    return switch (name) {
      case "tabular-q" -> new Tabular(n, task.cueCount(), task.actionCount(), task.observationSize(), task.trials(),
          eta, beta, seed, firstSlot);
      case "latent-q" -> new Latent(n, task.cueCount(), task.actionCount(), task.observationSize(), task.trials(),
          latentUnits, eta, beta, initScale, seed, firstSlot);
      default -> throw new IllegalArgumentException("learner = " + name + "; allowed: tabular-q, latent-q");
    };
  }

  /** What both learners share: streams, softmax choice, the cue of the trial in play. */
  abstract static sealed class Learner implements BatchAgent permits Tabular, Latent {
    final int batch;
    final int cues;
    final int actions;
    final int observationSize;
    final int trials;
    final double eta;
    final double beta;
    final int[] keys;
    final int[] cue;
    final double[] q;
    private int trial;
    private long episode;

    Learner(int batch, int cues, int actions, int observationSize, int trials, double eta, double beta, long seed,
        long salt, long firstSlot) {
      this.batch = batch;
      this.cues = cues;
      this.actions = actions;
      this.observationSize = observationSize;
      this.trials = trials;
      this.eta = eta;
      this.beta = beta;
      this.keys = new int[batch];
      for (int b = 0; b < batch; b++) {
        keys[b] = Rng.key(seed ^ salt, firstSlot + b);
      }
      this.cue = new int[batch];
      this.q = new double[actions];
    }

    /** Random numbers drawn at the start of each episode, per slot. */
    abstract int initialDraws();

    /** Sets slot {@code b}'s initial values from its stream, counters from {@code base}. */
    abstract void initialise(int b, int base);

    /** The action values of cue {@code c} in slot {@code b}, into {@code out} (length A). */
    abstract void values(int b, int c, double[] out);

    /** The value slot {@code b} assigns to action {@code a} for cue {@code c}. */
    abstract double value(int b, int c, int a);

    /** One learning step of slot {@code b}: cue {@code c}, action {@code a}, reward {@code r}. */
    abstract void learn(int b, int c, int a, double r);

    private int counterBase() {
      return (int) (episode * (initialDraws() + trials));
    }

    @Override
    public int batchSize() {
      return batch;
    }

    @Override
    public int actionCount() {
      return actions;
    }

    @Override
    public void reset(long episode) {
      if (episode < 0 || episode > Integer.MAX_VALUE / (initialDraws() + trials)) {
        throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
            + Integer.MAX_VALUE / (initialDraws() + trials));
      }
      this.episode = episode;
      this.trial = 0;
      int base = counterBase();
      for (int b = 0; b < batch; b++) {
        initialise(b, base);
        cue[b] = -1;
      }
    }

    @Override
    public void act(float[] observations, int[] chosen) {
      if (trial >= trials) {
        throw new IllegalStateException("the episode has ended after " + trials + " trials; call reset");
      }
      int counter = counterBase() + initialDraws() + trial;
      for (int b = 0; b < batch; b++) {
        int c = cueOf(observations, b);
        cue[b] = c;
        values(b, c, q);
        for (int a = 0; a < actions; a++) {
          if (!Double.isFinite(q[a])) {
            // a NaN would otherwise make softmax pick the last action silently
            throw new org.neurorl.kernel.NumericalBlowUpException(name() + " value of cue " + c + ", action " + a,
                b, trial, q[a]);
          }
        }
        chosen[b] = softmax(q, beta, Rng.uniform(keys[b], counter));
      }
    }

    @Override
    public void observe(int[] chosen, float[] rewards, boolean[] done) {
      for (int b = 0; b < batch; b++) {
        learn(b, cue[b], chosen[b], rewards[b]);
      }
      trial++;
    }

    private int cueOf(float[] observations, int b) {
      int o = b * observationSize;
      for (int c = 0; c < cues; c++) {
        if (observations[o + c] != 0f) {
          return c;
        }
      }
      throw new IllegalArgumentException("observation of slot " + b + " shows no cue; allowed: a one-hot cue in"
          + " entries 0 to " + (cues - 1));
    }
  }

  /**
   * The action {@code softmax(β q)} gives for uniform {@code u} in [0, 1): the first action whose
   * cumulative probability exceeds {@code u} (computed from {@code exp(β (q − max q))}).
   */
  static int softmax(double[] q, double beta, double u) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : q) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] w = new double[q.length];
    for (int a = 0; a < q.length; a++) {
      w[a] = Math.exp(beta * (q[a] - max));
      sum += w[a];
    }
    double target = u * sum;
    double cumulative = 0;
    for (int a = 0; a < q.length; a++) {
      cumulative += w[a];
      if (target < cumulative) {
        return a;
      }
    }
    return q.length - 1;
  }

  /** Tabular Q (MODELS.md §4): {@code Q[(slot · S + cue) · A + action]}, 0 at every episode start. */
  static final class Tabular extends Learner {
    final double[] table;

    Tabular(int batch, int cues, int actions, int observationSize, int trials, double eta, double beta, long seed,
        long firstSlot) {
      super(batch, cues, actions, observationSize, trials, eta, beta, seed, TABULAR_SALT, firstSlot);
      this.table = new double[batch * cues * actions];
    }

    @Override
    public String name() {
      return "tabular-q";
    }

    @Override
    int initialDraws() {
      return 0;
    }

    @Override
    void initialise(int b, int base) {
      Arrays.fill(table, b * cues * actions, (b + 1) * cues * actions, 0.0);
    }

    @Override
    void values(int b, int c, double[] out) {
      System.arraycopy(table, (b * cues + c) * actions, out, 0, actions);
    }

    @Override
    double value(int b, int c, int a) {
      return table[(b * cues + c) * actions + a];
    }

    @Override
    void learn(int b, int c, int a, double r) {
      int i = (b * cues + c) * actions + a;
      table[i] += eta * (r - table[i]);
    }
  }

  /**
   * Latent Q (MODELS.md §3): {@code W[(slot · S + cue) · K + k]}, {@code Q[(slot · K + k) · A + action]},
   * both drawn from {@code U(−σ, σ)} at every episode start.
   */
  static final class Latent extends Learner {
    final int units;
    final double initScale;
    final double[] w;
    final double[] qk;
    private final double[] z;

    Latent(int batch, int cues, int actions, int observationSize, int trials, int units, double eta, double beta,
        double initScale, long seed, long firstSlot) {
      super(batch, cues, actions, observationSize, trials, eta, beta, seed, LATENT_SALT, firstSlot);
      this.units = units;
      this.initScale = initScale;
      this.w = new double[batch * cues * units];
      this.qk = new double[batch * units * actions];
      this.z = new double[units];
    }

    @Override
    public String name() {
      return "latent-q";
    }

    @Override
    int initialDraws() {
      return cues * units + units * actions;
    }

    @Override
    void initialise(int b, int base) {
      int n = base;
      for (int i = 0; i < cues * units; i++) {
        w[b * cues * units + i] = initScale * (2.0 * Rng.uniform(keys[b], n++) - 1.0);
      }
      for (int i = 0; i < units * actions; i++) {
        qk[b * units * actions + i] = initScale * (2.0 * Rng.uniform(keys[b], n++) - 1.0);
      }
    }

    @Override
    void values(int b, int c, double[] out) {
      for (int a = 0; a < actions; a++) {
        out[a] = value(b, c, a);
      }
    }

    @Override
    double value(int b, int c, int a) {
      int wRow = (b * cues + c) * units;
      int qBase = b * units * actions;
      double v = 0;
      for (int k = 0; k < units; k++) {
        v += w[wRow + k] * qk[qBase + k * actions + a];
      }
      return v;
    }

    @Override
    void learn(int b, int c, int a, double r) {
      int wRow = (b * cues + c) * units;
      int qBase = b * units * actions;
      double delta = r - value(b, c, a);
      for (int k = 0; k < units; k++) {
        z[k] = w[wRow + k];
      }
      for (int k = 0; k < units; k++) {
        double qOld = qk[qBase + k * actions + a];
        qk[qBase + k * actions + a] = qOld + eta * delta * z[k];
        w[wRow + k] = z[k] + eta * delta * qOld;
      }
    }
  }
}
