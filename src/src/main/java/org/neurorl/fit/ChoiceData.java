package org.neurorl.fit;

import java.util.Arrays;
import java.util.Objects;

/**
 * One subject's observed choices: trials in order, cut into sessions (the learner's values restart at
 * each session start), each trial with a cue in [0, S), an action in [0, A) and a reward.
 *
 * <p>Arrays are copied in and out, so an instance cannot change after construction.
 */
public final class ChoiceData {
  /** Largest number of actions (arms) accepted. */
  public static final int MAX_ACTIONS = 1024;
  /** Largest number of cues accepted (values are kept per cue and action). */
  public static final int MAX_CUES = 1 << 16;

  private final String subject;
  private final int actions;
  private final int cues;
  private final int[] sessionStarts;
  final int[] cue;
  final int[] action;
  final double[] reward;

  /**
   * @param subject the subject's name (non-null)
   * @param actions A, in [2, {@value #MAX_ACTIONS}]
   * @param cues S, in [1, {@value #MAX_CUES}]
   * @param sessionStarts index of the first trial of each session: starts at 0, strictly increasing,
   *     each below the number of trials (so no session is empty)
   * @param cue per trial, in [0, S); null means every trial has cue 0
   * @param action per trial, in [0, A)
   * @param reward per trial, finite
   */
  public ChoiceData(String subject, int actions, int cues, int[] sessionStarts, int[] cue, int[] action,
      double[] reward) {
    this.subject = Objects.requireNonNull(subject, "subject");
    if (actions < 2 || actions > MAX_ACTIONS) {
      throw new IllegalArgumentException("actions = " + actions + "; allowed: 2 to " + MAX_ACTIONS);
    }
    if (cues < 1 || cues > MAX_CUES) {
      throw new IllegalArgumentException("cues = " + cues + "; allowed: 1 to " + MAX_CUES);
    }
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reward, "reward");
    Objects.requireNonNull(sessionStarts, "sessionStarts");
    int n = action.length;
    if (n == 0) {
      throw new IllegalArgumentException("subject " + subject + ": trials = 0; allowed: at least 1 trial");
    }
    if (reward.length != n || (cue != null && cue.length != n)) {
      throw new IllegalArgumentException("subject " + subject + ": action.length = " + n + ", reward.length = "
          + reward.length + (cue == null ? "" : ", cue.length = " + cue.length) + "; allowed: equal lengths");
    }
    if (sessionStarts.length == 0 || sessionStarts[0] != 0) {
      throw new IllegalArgumentException("subject " + subject + ": sessionStarts = "
          + Arrays.toString(sessionStarts) + "; allowed: strictly increasing trial indices starting at 0");
    }
    for (int k = 1; k < sessionStarts.length; k++) {
      if (sessionStarts[k] <= sessionStarts[k - 1] || sessionStarts[k] >= n) {
        throw new IllegalArgumentException("subject " + subject + ": sessionStarts[" + k + "] = "
            + sessionStarts[k] + "; allowed: strictly increasing trial indices in [0, " + n
            + ") (no empty session)");
      }
    }
    for (int t = 0; t < n; t++) {
      if (action[t] < 0 || action[t] >= actions) {
        throw new IllegalArgumentException("subject " + subject + ": action[" + t + "] = " + action[t]
            + "; allowed: 0 to " + (actions - 1));
      }
      if (!Double.isFinite(reward[t])) {
        throw new IllegalArgumentException("subject " + subject + ": reward[" + t + "] = " + reward[t]
            + "; allowed: a finite number");
      }
      if (cue != null && (cue[t] < 0 || cue[t] >= cues)) {
        throw new IllegalArgumentException("subject " + subject + ": cue[" + t + "] = " + cue[t]
            + "; allowed: 0 to " + (cues - 1));
      }
    }
    this.actions = actions;
    this.cues = cues;
    this.sessionStarts = sessionStarts.clone();
    this.cue = cue == null ? new int[n] : cue.clone();
    this.action = action.clone();
    this.reward = reward.clone();
  }

  /** One session, one cue. */
  public static ChoiceData of(String subject, int actions, int[] action, double[] reward) {
    return new ChoiceData(subject, actions, 1, new int[] {0}, null, action, reward);
  }

  public String subject() {
    return subject;
  }

  /** A. */
  public int actions() {
    return actions;
  }

  /** S. */
  public int cues() {
    return cues;
  }

  public int trials() {
    return action.length;
  }

  public int sessions() {
    return sessionStarts.length;
  }

  public int[] sessionStarts() {
    return sessionStarts.clone();
  }

  public int[] cue() {
    return cue.clone();
  }

  public int[] action() {
    return action.clone();
  }

  public double[] reward() {
    return reward.clone();
  }

  /** The same choices under another subject name. */
  public ChoiceData withSubject(String name) {
    return new ChoiceData(name, actions, cues, sessionStarts, cue, action, reward);
  }

  /** The first {@code n} trials (sessions cut accordingly). */
  public ChoiceData firstTrials(int n) {
    if (n < 1 || n > trials()) {
      throw new IllegalArgumentException("n = " + n + "; allowed: 1 to " + trials());
    }
    int k = 0;
    while (k < sessionStarts.length && sessionStarts[k] < n) {
      k++;
    }
    return new ChoiceData(subject, actions, cues, Arrays.copyOf(sessionStarts, k), Arrays.copyOf(cue, n),
        Arrays.copyOf(action, n), Arrays.copyOf(reward, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChoiceData d && subject.equals(d.subject) && actions == d.actions && cues == d.cues
        && Arrays.equals(sessionStarts, d.sessionStarts) && Arrays.equals(cue, d.cue)
        && Arrays.equals(action, d.action) && Arrays.equals(reward, d.reward);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subject, actions, cues, Arrays.hashCode(sessionStarts), Arrays.hashCode(action));
  }

  @Override
  public String toString() {
    return "ChoiceData[subject=" + subject + ", actions=" + actions + ", cues=" + cues + ", sessions="
        + sessions() + ", trials=" + trials() + "]";
  }
}
