package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Checks;

/**
 * What one step computed, kept for backpropagation through time: per agent the four gate activations
 * {@code σ(i), σ(f), tanh(g), σ(o)} (4N, in that order), the new cell {@code c_t} and the new hidden
 * {@code h_t} (N each), all agent-major float32. With the state before the first step, the inputs and
 * one trace per step, the backward pass has every intermediate value it needs ({@code tanh(c_t)} is
 * {@code h_t / σ(o)} or recomputed). Pass {@code null} to a step to keep nothing; a trace is
 * overwritten by each step it is given to, so a rollout keeps one per step.
 */
public final class LstmTrace {
  private final int batch;
  private final int hidden;
  private final float[] gates;
  private final float[] cell;
  private final float[] hiddenState;

  public LstmTrace(int batch, int hidden) {
    Checks.range("hidden", hidden, 1, LstmParams.MAX_SIZE);
    Checks.range("batch", batch, 1, (Integer.MAX_VALUE - 64) / (4 * hidden));
    this.batch = batch;
    this.hidden = hidden;
    this.gates = new float[4 * batch * hidden];
    this.cell = new float[batch * hidden];
    this.hiddenState = new float[batch * hidden];
  }

  public int batch() {
    return batch;
  }

  public int hidden() {
    return hidden;
  }

  /** B×4N: per agent σ(i) (N), σ(f) (N), tanh(g) (N), σ(o) (N). Written by the kernel. */
  public float[] gates() {
    return gates;
  }

  /** B×N: the cell state after the step. */
  public float[] cell() {
    return cell;
  }

  /** B×N: the hidden state after the step. */
  public float[] hiddenState() {
    return hiddenState;
  }
}
