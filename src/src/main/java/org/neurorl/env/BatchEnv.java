package org.neurorl.env;

/**
 * A batch of {@link #batchSize()} environments that step in lock-step, with all state in flat arrays
 * (structure of arrays), in Gymnasium's vocabulary: {@code reset} starts an episode and returns the
 * first observation; {@code step} takes an action and returns observation, reward, terminated and
 * truncated. Arrays are agent-major: observation {@code i} of slot {@code b} is
 * {@code observations[b * observationSize() + i]}.
 *
 * <p>Randomness is explicit: an environment is built from a seed and the index of its first slot in
 * the whole population, so slot {@code b} behaves the same whichever batch it is simulated in.
 */
public interface BatchEnv {
  int batchSize();

  int observationSize();

  int actionCount();

  /** Starts episode {@code episode} in every slot and writes the first observations. */
  void reset(long episode, float[] observations);

  /**
   * One step in every slot. {@code terminated[b]} says the episode ended by the task's own rule,
   * {@code truncated[b]} that it ended by a time limit.
   */
  void step(int[] actions, float[] observations, float[] rewards, boolean[] terminated,
      boolean[] truncated);
}
