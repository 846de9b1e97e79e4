package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Rng;

/**
 * The parameters one batch of LSTM agents shares (MODELS.md §2), all row-major float32:
 *
 * <pre>
 *   [i; f; g; o] = Wx x + Wh h + b          inputWeights Wx (4N×I), recurrentWeights Wh (4N×N), gateBias b (4N)
 *   logits = Wπ h + bπ                       policyWeights Wπ (A×N), policyBias bπ (A)
 *   value  = wv · h + bv                     valueWeights wv (N), valueBias bv
 * </pre>
 *
 * Gate rows are stacked in the order input, forget, cell candidate, output: row {@code q·N + u} of
 * {@code Wx}, {@code Wh} and {@code b} belongs to gate {@code q} ({@link #INPUT_GATE} ..
 * {@link #OUTPUT_GATE}) of unit {@code u}.
 *
 * <p>The constructor copies the arrays and the record owns the copies: treat what the accessors return
 * as read-only. The fast kernel prepares a transposed copy of the weights once per record (it checks
 * the record's identity), so new weights mean a new record, never edits in place.
 */
public record LstmParams(int inputs, int hidden, int actions, float[] inputWeights, float[] recurrentWeights,
    float[] gateBias, float[] policyWeights, float[] policyBias, float[] valueWeights, float valueBias) {

  public static final int INPUT_GATE = 0;
  public static final int FORGET_GATE = 1;
  public static final int CELL_GATE = 2;
  public static final int OUTPUT_GATE = 3;
  /** Largest size of any dimension (keeps every flat index of a batch within int range). */
  public static final int MAX_SIZE = 1 << 14;

  public LstmParams {
    Checks.range("inputs", inputs, 1, MAX_SIZE);
    Checks.range("hidden", hidden, 1, MAX_SIZE);
    Checks.range("actions", actions, 1, MAX_SIZE);
    inputWeights = Checks.finiteArray("inputWeights", inputWeights, 4L * hidden * inputs).clone();
    recurrentWeights = Checks.finiteArray("recurrentWeights", recurrentWeights, 4L * hidden * hidden).clone();
    gateBias = Checks.finiteArray("gateBias", gateBias, 4L * hidden).clone();
    policyWeights = Checks.finiteArray("policyWeights", policyWeights, (long) actions * hidden).clone();
    policyBias = Checks.finiteArray("policyBias", policyBias, actions).clone();
    valueWeights = Checks.finiteArray("valueWeights", valueWeights, hidden).clone();
    Checks.finite("valueBias", valueBias);
  }

  /**
   * Every weight and bias drawn uniformly from [−scale, scale] (a counter-based stream per tensor, so
   * the same seed gives the same network everywhere). {@code scale = 1/√hidden} is the usual LSTM
   * initialisation.
   */
  public static LstmParams random(int inputs, int hidden, int actions, long seed, float scale) {
    Checks.positive("scale", scale);
    Checks.range("inputs", inputs, 1, MAX_SIZE);
    Checks.range("hidden", hidden, 1, MAX_SIZE);
    Checks.range("actions", actions, 1, MAX_SIZE);
    return new LstmParams(inputs, hidden, actions, uniform(seed, 0, 4 * hidden * inputs, scale),
        uniform(seed, 1, 4 * hidden * hidden, scale), uniform(seed, 2, 4 * hidden, scale),
        uniform(seed, 3, actions * hidden, scale), uniform(seed, 4, actions, scale),
        uniform(seed, 5, hidden, scale), uniform(seed, 6, 1, scale)[0]);
  }

  /** {@link #random(int, int, int, long, float)} with the usual scale 1/√hidden. */
  public static LstmParams random(int inputs, int hidden, int actions, long seed) {
    Checks.range("hidden", hidden, 1, MAX_SIZE);
    return random(inputs, hidden, actions, seed, (float) (1 / Math.sqrt(hidden)));
  }

  private static float[] uniform(long seed, int tensor, int length, float scale) {
    int key = Rng.key(seed, tensor);
    float[] a = new float[length];
    for (int i = 0; i < length; i++) {
      a[i] = scale * (2 * Rng.uniform(key, i) - 1);
    }
    return a;
  }

  /** Throws when {@code other} does not have this record's sizes (a state made for other sizes). */
  void requireSameShape(int inputs, int hidden, int actions) {
    if (inputs != this.inputs || hidden != this.hidden || actions != this.actions) {
      throw new IllegalArgumentException("params (inputs, hidden, actions) = (" + this.inputs + ", "
          + this.hidden + ", " + this.actions + "); allowed: the sizes the state was made for, (" + inputs
          + ", " + hidden + ", " + actions + ")");
    }
  }

  @Override
  public String toString() {
    return "LstmParams[inputs=" + inputs + ", hidden=" + hidden + ", actions=" + actions + "]";
  }
}
