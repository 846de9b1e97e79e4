package org.neurorl.kernel.train;

/**
 * Adam (Kingma and Ba 2015) exactly as {@code torch.optim.Adam} with its defaults: β1 = 0.9,
 * β2 = 0.999, ε = 1e-8 added to √v̂, bias-corrected, no weight decay, no AMSGrad. Per element, at step
 * t (from 1):
 *
 * <pre>
 *   m ← β1 m + (1 − β1) g
 *   v ← β2 v + (1 − β2) g²
 *   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 *
 * The bias corrections are computed in float64 once per step (as torch computes them in Python floats);
 * the element loop is float32.
 */
public final class Adam extends OptimizerBase {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPS = 1e-8f;

  private final float[] m;
  private final float[] v;

  public Adam(int size, float learningRate) {
    super("adam", size, learningRate);
    this.m = new float[size];
    this.v = new float[size];
  }

  @Override
  void update(float[] parameters, float[] gradient, long steps) {
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    float stepSize = (float) (learningRate() / correction1);
    float correction2Sqrt = (float) Math.sqrt(correction2);
    final float oneMinusBeta1 = 1f - BETA1;
    final float oneMinusBeta2 = 1f - BETA2;
    int size = size();
    for (int i = 0; i < size; i++) {
      float g = gradient[i];
      float mi = BETA1 * m[i] + oneMinusBeta1 * g;
      float vi = BETA2 * v[i] + oneMinusBeta2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      float denominator = (float) Math.sqrt(vi) / correction2Sqrt + EPS;
      parameters[i] -= stepSize * (mi / denominator);
    }
  }

  @Override
  public State state() {
    return new State(name(), steps(), m, v);
  }

  @Override
  boolean fits(State state) {
    return state.first().length == size();
  }

  @Override
  void load(State state) {
    System.arraycopy(state.first(), 0, m, 0, size());
    System.arraycopy(state.second(), 0, v, 0, size());
  }
}
