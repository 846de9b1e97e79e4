package org.neurorl.kernel.train;

import java.util.Locale;
import org.neurorl.kernel.Checks;

/**
 * A first-order optimizer over one flat float32 parameter vector (the layout of a
 * {@link RecurrentNetwork}). The update rules are those of {@code torch.optim} with its defaults, so a
 * PyTorch run of the same loss takes the same steps; all state lives in flat arrays that
 * {@link #state()} exposes and {@link #restore(State)} takes back, so a checkpoint resumes a run bit for
 * bit.
 *
 * <p>The loops are plain: one update is O(P) with P the parameter count (tens of thousands), small next
 * to the forward and backward passes through 100 steps of 32 episodes.
 */
public sealed interface Optimizer permits OptimizerBase {

  /** "adam" or "rmsprop". */
  String name();

  /** Length of the parameter vector. */
  int size();

  float learningRate();

  /** Updates taken so far. */
  long steps();

  /**
   * One update: {@code parameters -= step(gradient)} in place. {@code gradient} is read only (already
   * clipped by the caller, see {@link GradientClipping}).
   */
  void step(float[] parameters, float[] gradient);

  /** A copy of the whole state. */
  State state();

  /** Continues from {@code state} (a copy is taken); the kind and size must match. */
  void restore(State state);

  /**
   * The state of an optimizer as data.
   *
   * @param kind   "adam" or "rmsprop"
   * @param steps  updates taken
   * @param first  Adam's first moment m (empty for RMSProp)
   * @param second Adam's second moment v, or RMSProp's running mean of squares
   */
  record State(String kind, long steps, float[] first, float[] second) {
    public State {
      first = first.clone();
      second = second.clone();
    }

    @Override
    public float[] first() {
      return first.clone();
    }

    @Override
    public float[] second() {
      return second.clone();
    }
  }

  /** The optimizer named {@code kind} ("adam" or "rmsprop") with torch.optim's default constants. */
  static Optimizer create(String kind, int size, float learningRate) {
    return switch (kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT)) {
      case "adam" -> new Adam(size, learningRate);
      case "rmsprop" -> new RmsProp(size, learningRate);
      default -> throw new IllegalArgumentException("optimizer = " + kind + "; allowed: adam, rmsprop");
    };
  }

  /** Shared argument checks. */
  static void checkStep(int size, float[] parameters, float[] gradient) {
    if (parameters == null || parameters.length != size) {
      throw new IllegalArgumentException("parameters.length = " + (parameters == null ? "null" : parameters.length)
          + "; allowed: exactly " + size);
    }
    if (gradient == null || gradient.length != size) {
      throw new IllegalArgumentException("gradient.length = " + (gradient == null ? "null" : gradient.length)
          + "; allowed: exactly " + size);
    }
  }

  static void checkCreate(int size, float learningRate) {
    Checks.range("size", size, 1, Integer.MAX_VALUE);
    Checks.positive("learningRate", learningRate);
  }
}
