package org.neurorl.bandit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.env.BanditPrior;

class BayesOptimalPolicyTest {
  /**
   * The optimal expected total reward by plain recursion over every history (no tables, no layers),
   * exponential in T: an independent check of the layered DP for small horizons.
   */
  private static double bruteForce(BanditPrior prior, int s1, int f1, int s2, int f2, int left) {
    if (left == 0) {
      return 0;
    }
    double m1;
    double m2;
    if (prior == BanditPrior.INDEPENDENT) {
      m1 = (s1 + 1.0) / (s1 + f1 + 2);
      m2 = (s2 + 1.0) / (s2 + f2 + 2);
    } else {
      m1 = (1.0 + s1 + f2) / (s1 + f1 + s2 + f2 + 2); // E[p₁]; p₂ = 1 − p₁
      m2 = 1 - m1;
    }
    double q1 = m1 * (1 + bruteForce(prior, s1 + 1, f1, s2, f2, left - 1))
        + (1 - m1) * bruteForce(prior, s1, f1 + 1, s2, f2, left - 1);
    double q2 = m2 * (1 + bruteForce(prior, s1, f1, s2 + 1, f2, left - 1))
        + (1 - m2) * bruteForce(prior, s1, f1, s2, f2 + 1, left - 1);
    return Math.max(q1, q2);
  }

  @Test
  void valueMatchesBruteForceRecursionForShortHorizons() {
    for (BanditPrior prior : new BanditPrior[] {BanditPrior.INDEPENDENT, BanditPrior.CORRELATED}) {
      for (int horizon = 1; horizon <= 8; horizon++) {
        BayesOptimalPolicy policy = BayesOptimalPolicy.compute(prior, horizon);
        // both sides sum at most 4^8 products of exact small rationals: agreement to 1e-12 is rounding
        assertEquals(bruteForce(prior, 0, 0, 0, 0, horizon), policy.value(), 1e-12, prior + " T=" + horizon);
      }
    }
    // one trial: either arm, 1/2 (independent) or E[max(m, 1 − m)] = 1/2 too before any evidence
    assertEquals(0.5, BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, 1).value(), 1e-15);
  }

  @Test
  void tablesForHundredTrialsAreConsistentAndFast() {
    for (BanditPrior prior : new BanditPrior[] {BanditPrior.INDEPENDENT, BanditPrior.CORRELATED}) {
      BayesOptimalPolicy policy = BayesOptimalPolicy.compute(prior, 100);
      System.out.printf("bayes-optimal %s T=100: %d states built in %.3f s; V = %.6f, regret(100) = %.5f%n",
          prior.label(), policy.stateCount(), policy.buildSeconds(), policy.value(),
          policy.expectedCumulativeRegret()[99]);
      double sum = 0;
      for (double r : policy.expectedRewardPerTrial()) {
        sum += r;
      }
      // the forward pass (state probabilities) and the backward pass (values) are different sums
      assertEquals(policy.value(), sum, 1e-9, "forward expected rewards add up to V");
      double[] regret = policy.expectedCumulativeRegret();
      double best = BayesOptimalPolicy.expectedMaximum(prior);
      assertEquals(best - 0.5, regret[0], 1e-12, "first trial: nothing known, either arm");
      for (int t = 1; t < 100; t++) {
        assertTrue(regret[t] >= regret[t - 1] - 1e-12, "cumulative regret never falls");
      }
      // the optimal policy cannot do worse than always playing arm 1 (regret (E[max] − 1/2)·T)
      assertTrue(regret[99] < (best - 0.5) * 100);
    }
  }

  @Test
  void correlatedPolicyIsGreedyAndSymmetricStatesAreTies() {
    BayesOptimalPolicy policy = BayesOptimalPolicy.compute(BanditPrior.CORRELATED, 30);
    for (int s1 = 0; s1 < 10; s1++) {
      for (int f1 = 0; f1 < 10; f1++) {
        for (int s2 = 0; s2 < 5; s2++) {
          for (int f2 = 0; f2 < 5; f2++) {
            int forArm1 = s1 + f2;
            int forArm2 = f1 + s2;
            byte expected = forArm1 > forArm2 ? BayesOptimalPolicy.ARM_1
                : forArm1 < forArm2 ? BayesOptimalPolicy.ARM_2 : BayesOptimalPolicy.EITHER;
            assertEquals(expected, policy.decision(s1, f1, s2, f2));
          }
        }
      }
    }
    BayesOptimalPolicy independent = BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, 20);
    assertEquals(BayesOptimalPolicy.EITHER, independent.decision(0, 0, 0, 0));
    assertEquals(BayesOptimalPolicy.EITHER, independent.decision(2, 1, 2, 1));
    assertEquals(0, independent.action(2, 1, 2, 1), "ties play arm 0");
    // after a success on arm 1 and nothing else, staying is optimal (stay on a winner)
    assertEquals(BayesOptimalPolicy.ARM_1, independent.decision(1, 0, 0, 0));
    assertEquals(BayesOptimalPolicy.ARM_2, independent.decision(0, 1, 0, 0));
  }

  @Test
  void cacheIsWrittenReusedAndRebuiltWhenDamaged(@TempDir Path folder) throws IOException {
    BayesOptimalPolicy built = BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, 40, folder);
    assertFalse(built.fromCache());
    Path file;
    try (Stream<Path> files = Files.list(folder)) {
      file = files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
    }
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
    BayesOptimalPolicy cached = BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, 40, folder);
    assertTrue(cached.fromCache());
    assertEquals(built.value(), cached.value(), 0.0);
    assertEquals(built.stateCount(), cached.stateCount());
    for (int s1 = 0; s1 < 8; s1++) {
      for (int f1 = 0; f1 < 8; f1++) {
        for (int s2 = 0; s2 < 8; s2++) {
          for (int f2 = 0; f2 < 8; f2++) {
            assertEquals(built.decision(s1, f1, s2, f2), cached.decision(s1, f1, s2, f2));
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(built.expectedCumulativeRegret(),
        cached.expectedCumulativeRegret(), 0.0);
    // flip one byte in the action table: the checksum catches it and the table is rebuilt
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    BayesOptimalPolicy rebuilt = BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, 40, folder);
    assertFalse(rebuilt.fromCache());
    assertEquals(built.value(), rebuilt.value(), 0.0);
    assertTrue(BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, 40, folder).fromCache());
    // another horizon or prior is another file, never a wrong table
    assertFalse(BayesOptimalPolicy.load(BanditPrior.CORRELATED, 40, folder).fromCache());
    assertFalse(BayesOptimalPolicy.load(BanditPrior.INDEPENDENT, 41, folder).fromCache());
  }

  @Test
  void badInputsAreRejectedWithClearMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, 0));
    assertEquals("horizon = 0; allowed: 1 to 200", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BayesOptimalPolicy.compute(BanditPrior.FIXED, 10));
    assertEquals("prior = FIXED; allowed: independent, correlated", e.getMessage());
    BayesOptimalPolicy policy = BayesOptimalPolicy.compute(BanditPrior.INDEPENDENT, 10);
    e = assertThrows(IllegalArgumentException.class, () -> policy.decision(-1, 0, 0, 0));
    assertEquals("counts = (-1, 0, 0, 0); allowed: non-negative successes and failures", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> policy.decision(5, 5, 0, 0));
    assertTrue(e.getMessage().startsWith("trials so far = 10; allowed: 0 to 9"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new BayesOptimalAgent(4, null));
    assertTrue(e.getMessage().startsWith("policy is null"));
  }
}
