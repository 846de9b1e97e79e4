package org.neurorl.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.GradientClipping;
import org.neurorl.kernel.train.Optimizer;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * Advantage actor-critic through time on the two-armed bandit (A2C-SPEC.md; Wang et al. 2018). Each
 * update plays {@code batch} episodes of {@code trials} trials with the current parameters, computes the
 * discounted returns (no bootstrap: episodes are complete), the advantages, the loss
 *
 * <pre>
 *   L = (1/B) Σ_b Σ_t [ −A_t log π(a_t) + c_v ½ (R_t − V_t)² − c_e H(π_t) ]
 * </pre>
 *
 * and its derivatives with respect to every step's logits and value, asks the network's rollout for the
 * gradient (backpropagation through time), clips it to a global norm and steps the optimizer.
 *
 * <p>Determinism: update {@code u} plays episodes {@code u·B .. u·B + B − 1} of {@link BanditEpisodes}'
 * counter-based streams and every sum runs in a fixed order, so the parameters after any update are a
 * pure function of the config, whatever the thread count and wherever the run was resumed.
 *
 * <p>Non-finite values stop training with a {@link TrainingDivergedException} naming the update and the
 * parameter tensor; nothing is written then, so the last good checkpoint stays. A non-finite gradient
 * (the float32 adjoints overflowed) is reported with the last finite pre-clip gradient norms of the curve.
 * The first update whose pre-clip norm exceeds {@link #BLOW_UP_FACTOR} × {@code maxGradNorm} raises one
 * warning ({@link #onWarning}, {@link #warnings}) long before that; it changes nothing in the update.
 */
public final class A2cTrainer {
  /** The checkpoint's file name in the output directory. */
  public static final String CHECKPOINT = "checkpoint.bin";
  /** The directory of the parameter export in the output directory. */
  public static final String PARAMETERS = "parameters";
  /** The learning curve's file name in the output directory. */
  public static final String CURVE = "curve.csv";

  private final A2cConfig config;
  private final RecurrentNetwork network;
  private final ParameterLayout layout;
  private final Parallel pool;
  private final float[] parameters;
  private final float[] gradient;
  private final Optimizer optimizer;
  private final List<UpdateStats> curve = new ArrayList<>();
  private int updates;
  private volatile boolean stopRequested;
  private final List<String> warnings = new ArrayList<>();
  private Consumer<String> warningListener;

  /**
   * A pre-clip gradient norm above this many times {@code maxGradNorm} triggers the blow-up warning. Healthy
   * runs stay within a few orders of magnitude of the clip; the plastic RNN's activity blow-up (seed 4,
   * correlated bandit) shows 10¹⁰–10¹⁹ for tens of updates before the float32 adjoints overflow.
   */
  public static final double BLOW_UP_FACTOR = 1e6;
  /** Updates the divergence message looks back over for the largest finite gradient norm. */
  static final int RECENT = 50;

  // one update's recorded episode, step-major (t * B + b)
  private final float[] x;
  private final float[] stepLogits;
  private final float[] stepValues;
  private final float[] logits;
  private final float[] values;
  private final int[] actions;
  private final float[] rewards;
  private final float[] dLogits;
  private final float[] dValues;
  private final float[] armProbabilities;
  private final int[] keys;
  // the policy of every recorded step, computed once in the forward pass and reused by the loss
  private final double[] probabilities;
  private final double[] logSumExp;

  /**
   * A fresh run from {@code initialParameters} (the network's layout; copied).
   *
   * @param pool the workers the network's forward and backward passes use (results do not depend on it)
   */
  public A2cTrainer(A2cConfig config, RecurrentNetwork network, float[] initialParameters, Parallel pool) {
    this.config = config;
    this.network = network;
    this.layout = network.layout();
    this.pool = pool;
    if (network.inputs() != config.inputs() || network.actions() != config.actions()
        || network.hidden() != config.hidden()) {
      throw new IllegalArgumentException("network " + network.name() + " (inputs, hidden, actions) = ("
          + network.inputs() + ", " + network.hidden() + ", " + network.actions() + "); allowed: the config's ("
          + config.inputs() + ", " + config.hidden() + ", " + config.actions() + ")");
    }
    int size = layout.size();
    if (initialParameters == null || initialParameters.length != size) {
      throw new IllegalArgumentException("initialParameters.length = "
          + (initialParameters == null ? "null" : initialParameters.length) + "; allowed: exactly " + size
          + " (the layout of network " + network.name() + ")");
    }
    for (int i = 0; i < size; i++) {
      if (!Float.isFinite(initialParameters[i])) {
        throw new IllegalArgumentException("initialParameters[" + i + "] = " + initialParameters[i]
            + " in tensor " + layout.tensorAt(i).name() + "; allowed: finite numbers");
      }
    }
    this.parameters = initialParameters.clone();
    this.gradient = new float[size];
    this.optimizer = Optimizer.create(config.optimizer(), size, config.learningRate());
    int b = config.batch(), t = config.trials(), a = config.actions();
    this.x = new float[b * config.inputs()];
    this.stepLogits = new float[b * a];
    this.stepValues = new float[b];
    this.logits = new float[t * b * a];
    this.values = new float[t * b];
    this.actions = new int[t * b];
    this.rewards = new float[t * b];
    this.dLogits = new float[t * b * a];
    this.dValues = new float[t * b];
    this.armProbabilities = new float[b * a];
    this.keys = new int[b];
    this.probabilities = new double[t * b * a];
    this.logSumExp = new double[t * b];
  }

  /** Continues the run saved in {@code checkpoint}; the network must have the checkpoint's layout. */
  public static A2cTrainer resume(Checkpoint checkpoint, RecurrentNetwork network, Parallel pool) {
    if (!checkpoint.network().equals(network.name())) {
      throw new IllegalArgumentException("checkpoint network = " + checkpoint.network() + "; allowed: "
          + network.name() + " (the network given)");
    }
    A2cTrainer trainer = new A2cTrainer(checkpoint.config(), network, checkpoint.parameters(), pool);
    trainer.optimizer.restore(checkpoint.optimizer());
    trainer.updates = checkpoint.updates();
    trainer.curve.addAll(checkpoint.curve());
    for (UpdateStats s : trainer.curve) {
      // the warning is a function of the curve, so a resumed run reports it (once) as well
      if (trainer.blowUp(s)) {
        trainer.warnings.add(trainer.blowUpWarning(s));
        break;
      }
    }
    if (trainer.updates < 0 || trainer.updates > checkpoint.config().updates()
        || trainer.curve.size() != trainer.updates) {
      throw new IllegalArgumentException("checkpoint at update " + checkpoint.updates() + " with "
          + checkpoint.curve().size() + " curve rows; allowed: 0 to " + checkpoint.config().updates()
          + " updates, one curve row each");
    }
    return trainer;
  }

  public A2cConfig config() {
    return config;
  }

  public RecurrentNetwork network() {
    return network;
  }

  /** Updates done. */
  public int updates() {
    return updates;
  }

  /** Whether every update of the config is done. */
  public boolean finished() {
    return updates >= config.updates();
  }

  /** A copy of the current parameters. */
  public float[] parameters() {
    return parameters.clone();
  }

  /** The learning curve so far, one row per update. */
  public List<UpdateStats> curve() {
    return List.copyOf(curve);
  }

  /** The current state as a checkpoint. */
  public Checkpoint checkpoint() {
    return new Checkpoint(config, network.name(), updates, parameters, optimizer.state(), curve);
  }

  /**
   * Warnings so far: at most one, the first update whose pre-clip gradient norm exceeded
   * {@link #BLOW_UP_FACTOR} × {@code maxGradNorm} (recomputed from the curve on resume).
   */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Called with each new warning as it is raised (progress output); null: none. */
  public void onWarning(Consumer<String> listener) {
    this.warningListener = listener;
  }

  private boolean blowUp(UpdateStats s) {
    return s.gradNorm() > BLOW_UP_FACTOR * config.maxGradNorm();
  }

  private String blowUpWarning(UpdateStats s) {
    return String.format(java.util.Locale.ROOT, "update %d: gradient norm before clipping %.3g, above %.0e x"
        + " --max-grad-norm %s, value loss %.3g: the network is blowing up (activity or value growing without bound;"
        + " see the grad_norm and value_loss columns of the curve, %s). Clipping bounds the step, not the forward pass, so the float32"
        + " gradient may overflow later; a lower --lr or another --seed may avoid it", s.update(), s.gradNorm(),
        BLOW_UP_FACTOR, config.maxGradNorm(), s.valueLoss(), CURVE);
  }

  /**
   * Why a non-finite gradient norm stopped the update: the element that overflowed and the last finite
   * pre-clip norms from the curve.
   */
  private String gradientOverflow(double norm, int bad) {
    StringBuilder sb = new StringBuilder();
    sb.append("gradient norm = ").append(norm).append(": the float32 gradient overflowed (")
        .append(layout.tensorAt(bad).name()).append('[').append(bad - layout.tensorAt(bad).offset()).append("] = ")
        .append(gradient[bad]).append(")");
    UpdateStats largest = null;
    for (int i = Math.max(0, curve.size() - RECENT); i < curve.size(); i++) {
      UpdateStats s = curve.get(i);
      if (Double.isFinite(s.gradNorm()) && (largest == null || s.gradNorm() > largest.gradNorm())) {
        largest = s;
      }
    }
    if (largest != null) {
      UpdateStats last = curve.get(curve.size() - 1);
      sb.append(String.format(java.util.Locale.ROOT, "; last finite pre-clip gradient norms: %.3g at update %d"
          + " (value loss %.3g), largest of updates %d-%d %.3g at update %d (clip %s)", last.gradNorm(),
          last.update(), last.valueLoss(), curve.get(Math.max(0, curve.size() - RECENT)).update(), last.update(),
          largest.gradNorm(), largest.update(), config.maxGradNorm()));
    }
    return sb.append(" at parameter").toString();
  }

  /** Asks {@link #run} to stop after the current update (safe from any thread, e.g. a shutdown hook). */
  public void requestStop() {
    stopRequested = true;
  }

  /** The outcome of {@link #run}: whether every update was done, and the updates done. */
  public record Outcome(boolean complete, int updates) {}

  /**
   * Runs updates until the config's last one or until {@link #requestStop}. With {@code out} non-null,
   * writes a checkpoint every {@code checkpointEvery} updates and, when the run ends or stops, the
   * checkpoint, the parameter export ({@value #PARAMETERS}/) and the curve ({@value #CURVE}).
   *
   * @param listener called after each update (progress bars); may be null
   * @throws TrainingDivergedException on NaN/∞, with nothing written
   */
  public Outcome run(Path out, Consumer<UpdateStats> listener) throws IOException {
    while (!finished() && !stopRequested) {
      UpdateStats s = update();
      if (listener != null) {
        listener.accept(s);
      }
      if (out != null && config.checkpointEvery() > 0 && updates % config.checkpointEvery() == 0 && !finished()) {
        checkpoint().write(out.resolve(CHECKPOINT));
      }
    }
    if (out != null) {
      save(out);
    }
    return new Outcome(finished(), updates);
  }

  /** Writes the checkpoint, the parameter export and the learning curve into {@code out}. */
  public void save(Path out) throws IOException {
    checkpoint().write(out.resolve(CHECKPOINT));
    ParameterExport.write(out.resolve(PARAMETERS), network.name(), config, layout, parameters, updates);
    StringBuilder csv = new StringBuilder(UpdateStats.csvHeader()).append('\n');
    for (UpdateStats s : curve) {
      csv.append(s.csvRow()).append('\n');
    }
    Path tmp = Files.createTempFile(out.toAbsolutePath(), CURVE, ".part");
    try {
      Files.writeString(tmp, csv);
      Files.move(tmp, out.resolve(CURVE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** One A2C update: B episodes forward, loss, backward, clipping, optimizer step. */
  public UpdateStats update() {
    if (finished()) {
      throw new IllegalStateException("all " + config.updates() + " updates are done");
    }
    final int u = updates;
    final int batch = config.batch(), trials = config.trials(), na = config.actions(), ni = config.inputs();
    final BanditPrior prior = config.prior();
    final float[] fixed = config.probabilities();
    float[] p = new float[na];
    for (int b = 0; b < batch; b++) {
      keys[b] = BanditEpisodes.key(config.seed(), (long) u * batch + b);
      BanditEpisodes.probabilities(prior, fixed, keys[b], p);
      for (int k = 0; k < na; k++) {
        armProbabilities[b * na + k] = p[k];
      }
    }

    // forward: the action of trial t is needed before the input of trial t + 1 exists
    try (RecurrentNetwork.Rollout rollout = network.begin(parameters, batch, trials, pool)) {
      for (int t = 0; t < trials; t++) {
        for (int b = 0; b < batch; b++) {
          int prev = t == 0 ? -1 : actions[(t - 1) * batch + b];
          float prevReward = t == 0 ? 0f : rewards[(t - 1) * batch + b];
          BanditEpisodes.input(x, b * ni, na, prev, prevReward, t, trials, config.trialInput());
        }
        rollout.step(x, stepLogits, stepValues);
        System.arraycopy(stepLogits, 0, logits, t * batch * na, batch * na);
        System.arraycopy(stepValues, 0, values, t * batch, batch);
        for (int b = 0; b < batch; b++) {
          int i = t * batch + b;
          logSumExp[i] = BanditEpisodes.softmax(logits, i * na, na, probabilities, i * na);
          int a = BanditEpisodes.sample(probabilities, i * na, na, BanditEpisodes.actionUniform(keys[b], t));
          actions[i] = a;
          rewards[i] = BanditEpisodes.reward(keys[b], t, armProbabilities[b * na + a]);
        }
      }

      double ce = config.entropyCoefficientAt(u);
      Loss loss = loss(logits, probabilities, logSumExp, values, actions, rewards, batch, trials, na,
          config.gamma(), config.valueCoefficient(), ce, dLogits, dValues);
      int update = u + 1;
      if (!Double.isFinite(loss.total())) {
        int index = nonFiniteOrLargest(parameters);
        throw diverged(update, "loss = " + loss.total() + (Float.isFinite(parameters[index])
            ? " with every parameter finite; the largest in magnitude is" : "; first non-finite parameter"), index);
      }

      Arrays.fill(gradient, 0f);
      rollout.backward(dLogits, dValues, gradient);
      double norm = GradientClipping.clip(gradient, config.maxGradNorm());
      if (!Double.isFinite(norm)) {
        int bad = firstNonFinite(gradient);
        throw diverged(update, gradientOverflow(norm, bad), bad, OVERFLOW_REMEDY);
      }
      optimizer.step(parameters, gradient);
      int bad = firstNonFinite(parameters);
      if (bad >= 0) {
        throw diverged(update, "non-finite parameter after the optimizer step:", bad);
      }
      updates = update;
      UpdateStats s = new UpdateStats(update, (long) update * batch, loss.meanReward(), loss.total(),
          loss.policy(), loss.value(), loss.entropy(), norm, ce);
      curve.add(s);
      if (warnings.isEmpty() && blowUp(s)) {
        String w = blowUpWarning(s);
        warnings.add(w);
        if (warningListener != null) {
          warningListener.accept(w);
        }
      }
      return s;
    }
  }

  /**
   * The loss of one update and its parts.
   *
   * @param total      L
   * @param policy     (1/B) Σ −A_t log π(a_t)
   * @param value      (1/B) Σ ½ (R_t − V_t)²
   * @param entropy    mean entropy per trial
   * @param meanReward mean reward per trial
   */
  record Loss(double total, double policy, double value, double entropy, double meanReward) {}

  /**
   * The A2C loss of B recorded episodes (step-major {@code t·B + b}) and its derivatives with respect to
   * each step's logits and value, written into {@code dLogits} and {@code dValues} (A2C-SPEC.md):
   * dL/dlogit_k = (1/B)[−A (1[k = a] − π_k) + c_e π_k (log π_k + H)], dL/dV = (1/B) c_v (V − R).
   * Float64 throughout, episodes and trials in a fixed order.
   */
  static Loss loss(float[] logits, float[] values, int[] actions, float[] rewards, int batch, int trials, int na,
      double gamma, double cv, double ce, float[] dLogits, float[] dValues) {
    double[] probabilities = new double[logits.length];
    double[] logSumExp = new double[batch * trials];
    for (int i = 0; i < batch * trials; i++) {
      logSumExp[i] = BanditEpisodes.softmax(logits, i * na, na, probabilities, i * na);
    }
    return loss(logits, probabilities, logSumExp, values, actions, rewards, batch, trials, na, gamma, cv, ce,
        dLogits, dValues);
  }

  /** {@link #loss} given each step's π and log Σ exp(logit) ({@link BanditEpisodes#softmax}) computed already. */
  static Loss loss(float[] logits, double[] probabilities, double[] logSumExp, float[] values, int[] actions,
      float[] rewards, int batch, int trials, int na, double gamma, double cv, double ce, float[] dLogits,
      float[] dValues) {
    double invB = 1.0 / batch;
    double policyLoss = 0, valueLoss = 0, entropySum = 0, rewardSum = 0;
    for (int b = 0; b < batch; b++) {
      double ret = 0;
      for (int t = trials - 1; t >= 0; t--) {
        int i = t * batch + b;
        ret = rewards[i] + gamma * ret;
        double v = values[i];
        double advantage = ret - v;
        double lse = logSumExp[i];
        int o = i * na;
        double entropy = 0;
        for (int k = 0; k < na; k++) {
          entropy -= probabilities[o + k] * (logits[o + k] - lse);
        }
        int a = actions[i];
        policyLoss -= advantage * (logits[o + a] - lse);
        valueLoss += 0.5 * advantage * advantage;
        entropySum += entropy;
        rewardSum += rewards[i];
        for (int k = 0; k < na; k++) {
          double pk = probabilities[o + k];
          double policyTerm = -advantage * ((k == a ? 1 : 0) - pk);
          double entropyTerm = ce * pk * (logits[o + k] - lse + entropy);
          dLogits[o + k] = (float) (invB * (policyTerm + entropyTerm));
        }
        dValues[i] = (float) (invB * cv * (v - ret));
      }
    }
    double total = invB * (policyLoss + cv * valueLoss - ce * entropySum);
    return new Loss(total, invB * policyLoss, invB * valueLoss, entropySum / ((double) batch * trials),
        rewardSum / ((double) batch * trials));
  }

  private static final String REMEDY = "a lower --lr or another --seed may avoid it";
  private static final String OVERFLOW_REMEDY = "remedies: a lower --lr or another --seed. A smaller"
      + " --max-grad-norm does not help: the overflow happens in the backward pass, before clipping, and Adam and"
      + " RMSProp divide by the gradient's running RMS, so each step moves a parameter by about --lr whatever the"
      + " clip. --resume from the kept checkpoint replays the same updates and diverges again";

  private TrainingDivergedException diverged(int update, String what, int index) {
    return diverged(update, what, index, REMEDY);
  }

  private TrainingDivergedException diverged(int update, String what, int index, String remedy) {
    String tensor = layout.tensorAt(index).name();
    int element = index - layout.tensorAt(index).offset();
    return new TrainingDivergedException(update, tensor, what + " " + tensor + "[" + element + "] = "
        + parameters[index] + "; the last good checkpoint is kept; " + remedy);
  }

  private static int firstNonFinite(float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The first non-finite parameter, else the largest in magnitude (the likeliest cause of an overflow). */
  private static int nonFiniteOrLargest(float[] a) {
    int bad = firstNonFinite(a);
    if (bad >= 0) {
      return bad;
    }
    int largest = 0;
    for (int i = 1; i < a.length; i++) {
      if (Math.abs(a[i]) > Math.abs(a[largest])) {
        largest = i;
      }
    }
    return largest;
  }
}
