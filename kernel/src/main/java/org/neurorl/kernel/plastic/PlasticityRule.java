package org.neurorl.kernel.plastic;

import org.neurorl.kernel.Checks;

/**
 * How the fast weights {@code dU} learn (MODELS.md §1), with their rates and clip.
 *
 * <p>{@link Kind#MODULATED}: {@code e ← (1−τe) e + τe h}, {@code E ← (1−τE) E + τE (h eᵀ − e hᵀ)},
 * {@code dU ← clip((1−τU) dU + τU M E, −c, c)}. {@link Kind#STDP}: traces {@code e⁺}, {@code e⁻} with
 * rates {@code τ₊}, {@code τ₋} and {@code dU_ij ← clip((1−τU) dU_ij + τU (a₊ e⁺_j h_i − a₋ e⁻_i h_j), −c, c)}.
 * Fields a rule does not use hold neutral values (rates 1, amplitudes 0) and are still validated.
 *
 * @param kind which rule
 * @param traceRate τe, rate of the eligibility trace {@code e} (modulated), in (0, 1]
 * @param eligibilityRate τE, rate of the eligibility matrix {@code E} (modulated), in (0, 1]
 * @param plasticRate τU, rate of the fast weights {@code dU} (both rules), in (0, 1]
 * @param clip c &gt; 0: {@code dU} stays in [−c, c]
 * @param plusRate τ₊ of the potentiation trace (STDP), in (0, 1]
 * @param minusRate τ₋ of the depression trace (STDP), in (0, 1]
 * @param plusAmplitude a₊ ≥ 0 (STDP)
 * @param minusAmplitude a₋ ≥ 0 (STDP)
 */
public record PlasticityRule(Kind kind, float traceRate, float eligibilityRate, float plasticRate, float clip,
    float plusRate, float minusRate, float plusAmplitude, float minusAmplitude) {

  /** The two plasticity rules of MODELS.md §1. */
  public enum Kind {
    /** Neuromodulated: eligibility trace e, antisymmetric eligibility matrix E, modulator M. */
    MODULATED,
    /** Unmodulated spike-timing-dependent plasticity with traces e⁺ and e⁻. */
    STDP
  }

  public PlasticityRule {
    if (kind == null) {
      throw new IllegalArgumentException("kind is null; allowed: MODULATED or STDP");
    }
    Checks.rate("traceRate", traceRate);
    Checks.rate("eligibilityRate", eligibilityRate);
    Checks.rate("plasticRate", plasticRate);
    Checks.positive("clip", clip);
    Checks.rate("plusRate", plusRate);
    Checks.rate("minusRate", minusRate);
    Checks.nonNegative("plusAmplitude", plusAmplitude);
    Checks.nonNegative("minusAmplitude", minusAmplitude);
  }

  /** The neuromodulated rule with rates τe, τE, τU and clip c. */
  public static PlasticityRule modulated(float traceRate, float eligibilityRate, float plasticRate, float clip) {
    return new PlasticityRule(Kind.MODULATED, traceRate, eligibilityRate, plasticRate, clip, 1f, 1f, 0f, 0f);
  }

  /** The unmodulated STDP rule with trace rates τ₊, τ₋, amplitudes a₊, a₋, rate τU and clip c. */
  public static PlasticityRule stdp(float plusRate, float minusRate, float plusAmplitude, float minusAmplitude,
      float plasticRate, float clip) {
    return new PlasticityRule(Kind.STDP, 1f, 1f, plasticRate, clip, plusRate, minusRate, plusAmplitude,
        minusAmplitude);
  }
}
