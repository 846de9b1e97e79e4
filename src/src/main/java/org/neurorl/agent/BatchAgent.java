package org.neurorl.agent;

/**
 * A batch of {@link #batchSize()} agents that act and learn in lock-step on a
 * {@link org.neurorl.env.BatchEnv} of the same size. Arrays are agent-major and owned by the caller;
 * an agent keeps its own state in flat arrays and draws its random numbers from per-agent
 * counter-based streams ({@link org.neurorl.kernel.Rng}) named by a seed and the index of its first
 * slot in the population, so agent {@code i} behaves the same whichever batch it runs in.
 */
public interface BatchAgent {
  /** A short name, e.g. {@code ucb1}. */
  String name();

  int batchSize();

  int actionCount();

  /** Starts episode {@code episode} in every slot (a classic learner forgets what it learnt). */
  void reset(long episode);

  /** Chooses an action for every slot from its observation ({@code B × observationSize}). */
  void act(float[] observations, int[] actions);

  /** Takes the outcome of the actions just chosen: rewards and whether each slot's episode ended. */
  void observe(int[] actions, float[] rewards, boolean[] done);
}
