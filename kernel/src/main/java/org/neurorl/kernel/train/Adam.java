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
public final class Adam implements Optimizer {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPS = 1e-8f;

  private final int size;
  private final float learningRate;
  private final float[] m;
  private final float[] v;
  private long steps;

  public Adam(int size, float learningRate) {
    Optimizer.checkCreate(size, learningRate);
    this.size = size;
    this.learningRate = learningRate;
    this.m = new float[size];
    this.v = new float[size];
  }

  @Override
  public String name() {
    return "adam";
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
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    float stepSize = (float) (learningRate / correction1);
    float correction2Sqrt = (float) Math.sqrt(correction2);
    final float oneMinusBeta1 = 1f - BETA1;
    final float oneMinusBeta2 = 1f - BETA2;
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
    return new State(name(), steps, m, v);
  }

  @Override
  public void restore(State state) {
    if (!"adam".equals(state.kind()) || state.first().length != size || state.second().length != size
        || state.steps() < 0) {
      throw new IllegalArgumentException("optimizer state " + state.kind() + " of size " + state.second().length
          + " at step " + state.steps() + "; allowed: adam state of size " + size);
    }
    System.arraycopy(state.first(), 0, m, 0, size);
    System.arraycopy(state.second(), 0, v, 0, size);
    steps = state.steps();
  }
}
