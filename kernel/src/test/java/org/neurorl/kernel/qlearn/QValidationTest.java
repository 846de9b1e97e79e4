package org.neurorl.kernel.qlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;

/** Bad input is refused with a message naming the parameter, the value and what is allowed; NaN/∞ is reported. */
class QValidationTest {
  private static void refused(Executable e, String... fragments) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(x.getMessage().contains(f), "message \"" + x.getMessage() + "\" should contain \"" + f + "\"");
    }
  }

  @Test
  void parametersOutsideTheirRangesAreRefused() {
    refused(() -> QParams.softmax(0f, 1f, 0.5f), "learningRate", "0.0", "(0, 1]");
    refused(() -> QParams.softmax(1.5f, 1f, 0.5f), "learningRate", "1.5");
    refused(() -> QParams.softmax(Float.NaN, 1f, 0.5f), "learningRate", "NaN");
    refused(() -> QParams.softmax(0.1f, 0f, 0.5f), "inverseTemperature", "> 0");
    refused(() -> QParams.softmax(0.1f, -2f, 0.5f), "inverseTemperature", "-2.0");
    refused(() -> QParams.softmax(0.1f, Float.NaN, 0.5f), "inverseTemperature", "NaN");
    refused(() -> QParams.softmax(0.1f, Float.POSITIVE_INFINITY, 0.5f), "inverseTemperature", "Infinity");
    refused(() -> QParams.epsilonGreedy(0.1f, -0.1f, 0.5f), "epsilon", "[0, 1]");
    refused(() -> QParams.epsilonGreedy(0.1f, 1.01f, 0.5f), "epsilon", "1.01");
    refused(() -> QParams.epsilonGreedy(0.1f, Float.NaN, 0.5f), "epsilon", "NaN");
    refused(() -> QParams.softmax(0.1f, 1f, -1f), "initScale", "-1.0");
    refused(() -> QParams.softmax(0.1f, 1f, Float.NaN), "initScale", "NaN");
  }

  @Test
  void shapesAndArraysAreChecked() {
    QParams ok = QParams.softmax(0.1f, 2f, 0.5f);
    for (QKernels kernel : new QKernels[] {QKernels.referenceLatent(), QKernels.simdLatent(),
        QKernels.referenceTabular(), QKernels.simdTabular()}) {
      boolean latent = kernel.newBatch(1, 1, 2, 2, ok, 0, 0).latent() > 0;
      refused(() -> kernel.newBatch(0, 1, 2, 2, ok, 0, 0), "agents", "= 0");
      refused(() -> kernel.newBatch(4, 0, 2, 2, ok, 0, 0), "states", "1 to 32");
      refused(() -> kernel.newBatch(4, 1, 2, 1, ok, 0, 0), "actions", "2 to 16");
      refused(() -> kernel.newBatch(4, 1, 2, 2, ok, 0, -1), "firstAgentIndex");
      if (latent) {
        refused(() -> kernel.newBatch(4, 1, 0, 2, ok, 0, 0), "latent", "1 to 16");
        refused(() -> kernel.newBatch(4, 1, 2, 2, QParams.softmax(0.1f, 2f, 0f), 0, 0), "initScale", "saddle");
      }
      QBatch batch = kernel.newBatch(4, 2, 2, 3, ok, 0, 0);
      IllegalStateException unset = assertThrows(IllegalStateException.class,
          () -> kernel.run(batch, 1, Parallel.serial(), null, null));
      assertTrue(unset.getMessage().contains("setRewardProbabilities"));
      refused(() -> batch.setRewardProbabilities(new float[23]), "rewardProbabilities.length = 23", "24");
      float[] p = QKernels.fixed(4, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f);
      p[5] = 1.5f;
      refused(() -> batch.setRewardProbabilities(p), "rewardProbabilities[5] = 1.5", "[0, 1]");
      p[5] = -0.5f;
      refused(() -> batch.setRewardProbabilities(p), "rewardProbabilities[5] = -0.5");
      p[5] = Float.NaN;
      refused(() -> batch.setRewardProbabilities(p), "rewardProbabilities[5] = NaN");
      p[5] = 0.5f;
      batch.setRewardProbabilities(p);
      refused(() -> kernel.run(batch, -1, Parallel.serial(), null, null), "trials = -1");
      refused(() -> kernel.run(batch, QBatch.MAX_TRIALS_PER_EPISODE + 1, Parallel.serial(), null, null), "trials");
      refused(() -> kernel.run(batch, 3, Parallel.serial(), new int[11], null), "actions", "length = 11", "12");
      refused(() -> kernel.run(batch, 3, Parallel.serial(), null, new float[5]), "rewards", "length = 5");
      refused(() -> batch.setValues(new double[batch.valuesLength() + 1]), "values.length");
      double[] bad = new double[batch.valuesLength()];
      bad[3] = Double.POSITIVE_INFINITY;
      refused(() -> batch.setValues(bad), "values[3] = Infinity");
      refused(() -> batch.reset(QBatch.MAX_EPISODES), "episode");
      QKernels other = latent ? QKernels.referenceTabular() : QKernels.referenceLatent();
      QBatch foreign = other.newBatch(4, 2, 2, 3, ok, 0, 0);
      foreign.setRewardProbabilities(p);
      refused(() -> kernel.run(foreign, 1, Parallel.serial(), null, null), "batch");
    }
  }

  @Test
  void stateTakesWhatItsLayoutNeeds() {
    QParams params = QParams.softmax(0.1f, 2f, 0.5f);
    // two-armed bandit, K = 2: W 2 + Q 4 + p 2 + key 1 + accumulators 3 = 12 four-byte numbers per agent
    assertEquals(48L * 1000, QKernels.simdLatent().newBatch(1000, 1, 2, 2, params, 0, 0).stateBytes());
    // tabular: Q 2 + p 2 + key 1 + accumulators 3 = 8
    assertEquals(32L * 1000, QKernels.simdTabular().newBatch(1000, 1, 0, 2, params, 0, 0).stateBytes());
    // reference: W, Q and accumulators in float64, p and keys in 4 bytes: 9·8 + 3·4
    assertEquals(84L * 1000, QKernels.referenceLatent().newBatch(1000, 1, 2, 2, params, 0, 0).stateBytes());
  }

  @Test
  void aBlowUpIsReportedAndStopsTheBatch() {
    for (QKernels kernel : new QKernels[] {QKernels.referenceLatent(), QKernels.simdLatent()}) {
      // initial values of scale 30 and η = 1: the effective step η(|z|² + |Q_a|²) is ~10³ ≫ 2, so every
      // update overshoots and the values grow geometrically to ±∞ and NaN within a few dozen trials
      QBatch batch = kernel.newBatch(40, 1, 2, 2, QParams.softmax(1f, 1f, 30f), 4, 0);
      batch.setRewardProbabilities(QKernels.fixed(40, 0.5f, 0.5f));
      NumericalBlowUpException x = assertThrows(NumericalBlowUpException.class,
          () -> kernel.run(batch, 200, Parallel.serial(), null, null));
      assertTrue(x.agent() >= 0 && x.agent() < 40, "agent " + x.agent());
      assertEquals(200, x.step(), "reported at the end of the call");
      assertTrue(!Double.isFinite(x.value()));
      assertThrows(IllegalStateException.class, () -> kernel.run(batch, 1, Parallel.serial(), null, null),
          "a blown-up batch must be reset before it runs again");
      batch.reset();
      batch.setValues(new double[batch.valuesLength()]); // a sane state runs again
      kernel.run(batch, 1, Parallel.serial(), null, null);
    }
  }
}
