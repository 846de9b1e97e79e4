package org.neurorl.dra;

import java.util.ArrayList;
import java.util.List;
import org.neurorl.kernel.Rng;

/**
 * Maximum-likelihood fit of one candidate model to a batch of agents' choices over a grid of parameter
 * values, pooled over agents (one parameter value for the whole batch, as "the temperature that best
 * fits this DRA setting"), with 95% intervals from a bootstrap over agents (each resample re-picks the
 * best grid point). Log-likelihoods are kept per agent and per option set, so the misfit can be split
 * by where it comes from.
 *
 * @param grid        the candidate parameter values (labels of the grid points)
 * @param fitted      log-likelihood [agent][set][grid point] of the candidate
 * @param truth       log-likelihood [agent][set] of the generating model (its own choice probabilities)
 * @param trials      trials [agent][set]
 */
public record GridFit(List<String> grid, double[][][] fitted, double[][] truth, int[][] trials) {

  /** A number with its 95% interval. */
  public record Estimate(double value, double lo, double hi) {}

  /**
   * The fit: the best grid point, and ΔLL per trial = (log-likelihood of the generating model − that of
   * the fitted candidate) / trials, overall and per set; ≥ 0 up to sampling noise when the candidate
   * cannot reproduce the generator, ≈ 0 when it can.
   */
  public record Result(String best, double bestLogLikelihoodPerTrial, List<String> bootstrapBest, Estimate deltaPerTrial,
      List<Estimate> deltaPerTrialBySet) {}

  public Result fit(long seed, int reps) {
    int b = truth.length, sets = truth[0].length, g = grid.size();
    int best = argmax(identity(b), g, sets);
    double[] point = delta(identity(b), best, sets);
    double[][] boot = new double[reps][];
    List<String> picks = new ArrayList<>();
    int key = Rng.key(seed, 4242);
    int[] idx = new int[b];
    for (int r = 0; r < reps; r++) {
      for (int i = 0; i < b; i++) {
        idx[i] = (int) (Rng.uniform(key, r * b + i) * b);
      }
      int gb = argmax(idx, g, sets);
      boot[r] = delta(idx, gb, sets);
      picks.add(grid.get(gb));
    }
    List<Estimate> bySet = new ArrayList<>();
    for (int k = 0; k < sets; k++) {
      bySet.add(estimate(point[k + 1], boot, k + 1));
    }
    double llFit = 0;
    long n = 0;
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < sets; k++) {
        llFit += fitted[i][k][best];
        n += trials[i][k];
      }
    }
    return new Result(grid.get(best), llFit / n, summarise(picks), estimate(point[0], boot, 0), bySet);
  }

  private static int[] identity(int b) {
    int[] idx = new int[b];
    for (int i = 0; i < b; i++) {
      idx[i] = i;
    }
    return idx;
  }

  private int argmax(int[] agents, int g, int sets) {
    int best = 0;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int x = 0; x < g; x++) {
      double ll = 0;
      for (int i : agents) {
        for (int k = 0; k < sets; k++) {
          ll += fitted[i][k][x];
        }
      }
      if (ll > bestLl) {
        bestLl = ll;
        best = x;
      }
    }
    return best;
  }

  /** [0] overall, [1 + k] set k: Σ (truth − fitted) / Σ trials over the agents listed. */
  private double[] delta(int[] agents, int x, int sets) {
    double[] num = new double[sets + 1], den = new double[sets + 1];
    for (int i : agents) {
      for (int k = 0; k < sets; k++) {
        double d = truth[i][k] - fitted[i][k][x];
        num[0] += d;
        den[0] += trials[i][k];
        num[k + 1] += d;
        den[k + 1] += trials[i][k];
      }
    }
    for (int k = 0; k <= sets; k++) {
      num[k] = den[k] > 0 ? num[k] / den[k] : Double.NaN;
    }
    return num;
  }

  private static Estimate estimate(double point, double[][] boot, int k) {
    double[] v = new double[boot.length];
    for (int r = 0; r < boot.length; r++) {
      v[r] = boot[r][k];
    }
    java.util.Arrays.sort(v);
    return new Estimate(point, v[(int) Math.floor(0.025 * (v.length - 1))], v[(int) Math.ceil(0.975 * (v.length - 1))]);
  }

  /** The 2.5% and 97.5% quantiles of the bootstrap's best grid points, in grid order. */
  private List<String> summarise(List<String> picks) {
    int[] pos = new int[picks.size()];
    for (int r = 0; r < pos.length; r++) {
      pos[r] = grid.indexOf(picks.get(r));
    }
    java.util.Arrays.sort(pos);
    return List.of(grid.get(pos[(int) Math.floor(0.025 * (pos.length - 1))]),
        grid.get(pos[(int) Math.ceil(0.975 * (pos.length - 1))]));
  }
}
