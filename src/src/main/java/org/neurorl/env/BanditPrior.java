package org.neurorl.env;

import java.util.Locale;

/** How a Bernoulli bandit draws its arm probabilities at the start of each episode (MODELS.md §5). */
public enum BanditPrior {
  /** Every arm {@code p ~ U(0, 1)} independently. */
  INDEPENDENT,
  /** Two arms, {@code p₁ ~ U(0, 1)}, {@code p₂ = 1 − p₁}. */
  CORRELATED,
  /** The same given probabilities in every episode. */
  FIXED;

  /** Parses a name case-insensitively, with an error that lists the allowed names. */
  public static BanditPrior parse(String name) {
    for (BanditPrior p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("task = " + name + "; allowed: "
        + String.join(", ", java.util.Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
            .toList()));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
