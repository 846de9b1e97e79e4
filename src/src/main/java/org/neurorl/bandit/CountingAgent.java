package org.neurorl.bandit;

import java.util.Arrays;
import org.neurorl.agent.BatchAgent;
import org.neurorl.kernel.Checks;

/**
 * What every count-based bandit agent keeps: successes and failures per slot and arm in flat arrays,
 * {@code [slot * arms + arm]}. A slot forgets its counts at {@link #reset} and when its episode ends.
 * Rewards are Bernoulli: a reward above 0.5 counts as a success.
 */
abstract class CountingAgent implements BatchAgent {
  protected final int batch;
  protected final int arms;
  protected final int[] successes;
  protected final int[] failures;
  /** Trials played in the current episode, per slot. */
  protected final int[] played;

  CountingAgent(int batch, int arms) {
    Checks.range("batch", batch, 1, Integer.MAX_VALUE / 64);
    Checks.range("arms", arms, 1, 64);
    this.batch = batch;
    this.arms = arms;
    this.successes = new int[batch * arms];
    this.failures = new int[batch * arms];
    this.played = new int[batch];
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int actionCount() {
    return arms;
  }

  @Override
  public void reset(long episode) {
    if (episode < 0) {
      throw new IllegalArgumentException("episode = " + episode + "; allowed: >= 0");
    }
    Arrays.fill(successes, 0);
    Arrays.fill(failures, 0);
    Arrays.fill(played, 0);
  }

  @Override
  public void act(float[] observations, int[] actions) {
    Checks.length("actions", actions, batch);
    for (int b = 0; b < batch; b++) {
      actions[b] = choose(b);
    }
  }

  /** The action of slot {@code b} from its counts. */
  protected abstract int choose(int b);

  @Override
  public void observe(int[] actions, float[] rewards, boolean[] done) {
    Checks.length("actions", actions, batch);
    Checks.length("rewards", rewards, batch);
    for (int b = 0; b < batch; b++) {
      int a = actions[b];
      if (a < 0 || a >= arms) {
        throw new IllegalArgumentException("actions[" + b + "] = " + a + "; allowed: 0 to " + (arms - 1));
      }
      if (rewards[b] > 0.5f) {
        successes[b * arms + a]++;
      } else {
        failures[b * arms + a]++;
      }
      played[b]++;
      if (done != null && done[b]) {
        Arrays.fill(successes, b * arms, (b + 1) * arms, 0);
        Arrays.fill(failures, b * arms, (b + 1) * arms, 0);
        played[b] = 0;
      }
    }
  }

  /** Successes of arm {@code a} in slot {@code b} (for tests and analyses). */
  public int successes(int b, int a) {
    return successes[b * arms + a];
  }

  /** Failures of arm {@code a} in slot {@code b}. */
  public int failures(int b, int a) {
    return failures[b * arms + a];
  }
}
