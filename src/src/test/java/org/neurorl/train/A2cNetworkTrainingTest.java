package org.neurorl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.kernel.Parallel;

/** The trainer with the real networks, LSTM (MODELS.md §2) and plastic RNN (§1), at small sizes (seconds). */
class A2cNetworkTrainingTest {

  private static A2cConfig fixedEasyBandit(String network, long episodes, int checkpointEvery) {
    return A2cTrainerTest.config(network, 8, "fixed", new float[] {0.1f, 0.9f}, "adam", 0.01f, 16, episodes, 20,
        checkpointEvery, 3);
  }

  private static A2cTrainer trainer(A2cConfig c, Parallel pool) {
    return Networks.trainer(c, pool);
  }

  @Test
  void lstmLearnsTheBetterArmOfAFixedEasyBandit() throws IOException {
    learnsTheBetterArm("lstm");
  }

  @Test
  void plasticNetworkLearnsTheBetterArmOfAFixedEasyBandit() throws IOException {
    learnsTheBetterArm("plastic");
  }

  private static void learnsTheBetterArm(String network) throws IOException {
    A2cTrainer t = trainer(fixedEasyBandit(network, 16 * 60, 0), Parallel.serial());
    t.run(null, null);
    List<UpdateStats> curve = t.curve();
    // update 1 plays the untrained network; each row averages 16 × 20 = 320 Bernoulli trials (SD ≤ 0.028)
    double untrained = (curve.get(0).meanReward() + curve.get(1).meanReward()) / 2;
    double trained = curve.subList(55, 60).stream().mapToDouble(UpdateStats::meanReward).average().orElseThrow();
    assertTrue(untrained < 0.65, "untrained reward " + untrained + " (a uniform policy earns 0.5)");
    assertTrue(trained > 0.8 && trained > untrained + 0.2, "reward " + untrained + " -> " + trained);
    assertTrue(curve.get(59).entropy() < curve.get(0).entropy() - 0.2, "the policy did not sharpen");
  }

  @Test
  void lstmRunsAreThreadIndependentAndResumeBitForBit(@TempDir Path dir) throws IOException {
    threadIndependentAndResumable("lstm", dir, List.of("Wx", "Wh", "b", "Wpi", "bpi", "wv", "bv"));
  }

  @Test
  void plasticRunsAreThreadIndependentAndResumeBitForBit(@TempDir Path dir) throws IOException {
    threadIndependentAndResumable("plastic", dir,
        List.of("W", "U", "b", "Wz", "Uz", "bz", "alpha", "wM", "bM", "Wpi", "bpi", "wv", "bv"));
  }

  private static void threadIndependentAndResumable(String network, Path dir, List<String> tensors)
      throws IOException {
    A2cConfig c = A2cTrainerTest.config(network, 5, "independent", null, "rmsprop", 0.005f, 12, 12 * 8, 15, 3, 9);
    A2cTrainer serial = trainer(c, Parallel.serial());
    serial.run(null, null);
    try (Parallel two = Parallel.of(2)) {
      A2cTrainer parallel = trainer(c, two);
      parallel.run(null, null);
      assertArrayEquals(serial.parameters(), parallel.parameters());
      assertEquals(serial.curve(), parallel.curve());

      A2cTrainer first = trainer(c, two);
      first.run(dir, s -> {
        if (s.update() == 4) {
          first.requestStop();
        }
      });
      Checkpoint cp = Checkpoint.read(dir.resolve(A2cTrainer.CHECKPOINT));
      assertEquals(4, cp.updates());
      A2cTrainer resumed = A2cTrainer.resume(cp, Networks.create(cp.config()), Parallel.serial());
      resumed.run(dir, null);
      assertArrayEquals(serial.parameters(), resumed.parameters());
      assertEquals(serial.curve(), resumed.curve());
      ParameterExport.Loaded loaded = ParameterExport.read(dir.resolve(A2cTrainer.PARAMETERS));
      assertEquals(tensors, loaded.layout().names());
      assertArrayEquals(serial.parameters(), loaded.parameters());
    }
  }
}
