package org.neurorl.meta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.neurorl.env.BanditPrior;
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.plot.ActionHeatMap;
import org.neurorl.plot.Charts;
import org.neurorl.plot.FigureAgents;

/**
 * Wang et al. (2018) Fig. 1c for a trained network: one episode per {@code p₁ ∈ {0, 1/(rows−1), …, 1}}
 * with {@code p₂ = 1 − p₁}, rows ordered by {@code p₁}, the chosen arm at every trial. The rows are
 * {@link ActionHeatMap#playRows}'s, so a network meets exactly the episodes and reward draws the classic
 * agents' heat maps ({@code neurorl plot heatmap}) show. The grid is the correlated task's support; a
 * network trained on the independent prior is shown on the same grid (a subset of its task).
 */
public final class NetworkHeatMap {
  /** One heat map: {@code arms[row][trial]} in {0, 1}; {@code p1[row]}. */
  public record Result(String network, String label, double[] p1, int[][] arms) {
    /** Over rows with {@code p₁ ≠ 0.5}: the mean fraction of trials on the better arm. */
    public double meanFractionBetterArm() {
      double sum = 0;
      int counted = 0;
      for (int r = 0; r < p1.length; r++) {
        if (p1[r] != 0.5) {
          int arm2 = 0;
          for (int a : arms[r]) {
            arm2 += a;
          }
          double f2 = (double) arm2 / arms[r].length;
          sum += p1[r] > 0.5 ? 1 - f2 : f2;
          counted++;
        }
      }
      return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Over rows with {@code p₁ ≠ 0.5}: the fraction on the better arm at each trial. */
    public double[] betterArmByTrial() {
      int trials = arms[0].length;
      double[] f = new double[trials];
      int counted = 0;
      for (int r = 0; r < p1.length; r++) {
        if (p1[r] != 0.5) {
          int better = p1[r] > 0.5 ? 0 : 1;
          for (int t = 0; t < trials; t++) {
            f[t] += arms[r][t] == better ? 1 : 0;
          }
          counted++;
        }
      }
      for (int t = 0; t < trials; t++) {
        f[t] /= counted;
      }
      return f;
    }
  }

  private NetworkHeatMap() {}

  /** The rows for {@code net}: {@code rows} grid values of {@code p₁}, {@code trials} trials each. */
  public static Result compute(TrainedNetwork net, int rows, int trials, long seed) {
    Checks.range("rows", rows, 2, 10_001);
    Checks.range("trials", trials, 1, 200);
    ActionHeatMap.Options o = options(rows, trials, seed);
    int[][] arms = ActionHeatMap.playRows(o, (n, first) -> new NetworkAgent(net, n, trials, seed, first,
        Parallel.serial()));
    double[] p1 = new double[rows];
    for (int r = 0; r < rows; r++) {
      p1[r] = o.p1(r);
    }
    return new Result(net.id(), net.label(), p1, arms);
  }

  /** The Bayes-optimal policy for {@code prior} on the same rows (for reading a network's map against it). */
  public static Result bayesOptimal(BanditPrior prior, int rows, int trials, long seed) {
    ActionHeatMap.Options o = options(rows, trials, seed);
    FigureAgents a = new FigureAgents(List.of("bayes-optimal"), FigureAgents.DEFAULT_GAMMA, prior,
        FigureAgents.DEFAULT_LEARNING_RATE, FigureAgents.DEFAULT_BETA, FigureAgents.DEFAULT_LATENT_UNITS,
        FigureAgents.DEFAULT_INIT_SCALE);
    int[][] arms = ActionHeatMap.playRows(o, a.classicFactory("bayes-optimal", trials, seed));
    double[] p1 = new double[rows];
    for (int r = 0; r < rows; r++) {
      p1[r] = o.p1(r);
    }
    return new Result("bayes-optimal-" + prior.label(), a.label("bayes-optimal"), p1, arms);
  }

  private static ActionHeatMap.Options options(int rows, int trials, long seed) {
    // the FigureAgents of the options are not used by playRows; the record needs a valid one
    return new ActionHeatMap.Options(FigureAgents.defaults(BanditPrior.CORRELATED), rows, trials, seed);
  }

  /** {@code heatmap-<id>.png} and {@code .csv} (columns {@code p1,p2,a1..aT}, arms numbered 1 and 2). */
  public static List<Path> write(Result r, Path dir, int width, int height) throws IOException {
    HeatMapChart chart = Charts.actionHeatMap(String.format(Locale.ROOT, "Chosen arm, %s; p₂ = 1 − p₁",
        r.label()), "p₁ (one episode per row)", r.p1(), r.arms(), width, height);
    Path png = dir.resolve("heatmap-" + r.network() + ".png");
    Path csv = dir.resolve("heatmap-" + r.network() + ".csv");
    Charts.writePng(chart, png);
    StringBuilder sb = new StringBuilder("p1,p2");
    int trials = r.arms()[0].length;
    for (int t = 1; t <= trials; t++) {
      sb.append(",a").append(t);
    }
    sb.append('\n');
    for (int row = 0; row < r.p1().length; row++) {
      float p = (float) r.p1()[row];
      sb.append(p).append(',').append(1f - p);
      for (int t = 0; t < trials; t++) {
        sb.append(',').append(r.arms()[row][t] + 1);
      }
      sb.append('\n');
    }
    Charts.writeText(csv, sb.toString());
    List<Path> files = new ArrayList<>();
    files.add(png);
    files.add(csv);
    return files;
  }

  public static Map<String, Object> toMap(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agent", r.network());
    m.put("label", r.label());
    m.put("rows", r.p1().length);
    m.put("grid", "p1 = r / (rows - 1), p2 = 1 - p1, one episode per row (ActionHeatMap.playRows)");
    m.put("png", "heatmap-" + r.network() + ".png");
    m.put("csv", "heatmap-" + r.network() + ".csv");
    m.put("meanFractionBetterArm", r.meanFractionBetterArm());
    double[] b = r.betterArmByTrial();
    m.put("betterArmFirst10Trials", mean(b, 0, Math.min(10, b.length)));
    m.put("betterArmLast10Trials", mean(b, Math.max(0, b.length - 10), b.length));
    return m;
  }

  private static double mean(double[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / (to - from);
  }
}
