package org.neurorl.meta;

import org.neurorl.agent.BatchAgent;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.train.RecurrentNetwork;
import org.neurorl.train.BanditEpisodes;

/**
 * Plays a trained {@link TrainedNetwork} as a {@link BatchAgent} on the two-armed bandit, so it runs
 * through the same {@link org.neurorl.bandit.BanditRunner} episodes as the classic agents. Its weights do
 * not change: whatever it learns within an episode lives in its activity (and, for the plastic network,
 * its fast weights), which start from zero at every {@link #reset}.
 *
 * <p>Input at trial {@code t} (A2C-SPEC): one-hot previous action, previous reward, and optionally
 * {@code t / T}; all zero at {@code t = 0}. The agent builds it from the actions and rewards it is told,
 * not from the environment's observation, with the trainer's own {@link BanditEpisodes#input}, so it is
 * exactly the input the network was trained on.
 *
 * <p>Actions are sampled from the policy, as in training (no greedy evaluation), with the trainer's
 * float64 softmax and inverse-CDF draw ({@link BanditEpisodes#softmax}, {@link BanditEpisodes#sample});
 * the uniforms come from slot {@code s}'s stream {@code Rng.key(seed ^ SALT, s)}, counter
 * {@code episode · T + t}, so the rewards stay the environment's (common to all agents).
 */
public final class NetworkAgent implements BatchAgent {
  /** Keeps the policy's draws apart from the environment's and the classic agents' under one seed. */
  public static final long SALT = 0x4E7A_6E7L;

  private final TrainedNetwork trained;
  private final int batch;
  private final int trials;
  private final Parallel pool;
  private final int[] keys;
  private final int inputs;
  private final float[] x;
  private final float[] logits;
  private final float[] values;
  private final float[] probabilities;
  private final double[] pi = new double[TrainedNetwork.ARMS];
  private final int[] previousAction;
  private final float[] previousReward;
  private RecurrentNetwork.Rollout rollout;
  private long episode;
  private int trial;

  /**
   * @param trained the network and its parameters
   * @param batch slots played together (one rollout of this batch per episode)
   * @param trials trials per episode
   * @param seed the run's seed
   * @param firstSlot index of slot 0 in the population (slot {@code i}'s draws do not depend on batching)
   * @param pool workers the rollout may use (the numbers do not depend on it)
   */
  public NetworkAgent(TrainedNetwork trained, int batch, int trials, long seed, long firstSlot, Parallel pool) {
    if (trained == null) {
      throw new IllegalArgumentException("trained network is null; allowed: a TrainedNetwork");
    }
    Checks.range("batch", batch, 1, 1 << 22);
    Checks.range("trials", trials, 1, 1 << 16);
    if (firstSlot < 0) {
      throw new IllegalArgumentException("firstSlot = " + firstSlot + "; allowed: >= 0");
    }
    this.trained = trained;
    this.batch = batch;
    this.trials = trials;
    this.pool = pool == null ? Parallel.serial() : pool;
    this.keys = new int[batch];
    for (int b = 0; b < batch; b++) {
      keys[b] = Rng.key(seed ^ SALT, firstSlot + b);
    }
    this.inputs = trained.network().inputs();
    this.x = new float[batch * inputs];
    this.logits = new float[batch * TrainedNetwork.ARMS];
    this.values = new float[batch];
    this.probabilities = new float[batch * TrainedNetwork.ARMS];
    this.previousAction = new int[batch];
    this.previousReward = new float[batch];
  }

  @Override
  public String name() {
    return trained.id();
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int actionCount() {
    return TrainedNetwork.ARMS;
  }

  public TrainedNetwork trained() {
    return trained;
  }

  @Override
  public void reset(long episode) {
    if (episode < 0 || episode * trials + trials > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: 0 to "
          + (Integer.MAX_VALUE / trials - 1));
    }
    close();
    this.episode = episode;
    this.trial = 0;
    java.util.Arrays.fill(previousAction, -1);
    java.util.Arrays.fill(previousReward, 0f);
    rollout = trained.network().begin(trained.parametersView(), batch, trials, pool);
  }

  @Override
  public void act(float[] observations, int[] actions) {
    Checks.length("actions", actions, batch);
    if (rollout == null) {
      throw new IllegalStateException("call reset(episode) before act");
    }
    if (trial >= trials) {
      throw new IllegalStateException("the episode has ended after " + trials + " trials; call reset");
    }
    for (int b = 0; b < batch; b++) {
      BanditEpisodes.input(x, b * inputs, TrainedNetwork.ARMS, previousAction[b], previousReward[b], trial, trials,
          trained.trialInput());
    }
    rollout.step(x, logits, values);
    int counter = (int) (episode * trials + trial);
    for (int b = 0; b < batch; b++) {
      int o = b * TrainedNetwork.ARMS;
      for (int k = 0; k < TrainedNetwork.ARMS; k++) {
        if (!Float.isFinite(logits[o + k])) {
          throw new NumericalBlowUpException(trained.id() + " logit " + k, b, trial, logits[o + k]);
        }
      }
      BanditEpisodes.softmax(logits, o, TrainedNetwork.ARMS, pi);
      for (int k = 0; k < TrainedNetwork.ARMS; k++) {
        probabilities[o + k] = (float) pi[k];
      }
      actions[b] = BanditEpisodes.sample(pi, TrainedNetwork.ARMS, Rng.uniform(keys[b], counter));
    }
  }

  /** The policy of the last {@link #act}, {@code B × 2} agent-major (a copy). */
  public float[] lastProbabilities() {
    return probabilities.clone();
  }

  @Override
  public void observe(int[] actions, float[] rewards, boolean[] done) {
    Checks.length("actions", actions, batch);
    Checks.length("rewards", rewards, batch);
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      if (a < 0 || a >= TrainedNetwork.ARMS) {
        throw new IllegalArgumentException("actions[" + b + "] = " + a + "; allowed: 0 or 1");
      }
      previousAction[b] = a;
      previousReward[b] = rewards[b];
    }
    trial++;
  }

  /** Trials played in the current episode. */
  public int trial() {
    return trial;
  }

  /** The hidden activity after trial {@code t} of the current episode, {@code B × N} agent-major. */
  public float[] hidden(int t) {
    if (rollout == null || t < 0 || t >= rollout.steps()) {
      throw new IllegalArgumentException("t = " + t + "; allowed: 0 to " + (rollout == null ? -1 : rollout.steps() - 1)
          + " (trials played in this episode)");
    }
    return rollout.hidden(t);
  }

  /** Releases the current rollout's buffers. */
  public void close() {
    if (rollout != null) {
      rollout.close();
      rollout = null;
    }
  }
}
