package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryTaskTest {
  @Test
  void frequencyManipulationShowsSetsInTheRatio() {
    MemoryTask task = new MemoryTask(MemoryTask.Manipulation.FREQUENCY, 4, 500, 3, 0);
    double z = 3 * (1 + Math.cbrt(4) + Math.cbrt(16) + 4);
    for (int s = 0; s < 12; s++) {
      assertEquals(Math.pow(4, (s / 3) / 3.0) / z, task.frequency(s), 1e-12);
      assertEquals(1.0, task.stake(s));
    }
    assertEquals(4.0, task.frequency(11) / task.frequency(0), 1e-12);
    long[] counts = new long[12];
    int[] out = new int[500];
    int trials = 200;
    for (int t = 0; t < trials; t++) {
      task.options(t, false, out);
      for (int s : out) {
        counts[s]++;
      }
    }
    long n = 500L * trials;
    for (int s = 0; s < 12; s++) {
      double p = task.frequency(s);
      // 5 binomial standard errors
      assertEquals(p, counts[s] / (double) n, 5 * Math.sqrt(p * (1 - p) / n), "option " + s);
    }
    int[] rollout = new int[500];
    task.options(0, true, rollout);
    task.options(0, false, out);
    assertNotEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(rollout), "rollouts use their own stream");
  }

  @Test
  void stakesManipulationPaysTheStakeForTheCorrectAnswer() {
    MemoryTask task = new MemoryTask(MemoryTask.Manipulation.STAKES, 4, 3, 3, 0);
    for (int s = 0; s < 12; s++) {
      assertEquals(1 / 12.0, task.frequency(s), 1e-12);
      assertEquals(Math.pow(4, (s / 3) / 3.0), task.stake(s), 1e-12);
      assertEquals((float) task.stake(s), task.reward(s, MemoryTask.correctAction(s)));
      assertEquals(0f, task.reward(s, 1 - MemoryTask.correctAction(s)));
    }
    assertThrows(IllegalArgumentException.class, () -> new MemoryTask(MemoryTask.Manipulation.STAKES, 0.5, 3, 3, 0));
    assertThrows(IllegalArgumentException.class, () -> new MemoryTask(null, 4, 3, 3, 0));
  }
}
