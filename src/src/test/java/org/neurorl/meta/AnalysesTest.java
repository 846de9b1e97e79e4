package org.neurorl.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurorl.env.BanditPrior;

class AnalysesTest {
  private static final TinyRnn NET = new TinyRnn(3, 6);

  /** Plain cyclic Jacobi eigen-solver in float64 (the independent check of LAPACK's ssyevd). */
  static double[][] jacobi(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = m[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-26) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    // rows: [eigenvalue, eigenvector...], sorted by eigenvalue descending
    double[][] out = new double[n][n + 1];
    for (int j = 0; j < n; j++) {
      out[j][0] = a[j][j];
      for (int i = 0; i < n; i++) {
        out[j][i + 1] = v[i][j];
      }
    }
    java.util.Arrays.sort(out, (x, y) -> Double.compare(y[0], x[0]));
    return out;
  }

  @Test
  void pcaAgreesWithAPlainJacobiSolver() {
    int rows = 80;
    int n = 7;
    Random r = new Random(5);
    float[] data = new float[rows * n];
    // correlated columns with clearly separated variances, so the eigenvectors are well defined
    for (int k = 0; k < rows; k++) {
      double z1 = r.nextGaussian() * 3;
      double z2 = r.nextGaussian() * 1.5;
      for (int i = 0; i < n; i++) {
        data[k * n + i] = (float) (z1 * Math.cos(i) + z2 * Math.sin(2 * i) + 0.3 * r.nextGaussian() * (i + 1) / n + 2);
      }
    }
    HiddenPca.Pca pca = HiddenPca.pca(data, rows, n);
    double[] mean = new double[n];
    for (int k = 0; k < rows; k++) {
      for (int i = 0; i < n; i++) {
        mean[i] += data[k * n + i] / (double) rows;
      }
    }
    double[][] cov = new double[n][n];
    for (int k = 0; k < rows; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          cov[i][j] += (data[k * n + i] - mean[i]) * (data[k * n + j] - mean[j]) / (rows - 1);
        }
      }
    }
    double[][] ref = jacobi(cov);
    double total = 0;
    for (double[] e : ref) {
      total += e[0];
    }
    for (int k = 0; k < n; k++) {
      // ssyevd works in float32 on a covariance rounded to float: relative 1e-4 of the largest eigenvalue
      assertEquals(ref[k][0], pca.eigenvalues()[k], 1e-4 * ref[0][0], "eigenvalue " + k);
    }
    assertEquals(ref[0][0] / total, pca.varianceExplained()[0], 1e-5);
    for (int k = 0; k < 3; k++) { // the well-separated leading vectors, up to sign
      double dot = 0;
      for (int i = 0; i < n; i++) {
        dot += ref[k][i + 1] * pca.components()[k][i];
      }
      assertEquals(1.0, Math.abs(dot), 1e-4, "eigenvector " + k);
    }
    double sum = 0;
    for (double v : pca.varianceExplained()) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-9);
  }

  @Test
  void pcaOfNetworkEpisodesProjectsEveryTrial(@TempDir Path dir) throws Exception {
    TrainedNetwork net = new TrainedNetwork("tiny", "tiny", NET, NET.random(1f, 3), false);
    HiddenPca.Result r = HiddenPca.compute(net, HiddenPca.DEFAULT_P1, 30, 2);
    assertEquals(4, r.projection().length);
    assertEquals(30, r.projection()[0].length);
    assertEquals(2, r.projection()[0][0].length);
    // the projections are centred: their mean over all trials is 0 (to float round-off)
    double m1 = 0;
    for (double[][] e : r.projection()) {
      for (double[] p : e) {
        m1 += p[0];
      }
    }
    assertEquals(0.0, m1 / 120, 1e-5);
    Path png = HiddenPca.write(r, dir, "pca-tiny", "tiny", 500, 400);
    assertTrue(Files.size(png) > 1000);
    assertThrows(IllegalArgumentException.class, () -> HiddenPca.compute(net, new float[] {1.5f}, 30, 2));
  }

  @Test
  void heatMapHasOneRowPerGridValueAndOneColumnPerTrial(@TempDir Path dir) throws Exception {
    TrainedNetwork net = new TrainedNetwork("tiny", "tiny", NET, NET.random(1f, 3), false);
    NetworkHeatMap.Result r = NetworkHeatMap.compute(net, 101, 100, 1);
    assertEquals(101, r.arms().length);
    assertEquals(100, r.arms()[0].length);
    assertEquals(0.0, r.p1()[0], 0.0);
    assertEquals(0.5, r.p1()[50], 1e-7);
    assertEquals(1.0, r.p1()[100], 0.0);
    for (int[] row : r.arms()) {
      for (int a : row) {
        assertTrue(a == 0 || a == 1);
      }
    }
    NetworkHeatMap.Result bayes = NetworkHeatMap.bayesOptimal(BanditPrior.CORRELATED, 101, 100, 1);
    // the Bayes-optimal policy settles on the better arm on an easy grid: above 90% of trials overall
    assertTrue(bayes.meanFractionBetterArm() > 0.9, "Bayes-optimal: " + bayes.meanFractionBetterArm());
    var files = NetworkHeatMap.write(r, dir, 600, 400);
    assertEquals(101 + 1, Files.readAllLines(files.get(1)).size(), "header + one line per row");
    assertThrows(IllegalArgumentException.class, () -> NetworkHeatMap.compute(net, 1, 100, 1));
  }
}
