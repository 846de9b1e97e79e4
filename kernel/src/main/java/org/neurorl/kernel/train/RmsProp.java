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
public final class RmsProp extends OptimizerBase {
  public static final float ALPHA = 0.99f;
  public static final float EPS = 1e-8f;

  private final float[] meanSquare;

  public RmsProp(int size, float learningRate) {
    super("rmsprop", size, learningRate);
    this.meanSquare = new float[size];
  }

  @Override
  void update(float[] parameters, float[] gradient, long steps) {
    final float learningRate = learningRate();
    final float oneMinusAlpha = 1f - ALPHA;
    int size = size();
    for (int i = 0; i < size; i++) {
      float g = gradient[i];
      float s = ALPHA * meanSquare[i] + oneMinusAlpha * (g * g);
      meanSquare[i] = s;
      parameters[i] -= learningRate * (g / ((float) Math.sqrt(s) + EPS));
    }
  }

  @Override
  public State state() {
    return new State(name(), steps(), new float[0], meanSquare);
  }

  /** RMSProp keeps no first moment: whatever {@code state.first()} holds is ignored. */
  @Override
  boolean fits(State state) {
    return true;
  }

  @Override
  void load(State state) {
    System.arraycopy(state.second(), 0, meanSquare, 0, size());
  }
}
