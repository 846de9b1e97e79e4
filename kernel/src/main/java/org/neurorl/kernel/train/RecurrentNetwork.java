package org.neurorl.kernel.train;

import org.neurorl.kernel.Parallel;

/**
 * A recurrent policy/value network trained by backpropagation through time over a batch of episodes
 * (MODELS.md §1 plastic RNN, §2 LSTM). The trainer in {@code src} (A2C) knows networks only through
 * this interface: it owns one flat float32 parameter vector laid out by {@link #layout()}, runs a
 * {@link Rollout} step by step (the environment needs each step's action before the next input exists),
 * then asks the rollout for the gradient of its loss with respect to every parameter.
 *
 * <p>Implementations live in the kernel packages ({@code lstm}, {@code plastic}); each has a plain
 * float64 reference of its forward and backward pass, against which the fast one is tested.
 */
public interface RecurrentNetwork {

  /** A short name: "lstm", "plastic". */
  String name();

  int inputs();

  int hidden();

  int actions();

  /** The tensors of the flat parameter vector. */
  ParameterLayout layout();

  /** "reference" or "simd-" + bits (as the forward kernels report). */
  String implementation();

  /**
   * Starts {@code batch} episodes from the zero state with the given parameters (read, not kept: the
   * caller may change the array after {@link Rollout#backward}), recording up to {@code maxSteps} steps.
   */
  Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool);

  /** One batch of episodes being run forward, recorded for the backward pass. */
  interface Rollout extends AutoCloseable {
    int batch();

    /** Steps taken so far. */
    int steps();

    /**
     * Advances every episode one step.
     *
     * @param x      inputs B×I agent-major
     * @param logits output B×A
     * @param values output B
     */
    void step(float[] x, float[] logits, float[] values);

    /** The hidden activity h after step {@code t} (0-based), B×N agent-major: a copy the caller owns. */
    float[] hidden(int t);

    /**
     * Backpropagation through every recorded step: given the loss's derivatives with respect to each
     * step's logits ({@code T×B×A}, step-major then agent-major) and values ({@code T×B}), ADDS
     * dLoss/dParameters into {@code gradient} (the layout's length).
     */
    void backward(float[] dLogits, float[] dValues, float[] gradient);

    @Override
    default void close() {}
  }
}
