package org.neurorl.kernel.lstm;

import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RolloutChecks;

/**
 * The size limits of an {@link LstmNetwork} rollout; the checks shared with the other recurrent networks
 * (parameters, array lengths, rollout state) are in {@link RolloutChecks}.
 */
public final class LstmRolloutChecks {
  private LstmRolloutChecks() {}

  /** Batch and step counts such that every per-rollout buffer (T·B·4N floats) stays int-indexable. */
  public static void sizes(int hidden, int inputs, int batch, int maxSteps, Parallel pool) {
    long widest = 4L * hidden + inputs + hidden;
    Checks.range("batch", batch, 1, (int) Math.min(1 << 24, (Integer.MAX_VALUE - 64) / widest));
    Checks.range("maxSteps", maxSteps, 1,
        (int) Math.min(RolloutChecks.MAX_STEPS, (Integer.MAX_VALUE - 64) / (widest * batch) - 1));
    RolloutChecks.pool(pool);
  }
}
