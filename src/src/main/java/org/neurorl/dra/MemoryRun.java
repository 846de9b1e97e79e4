package org.neurorl.dra;

import org.neurorl.env.MemoryTask;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.dra.DraBatch;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;

/**
 * One batch of agents playing (or replaying) the two-alternative memory task, with everything the
 * analyses need: per trial the option, the action, the reward and the probability the agent gave its
 * action (for DRA and equal precision the probability marginal over ζ, {@link ChoiceMath#noisyProbability},
 * i.e. the likelihood of the choice given the agent's memory; for the Q-learners the exact softmax), and
 * at the end the tables and each agent's probability of the correct answer to each option.
 *
 * <p>Arrays are trial-major: element {@code t·B + i}. Tables as {@link DraBatch}: {@code (s·A + a)·B + i}.
 */
public record MemoryRun(String label, DraParams params, MemoryTask task, int agents, int trials, int[] options,
    int[] actions, float[] rewards, double[] choiceProbability, double[] finalMeans, double[] finalSigmas,
    double[] finalCorrect) {

  /** Choices the agents were forced to make (a replay), or null to let them choose. */
  public record Replay(int[] options, int[] actions, float[] rewards) {}

  /**
   * Plays {@code trials} trials; DRA runs N_traj one-trial rollouts and a σ update after every trial
   * (rollout options drawn from the task's own distribution, rollout rewards from the task).
   *
   * @param sharedSigma equal precision only: σ per agent; else null
   * @param replay      null to play; else every trial's option, action and reward are taken from it and
   *                    the run computes the likelihood of those choices under {@code params}
   */
  public static MemoryRun run(String label, DraKernel kernel, DraParams params, MemoryTask task, int trials,
      long seed, float[] sharedSigma, Replay replay, Parallel parallel) {
    int b = task.agents(), sa = MemoryTask.OPTIONS * MemoryTask.ACTIONS;
    DraBatch batch = kernel.newBatch(b, MemoryTask.OPTIONS, MemoryTask.ACTIONS, params, seed, 0, 1);
    if (sharedSigma != null) {
      batch.setSharedSigma(sharedSigma);
    }
    int[] options = new int[trials * b], actions = new int[trials * b];
    float[] rewards = new float[trials * b];
    double[] prob = new double[trials * b];
    int[] st = new int[b], act = new int[b], forced = replay == null ? null : new int[b], terminal = new int[b];
    java.util.Arrays.fill(terminal, -1);
    float[] r = new float[b], p = new float[b];
    double[] q = new double[b * sa], sg = new double[b * sa];
    boolean noisy = params.noisy();
    int rollouts = params.model() == DraParams.Model.DRA ? params.rollouts() : 0;
    for (int t = 0; t < trials; t++) {
      if (replay == null) {
        task.options(t, false, st);
      } else {
        System.arraycopy(replay.options(), t * b, st, 0, b);
        System.arraycopy(replay.actions(), t * b, forced, 0, b);
      }
      if (noisy) {
        batch.readMeans(q);
        batch.readSigmas(sg);
      }
      kernel.act(batch, DraKernel.Phase.LEARN, t, st, forced, act, p, parallel);
      for (int i = 0; i < b; i++) {
        int s = st[i], a = act[i];
        options[t * b + i] = s;
        actions[t * b + i] = a;
        r[i] = replay == null ? task.reward(s, a) : replay.rewards()[t * b + i];
        rewards[t * b + i] = r[i];
        if (noisy) {
          int e0 = (s * 2) * b + i, e1 = (s * 2 + 1) * b + i;
          double p1 = ChoiceMath.noisyProbability(params.beta(), q[e1] - q[e0], sg[e0], sg[e1]);
          prob[t * b + i] = a == 1 ? p1 : 1 - p1;
        } else {
          prob[t * b + i] = p[i];
        }
      }
      kernel.learn(batch, r, terminal, t + 1, parallel);
      for (int n = 0; n < rollouts; n++) {
        int d = t * rollouts + n;
        task.options(d, true, st);
        kernel.act(batch, DraKernel.Phase.ROLLOUT, d, st, null, act, null, parallel);
        for (int i = 0; i < b; i++) {
          r[i] = task.reward(st[i], act[i]);
        }
        kernel.rolloutReward(batch, r, parallel);
        kernel.endRollout(batch, parallel);
      }
      if (rollouts > 0) {
        kernel.updateSigma(batch, parallel);
      }
    }
    batch.readMeans(q);
    batch.readSigmas(sg);
    double[] correct = new double[MemoryTask.OPTIONS * b];
    for (int s = 0; s < MemoryTask.OPTIONS; s++) {
      int c = MemoryTask.correctAction(s);
      for (int i = 0; i < b; i++) {
        int e0 = (s * 2) * b + i, e1 = (s * 2 + 1) * b + i;
        double p1 = ChoiceMath.probabilityOfAction1(params, q[e1] - q[e0], sg[e0], sg[e1]);
        correct[s * b + i] = c == 1 ? p1 : 1 - p1;
      }
    }
    return new MemoryRun(label, params, task, b, trials, options, actions, rewards, prob, q, sg, correct);
  }

  /** Total KL cost Σ_(s,a) KL(N(q̄, σ²) ‖ N(q̄, σ_base²)) of agent i's final memories. */
  public double totalCost(int i) {
    double c = 0;
    int n = MemoryTask.OPTIONS * MemoryTask.ACTIONS;
    for (int e = 0; e < n; e++) {
      c += DraParams.klCost(finalSigmas[e * agents + i], params.sigmaBase());
    }
    return c;
  }

  /** Sum of log-probabilities of agent i's choices over trials [from, trials). */
  public double logLikelihood(int i, int from) {
    double ll = 0;
    for (int t = from; t < trials; t++) {
      ll += Math.log(Math.max(choiceProbability[t * agents + i], 1e-300));
    }
    return ll;
  }

  public Replay replay() {
    return new Replay(options, actions, rewards);
  }
}
