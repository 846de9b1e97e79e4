package org.neurorl.meta;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neurorl.env.BanditPrior;
import org.neurorl.env.BernoulliBandit;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.nativeblas.OpenBlas;
import org.neurorl.plot.Charts;

/**
 * Wang et al. (2018) Fig. 1e: principal components of a trained network's hidden activity {@code h} over
 * the trials of a few episodes. The {@code h} vectors of all trials of all episodes are pooled, centred,
 * their covariance (float64 sums) is diagonalised by LAPACK's {@code ssyevd} through {@code native/}
 * ({@link OpenBlas#ssyevd}), and every trial is projected on the leading components, so each episode is a
 * trajectory in the plane of the first two.
 */
public final class HiddenPca {
  /** The default episodes: p₁ of each, p₂ = 1 − p₁ (both arms better in two of them). */
  public static final float[] DEFAULT_P1 = {0.1f, 0.3f, 0.7f, 0.9f};

  /**
   * The decomposition: eigenvalues descending, {@code components[k]} the unit eigenvector of
   * {@code eigenvalues[k]} (sign fixed so its largest-magnitude entry is positive), the mean removed
   * before projecting, and the fraction of the total variance each component explains.
   */
  public record Pca(double[] mean, double[] eigenvalues, double[][] components, double[] varianceExplained) {
    /** Coordinates of row vector {@code x} on the first {@code k} components. */
    public double[] project(float[] x, int offset, int k) {
      double[] y = new double[k];
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int i = 0; i < mean.length; i++) {
          s += (x[offset + i] - mean[i]) * components[c][i];
        }
        y[c] = s;
      }
      return y;
    }
  }

  /** The episodes' hidden activity and their projection on the first two components. */
  public record Result(String network, float[] p1, int trials, int hidden, Pca pca, double[][][] projection,
      int[][] actions) {}

  private HiddenPca() {}

  /**
   * PCA of {@code rows × n} row-major data (each row one observation): covariance with divisor
   * {@code rows − 1}, eigen-decomposition by LAPACKE_ssyevd (float32, as the library binds it).
   *
   * @throws IllegalStateException when OpenBLAS or its LAPACKE is not loaded
   */
  public static Pca pca(float[] data, int rows, int n) {
    Checks.range("rows", rows, 2, Integer.MAX_VALUE);
    Checks.range("n", n, 1, 4096);
    Checks.finiteArray("data", data, (long) rows * n);
    double[] mean = new double[n];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        mean[i] += data[r * n + i];
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] /= rows;
    }
    double[] cov = new double[n * n];
    double[] d = new double[n];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < n; i++) {
        d[i] = data[r * n + i] - mean[i];
      }
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          cov[i * n + j] += d[i] * d[j];
        }
      }
    }
    float[] a = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        float v = (float) (cov[i * n + j] / (rows - 1));
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    OpenBlas blas = OpenBlas.get().orElseThrow(() -> new IllegalStateException(
        "PCA needs LAPACK through OpenBLAS, which is not loaded: " + OpenBlas.failure()));
    if (!blas.hasLapack()) {
      throw new IllegalStateException("PCA needs LAPACKE_ssyevd, which the loaded BLAS does not have");
    }
    float[] w = new float[n];
    blas.ssyevd(true, n, a, w);
    // ssyevd: ascending eigenvalues, column j of the row-major result is the eigenvector of w[j]
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    double total = 0;
    for (int k = 0; k < n; k++) {
      int j = n - 1 - k;
      // round-off can make a zero eigenvalue of a rank-deficient covariance slightly negative
      values[k] = Math.max(0.0, w[j]);
      total += values[k];
      int argMax = 0;
      for (int i = 0; i < n; i++) {
        vectors[k][i] = a[i * n + j];
        if (Math.abs(vectors[k][i]) > Math.abs(vectors[k][argMax])) {
          argMax = i;
        }
      }
      if (vectors[k][argMax] < 0) {
        for (int i = 0; i < n; i++) {
          vectors[k][i] = -vectors[k][i];
        }
      }
    }
    double[] explained = new double[n];
    for (int k = 0; k < n; k++) {
      explained[k] = total > 0 ? values[k] / total : 0;
    }
    return new Pca(mean, values, vectors, explained);
  }

  /**
   * Plays one episode per {@code p1[e]} ({@code p₂ = 1 − p₁}) with the network as slot {@code e}, collects
   * {@code h} after every trial, and projects all of them on the first two components of their pooled PCA.
   */
  public static Result compute(TrainedNetwork net, float[] p1, int trials, long seed) {
    if (p1 == null || p1.length < 1 || p1.length > 16) {
      throw new IllegalArgumentException("p1 = " + Arrays.toString(p1) + "; allowed: 1 to 16 probabilities");
    }
    Checks.probabilities("p1", p1, p1.length);
    Checks.range("trials", trials, 2, 200);
    int n = net.network().hidden();
    int episodes = p1.length;
    float[] data = new float[episodes * trials * n];
    int[][] actions = new int[episodes][trials];
    int[] action = new int[1];
    float[] reward = new float[1];
    boolean[] truncated = new boolean[1];
    for (int e = 0; e < episodes; e++) {
      BernoulliBandit env = new BernoulliBandit(1, 2, trials, BanditPrior.FIXED, new float[] {p1[e], 1f - p1[e]},
          false, seed, e);
      NetworkAgent agent = new NetworkAgent(net, 1, trials, seed, e, Parallel.serial());
      env.reset(0, null);
      agent.reset(0);
      for (int t = 0; t < trials; t++) {
        agent.act(null, action);
        actions[e][t] = action[0];
        env.step(action, null, reward, null, truncated);
        agent.observe(action, reward, truncated);
        System.arraycopy(agent.hidden(t), 0, data, (e * trials + t) * n, n);
      }
      agent.close();
    }
    Pca pca = pca(data, episodes * trials, n);
    int k = Math.min(2, n);
    double[][][] projection = new double[episodes][trials][];
    for (int e = 0; e < episodes; e++) {
      for (int t = 0; t < trials; t++) {
        projection[e][t] = pca.project(data, (e * trials + t) * n, k);
      }
    }
    return new Result(net.id(), p1.clone(), trials, n, pca, projection, actions);
  }

  /** {@code <name>.png}: each episode's trajectory in the plane of PC1 and PC2, its first trial marked. */
  public static Path write(Result r, Path dir, String name, String title, int width, int height) throws IOException {
    double[] ve = r.pca().varianceExplained();
    XYChart chart = new XYChartBuilder().width(width).height(height).title(String.format(Locale.ROOT,
        "%s: hidden activity on PC1/PC2 (%.1f%% + %.1f%% of variance)", title, 100 * ve[0],
        ve.length > 1 ? 100 * ve[1] : 0.0)).xAxisTitle(String.format(Locale.ROOT, "PC1 (%.1f%%)", 100 * ve[0]))
        .yAxisTitle(String.format(Locale.ROOT, "PC2 (%.1f%%)", ve.length > 1 ? 100 * ve[1] : 0.0)).build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setLegendPosition(Styler.LegendPosition.OutsideE).setAntiAlias(true);
    chart.getStyler().setPlotGridLinesColor(new Color(0xDDDDDD));
    for (int e = 0; e < r.p1().length; e++) {
      double[] x = new double[r.trials()];
      double[] y = new double[r.trials()];
      for (int t = 0; t < r.trials(); t++) {
        x[t] = r.projection()[e][t][0];
        y[t] = r.projection()[e][t].length > 1 ? r.projection()[e][t][1] : 0;
      }
      Color c = Charts.PALETTE[e % Charts.PALETTE.length];
      XYSeries s = chart.addSeries(String.format(Locale.ROOT, "p = (%.2f, %.2f)", r.p1()[e], 1f - r.p1()[e]), x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setLineColor(c);
      s.setMarkerColor(c);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineStyle(new BasicStroke(1.2f));
      XYSeries start = chart.addSeries("start " + e, new double[] {x[0]}, new double[] {y[0]});
      start.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      start.setMarker(SeriesMarkers.DIAMOND);
      start.setMarkerColor(Color.BLACK);
      start.setShowInLegend(e == 0);
      if (e == 0) {
        start.setLabel("first trial");
      }
    }
    Path png = dir.resolve(name + ".png");
    Charts.writePng(chart, png);
    return png;
  }

  /** The numbers for the JSON: variance explained, eigenvalues, and the 2-D trajectories. */
  public static Map<String, Object> toMap(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network", r.network());
    m.put("episodesP1", r.p1());
    m.put("p2", "1 - p1");
    m.put("trials", r.trials());
    m.put("hiddenUnits", r.hidden());
    m.put("method", "covariance of h over all trials of all episodes (centred, divisor rows - 1, float64 sums),"
        + " eigen-decomposition by LAPACKE_ssyevd through native/ OpenBlas");
    double[] ve = r.pca().varianceExplained();
    m.put("varianceExplained", Arrays.copyOf(ve, Math.min(10, ve.length)));
    m.put("varianceExplainedPc1Pc2", ve[0] + (ve.length > 1 ? ve[1] : 0));
    double[] ev = r.pca().eigenvalues();
    m.put("eigenvalues", Arrays.copyOf(ev, Math.min(10, ev.length)));
    List<Object> traj = new ArrayList<>();
    for (int e = 0; e < r.p1().length; e++) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("p1", r.p1()[e]);
      t.put("pc", r.projection()[e]);
      t.put("actions", r.actions()[e]);
      traj.add(t);
    }
    m.put("episodes", traj);
    return m;
  }
}
