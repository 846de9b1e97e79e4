package org.neurorl.train;

/**
 * One A2C update, one row of the learning curve. Losses are those of A2C-SPEC.md: summed over trials,
 * averaged over the update's episodes.
 *
 * @param update             updates done after this one (1-based)
 * @param episodes           episodes played so far
 * @param meanReward         reward per trial, averaged over the update's episodes and trials
 * @param loss               L = policyLoss + c_v · valueLoss − c_e · entropy · T
 * @param policyLoss         −Σ_t A_t log π(a_t)
 * @param valueLoss          Σ_t ½ (R_t − V_t)² (before the weight c_v)
 * @param entropy            the policy's entropy per trial, averaged
 * @param gradNorm           global L2 norm of the gradient before clipping
 * @param entropyCoefficient c_e used in this update
 */
public record UpdateStats(int update, long episodes, double meanReward, double loss, double policyLoss,
    double valueLoss, double entropy, double gradNorm, double entropyCoefficient) {

  /** The CSV header matching {@link #csvRow()}. */
  public static String csvHeader() {
    return "update,episodes,mean_reward,loss,policy_loss,value_loss,entropy,grad_norm,entropy_coefficient";
  }

  public String csvRow() {
    return update + "," + episodes + "," + meanReward + "," + loss + "," + policyLoss + "," + valueLoss + ","
        + entropy + "," + gradNorm + "," + entropyCoefficient;
  }
}
