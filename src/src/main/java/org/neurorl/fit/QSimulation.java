package org.neurorl.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;

/**
 * Choices of softmax Q-learners with known (η, β), to test that fitting recovers them.
 *
 * <p>Two sources: {@link #fromKernel} runs the project's batched tabular Q kernel (one agent per
 * subject, one session, one cue, values starting at 0) and reads back its recorded actions and rewards;
 * {@link #simulate} is a plain float64 simulation that also covers cues, several sessions, a given
 * initial value and any reward schedule (drifting or reversing probabilities).
 */
public final class QSimulation {
  private QSimulation() {}

  /** The probability that {@code action} is rewarded on trial {@code trial} (of its session) under {@code cue}. */
  @FunctionalInterface
  public interface Schedule {
    double probability(int trial, int cue, int action);

    /** The same probabilities on every trial and under every cue. */
    static Schedule fixed(double... p) {
      double[] copy = checkProbabilities(p);
      return (trial, cue, action) -> copy[action];
    }

    /**
     * Probabilities that rotate by one arm every {@code period} trials (two arms: a reversal, the
     * better arm swaps), so that the learning rate shows in how fast choices follow the switch.
     */
    static Schedule reversal(int period, double... p) {
      if (period < 1) {
        throw new IllegalArgumentException("period = " + period + "; allowed: 1 or more trials");
      }
      double[] copy = checkProbabilities(p);
      return (trial, cue, action) -> copy[(action + trial / period) % copy.length];
    }

    private static double[] checkProbabilities(double[] p) {
      if (p == null || p.length < 2) {
        throw new IllegalArgumentException("probabilities = " + (p == null ? "null" : p.length + " values")
            + "; allowed: one probability in [0, 1] per arm, at least 2 arms");
      }
      for (int a = 0; a < p.length; a++) {
        if (!(p[a] >= 0 && p[a] <= 1)) {
          throw new IllegalArgumentException("probabilities[" + a + "] = " + p[a] + "; allowed: a probability in [0, 1]");
        }
      }
      return p.clone();
    }
  }

  /**
   * A plain float64 simulation of one subject.
   *
   * <p>Random draws come from the subject's own stream {@code Rng.key(seed, subjectIndex)}: trial g
   * (counted over all sessions) uses draw 3g for the cue (uniform over the cues), 3g + 1 for the action
   * (inverse CDF of the softmax) and 3g + 2 for the Bernoulli reward. So each subject's data depend only
   * on (seed, subjectIndex), not on which other subjects are simulated.
   *
   * @param subject the subject's name
   * @param actions A ≥ 2
   * @param cues S ≥ 1
   * @param sessions sessions ≥ 1 (values restart at {@code initialValue} at each)
   * @param trialsPerSession trials per session ≥ 1
   * @param eta η in (0, 1]
   * @param beta β > 0, finite
   * @param initialValue Q at each session start
   * @param schedule reward probabilities (trial counted within the session)
   */
  public static ChoiceData simulate(String subject, int actions, int cues, int sessions, int trialsPerSession,
      double eta, double beta, double initialValue, Schedule schedule, long seed, long subjectIndex) {
    Objects.requireNonNull(schedule, "schedule");
    if (!(eta > 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta = " + eta + "; allowed: a learning rate in (0, 1]");
    }
    if (!(beta > 0) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("beta = " + beta + "; allowed: a finite inverse temperature > 0");
    }
    if (sessions < 1 || trialsPerSession < 1 || (long) sessions * trialsPerSession > (1 << 29)) {
      throw new IllegalArgumentException("sessions = " + sessions + ", trialsPerSession = " + trialsPerSession
          + "; allowed: at least 1 each, at most 2^29 trials in all");
    }
    if (actions < 2 || actions > ChoiceData.MAX_ACTIONS || cues < 1 || cues > ChoiceData.MAX_CUES) {
      throw new IllegalArgumentException("actions = " + actions + ", cues = " + cues + "; allowed: actions 2 to "
          + ChoiceData.MAX_ACTIONS + ", cues 1 to " + ChoiceData.MAX_CUES);
    }
    if (!Double.isFinite(initialValue)) {
      throw new IllegalArgumentException("initialValue = " + initialValue + "; allowed: a finite number");
    }
    int n = sessions * trialsPerSession;
    int[] starts = new int[sessions];
    int[] cue = new int[n], action = new int[n];
    double[] reward = new double[n];
    double[] q = new double[cues * actions];
    double[] weights = new double[actions];
    int key = Rng.key(seed, subjectIndex);
    for (int session = 0, g = 0; session < sessions; session++) {
      starts[session] = g;
      java.util.Arrays.fill(q, initialValue);
      for (int t = 0; t < trialsPerSession; t++, g++) {
        int s = cues == 1 ? 0 : Math.min(cues - 1, (int) (Rng.uniform(key, 3 * g) * cues));
        int row = s * actions;
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < actions; b++) {
          max = Math.max(max, beta * q[row + b]);
        }
        double sum = 0;
        for (int b = 0; b < actions; b++) {
          sum += Math.exp(beta * q[row + b] - max);
          weights[b] = sum;
        }
        double threshold = Rng.uniform(key, 3 * g + 1) * sum;
        int a = actions - 1;
        for (int b = 0; b < actions - 1; b++) {
          if (threshold < weights[b]) {
            a = b;
            break;
          }
        }
        double p = schedule.probability(t, s, a);
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("schedule.probability(" + t + ", " + s + ", " + a + ") = " + p
              + "; allowed: a probability in [0, 1]");
        }
        double r = Rng.uniform(key, 3 * g + 2) < p ? 1 : 0;
        q[row + a] += eta * (r - q[row + a]);
        cue[g] = s;
        action[g] = a;
        reward[g] = r;
      }
    }
    return new ChoiceData(subject, actions, cues, starts, cue, action, reward);
  }

  /**
   * Runs {@code subjects} agents of the project's tabular Q kernel (softmax, values starting at 0, one
   * cue) for one episode of {@code trials} trials and returns each agent's recorded choices as one
   * subject named {@code "agent-" + i}.
   *
   * @param kernel the kernel (e.g. {@code TabularQKernel.create()})
   * @param parallel the worker pool of the kernel run
   * @param probabilities reward probability of each arm (2 to {@value QBatch#MAX_ACTIONS} arms)
   * @param reversalPeriod every this many trials the probabilities rotate by one arm (two arms: swap);
   *     0 keeps them fixed
   * @param seed the kernel's seed (agent i uses the kernel's stream for agent index i)
   */
  public static List<ChoiceData> fromKernel(TabularQKernel kernel, Parallel parallel, int subjects, float eta,
      float beta, int trials, float[] probabilities, int reversalPeriod, long seed) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(parallel, "parallel");
    Objects.requireNonNull(probabilities, "probabilities");
    QParams params = QParams.softmax(eta, beta, 0f);
    if (subjects < 1) {
      throw new IllegalArgumentException("subjects = " + subjects + "; allowed: 1 or more");
    }
    if (trials < 1 || trials > QBatch.MAX_TRIALS_PER_EPISODE || (long) trials * subjects > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("trials = " + trials + "; allowed: 1 to " + QBatch.MAX_TRIALS_PER_EPISODE
          + " with trials × subjects below 2^31");
    }
    if (reversalPeriod < 0) {
      throw new IllegalArgumentException("reversalPeriod = " + reversalPeriod + "; allowed: 0 (none) or more trials");
    }
    int arms = probabilities.length;
    QBatch batch = kernel.newBatch(subjects, 1, arms, params, seed);
    int[] actionsOut = new int[trials * subjects];
    float[] rewardsOut = new float[trials * subjects];
    float[] p = new float[arms * subjects];
    int block = reversalPeriod == 0 ? trials : reversalPeriod;
    for (int done = 0, phase = 0; done < trials; done += block, phase++) {
      for (int a = 0; a < arms; a++) {
        float pa = probabilities[(a + phase) % arms];
        for (int i = 0; i < subjects; i++) {
          p[a * subjects + i] = pa;
        }
      }
      batch.setRewardProbabilities(p);
      kernel.run(batch, Math.min(block, trials - done), parallel, actionsOut, rewardsOut);
    }
    List<ChoiceData> out = new ArrayList<>(subjects);
    for (int i = 0; i < subjects; i++) {
      int[] action = new int[trials];
      double[] reward = new double[trials];
      for (int t = 0; t < trials; t++) {
        action[t] = actionsOut[t * subjects + i];
        reward[t] = rewardsOut[t * subjects + i];
      }
      out.add(ChoiceData.of("agent-" + i, arms, action, reward));
    }
    return out;
  }
}
