package org.neurorl.kernel;

/**
 * A kernel produced NaN or ±∞ in its state. The state is left as it was found at detection so it can
 * be inspected; the message names the quantity, the agent and the step (or trial).
 */
public final class NumericalBlowUpException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final String quantity;
  private final int agent;
  private final long step;
  private final double value;

  public NumericalBlowUpException(String quantity, int agent, long step, double value) {
    super(quantity + " became " + value + " for agent " + agent + " at step " + step
        + " (numerical blow-up: lower the learning rate or the weight scale, or clip harder)");
    this.quantity = quantity;
    this.agent = agent;
    this.step = step;
    this.value = value;
  }

  public String quantity() {
    return quantity;
  }

  public int agent() {
    return agent;
  }

  public long step() {
    return step;
  }

  public double value() {
    return value;
  }
}
