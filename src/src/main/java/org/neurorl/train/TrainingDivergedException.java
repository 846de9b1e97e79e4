package org.neurorl.train;

/**
 * Training produced NaN or ±∞ in the loss, the gradient or the parameters. The message names the
 * update and the parameter tensor concerned and says what may help; the trainer stops without writing a
 * checkpoint, so the last good one stays in place.
 */
public final class TrainingDivergedException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final int update;
  private final String tensor;

  public TrainingDivergedException(int update, String tensor, String message) {
    super("training diverged at update " + update + " (tensor " + tensor + "): " + message);
    this.update = update;
    this.tensor = tensor;
  }

  /** The update (1-based) during which the non-finite value appeared. */
  public int update() {
    return update;
  }

  /** The name of the parameter tensor concerned. */
  public String tensor() {
    return tensor;
  }
}
