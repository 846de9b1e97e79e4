package org.neurorl.kernel.train;

/**
 * RMSProp exactly as {@code torch.optim.RMSprop} with its defaults: α = 0.99, ε = 1e-8 added to √s, no
 * momentum, not centred, no weight decay. Per element:
 *
 * <pre>
 *   s ← α s + (1 − α) g²
 *   θ ← θ − lr · g / (√s + ε)
 * </pre>
 *
 * (torch starts s at 0 and does not bias-correct it, so the first steps are large, ≈ lr/√(1 − α) = 10 lr.)
 */
public final class RmsProp implements Optimizer {
  public static final float ALPHA = 0.99f;
  public static final float EPS = 1e-8f;

  private final int size;
  private final float learningRate;
  private final float[] meanSquare;
  private long steps;

  public RmsProp(int size, float learningRate) {
    Optimizer.checkCreate(size, learningRate);
    this.size = size;
    this.learningRate = learningRate;
    this.meanSquare = new float[size];
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public float learningRate() {
    return learningRate;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public void step(float[] parameters, float[] gradient) {
    Optimizer.checkStep(size, parameters, gradient);
    steps++;
    final float oneMinusAlpha = 1f - ALPHA;
    for (int i = 0; i < size; i++) {
      float g = gradient[i];
      float s = ALPHA * meanSquare[i] + oneMinusAlpha * (g * g);
      meanSquare[i] = s;
      parameters[i] -= learningRate * (g / ((float) Math.sqrt(s) + EPS));
    }
  }

  @Override
  public State state() {
    return new State(name(), steps, new float[0], meanSquare);
  }

  @Override
  public void restore(State state) {
    if (!"rmsprop".equals(state.kind()) || state.second().length != size || state.steps() < 0) {
      throw new IllegalArgumentException("optimizer state " + state.kind() + " of size " + state.second().length
          + " at step " + state.steps() + "; allowed: rmsprop state of size " + size);
    }
    System.arraycopy(state.second(), 0, meanSquare, 0, size);
    steps = state.steps();
  }
}
