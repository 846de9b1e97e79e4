package org.neurorl.train;

import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.kernel.train.RecurrentNetwork;

/**
 * TEST DOUBLE, not a model: a non-recurrent network implementing {@link RecurrentNetwork} so the
 * trainer can be tested on its own. logits = W x + b, value = w · x + c, exact gradient. Episodes are
 * cut into fixed blocks of {@value #BLOCK} run on the pool and block gradients are summed in block
 * order, as the real networks do, so thread-count independence is tested for real. It can be told to
 * poison the gradient of one tensor at one backward call (for the NaN tests) and to scale the gradient from
 * one backward call on (a stand-in for a network whose activity blows up).
 */
final class SoftmaxPolicyTestDouble implements RecurrentNetwork {
  static final int BLOCK = 4;
  private final int inputs;
  private final int actions;
  private final ParameterLayout layout;
  private int backwardCalls;
  private int poisonAtCall = -1;
  private String poisonTensor;
  private int rollouts;
  private int poisonValueAtRollout = -1;
  private int amplifyFromCall = Integer.MAX_VALUE;
  private float amplification = 1f;

  SoftmaxPolicyTestDouble(int inputs, int actions) {
    this.inputs = inputs;
    this.actions = actions;
    this.layout = ParameterLayout.builder().add("W", actions, inputs).add("b", actions).add("w", inputs)
        .add("c", 1).build();
  }

  /** Makes backward call number {@code call} (1-based) write NaN into the gradient of {@code tensor}. */
  void poison(int call, String tensor) {
    this.poisonAtCall = call;
    this.poisonTensor = tensor;
  }

  /** Multiplies the gradient of backward call {@code call} (1-based) and all later ones by {@code factor}. */
  void amplify(int call, float factor) {
    this.amplifyFromCall = call;
    this.amplification = factor;
  }

  /** Makes rollout number {@code rollout} (1-based) output a NaN value at its first step (a forward blow-up). */
  void poisonValue(int rollout) {
    this.poisonValueAtRollout = rollout;
  }

  @Override
  public String name() {
    return "softmax-test-double";
  }

  @Override
  public int inputs() {
    return inputs;
  }

  /** It has no hidden units; reports 1 so it fits a config with hidden = 1. */
  @Override
  public int hidden() {
    return 1;
  }

  @Override
  public int actions() {
    return actions;
  }

  @Override
  public ParameterLayout layout() {
    return layout;
  }

  @Override
  public String implementation() {
    return "reference";
  }

  @Override
  public Rollout begin(float[] parameters, int batch, int maxSteps, Parallel pool) {
    float[] theta = parameters.clone();
    float[] xs = new float[maxSteps * batch * inputs];
    int oW = layout.tensor("W").offset(), ob = layout.tensor("b").offset();
    int ow = layout.tensor("w").offset(), oc = layout.tensor("c").offset();
    int blocks = (batch + BLOCK - 1) / BLOCK;
    boolean poisoned = ++rollouts == poisonValueAtRollout;
    return new Rollout() {
      int steps;

      @Override
      public int batch() {
        return batch;
      }

      @Override
      public int steps() {
        return steps;
      }

      @Override
      public void step(float[] x, float[] logits, float[] values) {
        int t = steps++;
        System.arraycopy(x, 0, xs, t * batch * inputs, batch * inputs);
        pool.forEachBlock(blocks, (worker, block) -> {
          for (int e = block * BLOCK; e < Math.min(batch, (block + 1) * BLOCK); e++) {
            for (int k = 0; k < actions; k++) {
              float s = theta[ob + k];
              for (int j = 0; j < inputs; j++) {
                s += theta[oW + k * inputs + j] * x[e * inputs + j];
              }
              logits[e * actions + k] = s;
            }
            float v = theta[oc];
            for (int j = 0; j < inputs; j++) {
              v += theta[ow + j] * x[e * inputs + j];
            }
            values[e] = v;
          }
        });
        if (poisoned && t == 0) {
          values[0] = Float.NaN;
        }
      }

      @Override
      public float[] hidden(int t) {
        return new float[batch];
      }

      @Override
      public void backward(float[] dLogits, float[] dValues, float[] gradient) {
        backwardCalls++;
        float[][] partial = new float[blocks][layout.size()];
        pool.forEachBlock(blocks, (worker, block) -> {
          float[] g = partial[block];
          for (int t = 0; t < steps; t++) {
            for (int e = block * BLOCK; e < Math.min(batch, (block + 1) * BLOCK); e++) {
              int xo = (t * batch + e) * inputs;
              for (int k = 0; k < actions; k++) {
                float d = dLogits[(t * batch + e) * actions + k];
                g[ob + k] += d;
                for (int j = 0; j < inputs; j++) {
                  g[oW + k * inputs + j] += d * xs[xo + j];
                }
              }
              float dv = dValues[t * batch + e];
              g[oc] += dv;
              for (int j = 0; j < inputs; j++) {
                g[ow + j] += dv * xs[xo + j];
              }
            }
          }
        });
        for (float[] g : partial) {
          for (int i = 0; i < g.length; i++) {
            gradient[i] += g[i];
          }
        }
        if (backwardCalls >= amplifyFromCall) {
          for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= amplification;
          }
        }
        if (backwardCalls == poisonAtCall) {
          gradient[layout.tensor(poisonTensor).offset()] = Float.NaN;
        }
      }
    };
  }
}
