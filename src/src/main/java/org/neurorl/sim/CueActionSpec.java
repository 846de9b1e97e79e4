package org.neurorl.sim;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;
import org.neurorl.kernel.Checks;

/**
 * The parameters of the cue–action task of a {@link SimulationSpec} (task {@code cue-action}), named as
 * {@link org.neurorl.env.CueActionTask} names them: {@code activeCues} cues active at any time, each
 * with one rewarded action among {@code actions}; the rewarded action earns {@code correctReward}, any
 * other {@code wrongReward} (the penalty); from trial {@code switchTrial} on (0-based) the first
 * {@code replacedCues} cues are dropped and as many new cues added. Rewarded actions are drawn per agent.
 *
 * @param activeCues cues active at any time, 1 to 32 − replacedCues (default 4)
 * @param replacedCues cues replaced at the switch, 0 to activeCues (default 2)
 * @param actions actions, 2 to 16 (default 4)
 * @param switchTrial first trial played with the new cue set, 1 to trials − 1 (null: trials / 2)
 * @param correctReward reward of the rewarded action (default 1)
 * @param wrongReward reward of any other action, below correctReward (default −1, the penalty)
 */
@JsonPropertyOrder(alphabetic = false)
public record CueActionSpec(int activeCues, int replacedCues, int actions, Integer switchTrial, float correctReward,
    float wrongReward) {
  /** The task value of {@link SimulationSpec#task()} that selects this task. */
  public static final String TASK = "cue-action";
  /** The learners' tables take at most this many cues (active plus new) and actions. */
  public static final int MAX_CUES = 32;
  public static final int MAX_ACTIONS = 16;

  public CueActionSpec {
    Checks.range("actions", actions, 2, MAX_ACTIONS);
    Checks.range("activeCues", activeCues, 1, MAX_CUES);
    Checks.range("replacedCues", replacedCues, 0, Math.min(activeCues, MAX_CUES - activeCues));
    Checks.finite("correctReward", correctReward);
    Checks.finite("wrongReward", wrongReward);
    if (!(wrongReward < correctReward)) {
      throw new IllegalArgumentException("wrongReward = " + wrongReward + "; allowed: below correctReward = "
          + correctReward + " (the rewarded action must be the best one)");
    }
  }

  /** MODELS.md §5: 4 cues, 4 actions, 2 cues replaced at half the episode, +1 / −1. */
  public static CueActionSpec defaults() {
    return new CueActionSpec(4, 2, 4, null, 1f, -1f);
  }

  /** This spec with the switch trial resolved and checked against {@code trials}. */
  CueActionSpec resolve(int trials) {
    if (trials < 2) {
      throw new IllegalArgumentException("trials = " + trials + "; allowed: at least 2 on the cue-action task");
    }
    int s = switchTrial == null ? trials / 2 : switchTrial;
    Checks.range("switchTrial", s, 1, trials - 1);
    return new CueActionSpec(activeCues, replacedCues, actions, s, correctReward, wrongReward);
  }

  /** Regret of one wrong choice: the rewarded action's reward minus a wrong action's. */
  public double wrongRegret() {
    return (double) correctReward - wrongReward;
  }

  /** "cue-action task (4 cues, 4 actions, 2 replaced at trial 50, reward 1 / -1)". */
  public String describe() {
    return String.format(Locale.ROOT, "cue-action task (%d cues, %d actions, %d replaced at trial %s, reward %s / %s)",
        activeCues, actions, replacedCues, switchTrial == null ? "T/2" : Integer.toString(switchTrial),
        fmt(correctReward), fmt(wrongReward));
  }

  private static String fmt(float v) {
    return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
  }
}
