package org.neurorl.kernel.train;

/**
 * What {@link Adam} and {@link RmsProp} share: size, learning rate and step count, the argument checks of a
 * step, and the checks of a restored state. Subclasses give only the element update and their arrays.
 */
abstract sealed class OptimizerBase implements Optimizer permits Adam, RmsProp {
  private final String name;
  private final int size;
  private final float learningRate;
  private long steps;

  OptimizerBase(String name, int size, float learningRate) {
    Optimizer.checkCreate(size, learningRate);
    this.name = name;
    this.size = size;
    this.learningRate = learningRate;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final float learningRate() {
    return learningRate;
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void step(float[] parameters, float[] gradient) {
    Optimizer.checkStep(size, parameters, gradient);
    steps++;
    update(parameters, gradient, steps);
  }

  /** The element update of step number {@code t} (from 1); the arguments are checked. */
  abstract void update(float[] parameters, float[] gradient, long t);

  @Override
  public final void restore(State state) {
    if (!name.equals(state.kind()) || !fits(state) || state.second().length != size || state.steps() < 0) {
      throw new IllegalArgumentException("optimizer state " + state.kind() + " of size " + state.second().length
          + " at step " + state.steps() + "; allowed: " + name + " state of size " + size);
    }
    load(state);
    steps = state.steps();
  }

  /** Whether the parts of {@code state} only this optimizer has fit it (its kind and second moment are checked). */
  abstract boolean fits(State state);

  /** Copies the arrays of a checked {@code state} in. */
  abstract void load(State state);
}
