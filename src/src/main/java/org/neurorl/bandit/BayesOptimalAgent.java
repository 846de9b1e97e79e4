package org.neurorl.bandit;

/**
 * Plays the exact Bayes-optimal policy of a {@link BayesOptimalPolicy} table on two arms: the action
 * looked up at the slot's counts {@code (s₁, f₁, s₂, f₂)}. Deterministic: where both arms are optimal
 * (the table says {@link BayesOptimalPolicy#EITHER}) it plays arm 0, the same rule the table's
 * expected-regret curve assumes. Episodes longer than the table's horizon are an error.
 */
public final class BayesOptimalAgent extends CountingAgent {
  private final BayesOptimalPolicy policy;

  public BayesOptimalAgent(int batch, BayesOptimalPolicy policy) {
    super(batch, 2);
    if (policy == null) {
      throw new IllegalArgumentException("policy is null; allowed: a BayesOptimalPolicy");
    }
    this.policy = policy;
  }

  @Override
  public String name() {
    return "bayes-optimal-" + policy.prior().label();
  }

  public BayesOptimalPolicy policy() {
    return policy;
  }

  @Override
  protected int choose(int b) {
    if (played[b] >= policy.horizon()) {
      throw new IllegalStateException("slot " + b + " has played " + played[b]
          + " trials, the whole horizon of the Bayes-optimal table; reset for a new episode");
    }
    int o = 2 * b;
    byte d = policy.decisionUnchecked(successes[o], failures[o], successes[o + 1], failures[o + 1]);
    return d == BayesOptimalPolicy.ARM_2 ? 1 : 0;
  }
}
