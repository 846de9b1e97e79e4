package org.neurorl.dra;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurorl.env.GridMaze;
import org.neurorl.env.MemoryTask;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;

/**
 * The whole study behind {@code neurorl dra}: runs the agents on both tasks, computes the measures and
 * the fits, and returns them as a JSON-ready map ({@link DraReport} writes files from it).
 */
public final class DraStudy {
  private DraStudy() {}

  /** Mean and 95% normal interval half-width of per-agent values. */
  static Map<String, Object> meanCi(double[] v) {
    double m = 0, ss = 0;
    for (double x : v) {
      m += x;
    }
    m /= v.length;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    double ci = v.length > 1 ? 1.96 * Math.sqrt(ss / (v.length - 1) / v.length) : Double.NaN;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mean", m);
    out.put("ci95", ci);
    return out;
  }

  static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }

  /** Runs everything. */
  public static Map<String, Object> run(DraSpec spec, DraKernel kernel, Parallel parallel, PrintStream log) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kernel", kernel.implementation());
    Map<String, Object> memory = new LinkedHashMap<>();
    for (MemoryTask.Manipulation m : MemoryTask.Manipulation.values()) {
      memory.put(m.name().toLowerCase(Locale.ROOT), memory(spec, m, kernel, parallel, log));
    }
    out.put("memory", memory);
    out.put("maze", maze(spec, kernel, parallel, log));
    return out;
  }

  // ------------------------------------------------------------------------------------- memory task

  static Map<String, Object> memory(DraSpec spec, MemoryTask.Manipulation m, DraKernel kernel, Parallel parallel,
      PrintStream log) {
    MemoryTask task = new MemoryTask(m, spec.ratio(), spec.agents(), spec.seed(), 0);
    List<MemoryRun> runs = new ArrayList<>();
    long seed = spec.seed() * 1000 + m.ordinal() * 100;
    for (double lambda : spec.lambdas()) {
      long t0 = System.nanoTime();
      MemoryRun dra = MemoryRun.run("DRA λ=" + lambda, kernel, spec.dra(lambda), task, spec.trials(), seed++, null, null,
          parallel);
      runs.add(dra);
      float[] shared = new float[spec.agents()];
      for (int i = 0; i < shared.length; i++) {
        shared[i] = (float) DraParams.equalCostSigma(dra.totalCost(i), MemoryTask.OPTIONS * MemoryTask.ACTIONS,
            spec.sigmaBase());
        shared[i] = Math.min(Math.max(shared[i], spec.sigmaMin()), spec.sigmaBase());
      }
      runs.add(MemoryRun.run("equal precision (cost of DRA λ=" + lambda + ")", kernel,
          DraParams.equalPrecision(spec.beta(), spec.learningRate(), 0f, spec.sigmaBase(), spec.sigmaMin()), task,
          spec.trials(), seed++, shared, null, parallel));
      log.printf(Locale.ROOT, "memory %s: DRA λ=%s and its equal-precision control, %.1f s%n", m, lambda,
          (System.nanoTime() - t0) / 1e9);
    }
    for (double alpha : spec.alphas()) {
      runs.add(MemoryRun.run("soft Q α=" + alpha, kernel, DraParams.softQ((float) alpha, spec.learningRate(), 0f), task,
          spec.trials(), seed++, null, null, parallel));
    }
    runs.add(MemoryRun.run("softmax Q β=" + spec.softmaxBeta(), kernel,
        DraParams.softmaxQ(spec.softmaxBeta(), spec.learningRate(), 0f), task, spec.trials(), seed++, null, null,
        parallel));
    Map<String, Object> out = new LinkedHashMap<>();
    double[] level = new double[MemoryTask.OPTIONS];
    for (int s = 0; s < MemoryTask.OPTIONS; s++) {
      level[s] = m == MemoryTask.Manipulation.FREQUENCY ? task.frequency(s) : task.stake(s);
    }
    out.put("manipulation", m.name());
    out.put("optionLevel", level);
    List<Map<String, Object>> agents = new ArrayList<>();
    for (MemoryRun r : runs) {
      agents.add(describe(r));
    }
    out.put("agents", agents);
    // forward: soft Q fitted to each DRA / equal-precision run, and to soft Q itself (the noise floor)
    List<Map<String, Object>> forward = new ArrayList<>();
    for (MemoryRun r : runs) {
      if (r.params().model() == DraParams.Model.SOFTMAX_Q) {
        continue;
      }
      GridFit grid = softQFit(r, spec);
      GridFit.Result fit = grid.fit(spec.seed() + forward.size(), spec.bootstrap());
      Map<String, Object> entry = fitEntry(r.label(), "soft Q α", fit);
      int at = grid.grid().indexOf(fit.best());
      entry.put("atGridEdge", at == 0 || at == grid.grid().size() - 1);
      forward.add(entry);
      log.printf(Locale.ROOT, "memory %s: soft Q fitted to %s: α=%s, ΔLL/trial %s [%s, %s]%n", m, r.label(), fit.best(),
          fmt(fit.deltaPerTrial().value()), fmt(fit.deltaPerTrial().lo()), fmt(fit.deltaPerTrial().hi()));
    }
    out.put("softQFittedTo", forward);
    // reverse: DRA fitted to each soft Q run (and to the middle DRA run, its noise floor)
    List<Map<String, Object>> reverse = new ArrayList<>();
    List<MemoryRun> targets = new ArrayList<>();
    for (MemoryRun r : runs) {
      if (r.params().model() == DraParams.Model.SOFT_Q) {
        targets.add(r);
      }
    }
    targets.add(runs.get(2 * (spec.lambdas().size() / 2)));
    for (MemoryRun r : targets) {
      long t0 = System.nanoTime();
      GridFit grid = draFit(r, spec, task, kernel, parallel);
      GridFit.Result fit = grid.fit(spec.seed() + 77 + reverse.size(), spec.bootstrap());
      Map<String, Object> entry = fitEntry(r.label(), "DRA (λ, β)", fit);
      int at = grid.grid().indexOf(fit.best()), nl = spec.fitLambdas().size(), nb = spec.fitBetas().size();
      entry.put("atGridEdge", (nl > 1 && (at % nl == 0 || at % nl == nl - 1)) || (nb > 1 && (at / nl == 0
          || at / nl == nb - 1)));
      reverse.add(entry);
      log.printf(Locale.ROOT, "memory %s: DRA fitted to %s: %s, ΔLL/trial %s [%s, %s], %.1f s%n", m, r.label(), fit.best(),
          fmt(fit.deltaPerTrial().value()), fmt(fit.deltaPerTrial().lo()), fmt(fit.deltaPerTrial().hi()),
          (System.nanoTime() - t0) / 1e9);
    }
    out.put("draFittedTo", reverse);
    return out;
  }

  static Map<String, Object> fitEntry(String data, String model, GridFit.Result fit) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("data", data);
    e.put("model", model);
    e.put("best", fit.best());
    e.put("bestBootstrap95", fit.bootstrapBest());
    e.put("fittedLogLikelihoodPerTrial", fit.bestLogLikelihoodPerTrial());
    e.put("deltaLogLikelihoodPerTrial", fit.deltaPerTrial());
    e.put("deltaLogLikelihoodPerTrialBySet", fit.deltaPerTrialBySet());
    return e;
  }

  /** Final-policy accuracy, entropy, observed accuracy (second half) and σ per option, across agents. */
  static Map<String, Object> describe(MemoryRun r) {
    int b = r.agents();
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("label", r.label());
    a.put("params", r.params());
    List<Object> acc = new ArrayList<>(), ent = new ArrayList<>(), obs = new ArrayList<>(), sigC = new ArrayList<>(),
        sigW = new ArrayList<>();
    double[] v = new double[b], h = new double[b], o = new double[b], sc = new double[b], sw = new double[b];
    for (int s = 0; s < MemoryTask.OPTIONS; s++) {
      int c = MemoryTask.correctAction(s);
      for (int i = 0; i < b; i++) {
        v[i] = r.finalCorrect()[s * b + i];
        h[i] = ChoiceMath.entropyBits(v[i]);
        sc[i] = r.finalSigmas()[(s * 2 + c) * b + i];
        sw[i] = r.finalSigmas()[(s * 2 + 1 - c) * b + i];
        int n = 0, k = 0;
        for (int t = r.trials() / 2; t < r.trials(); t++) {
          if (r.options()[t * b + i] == s) {
            n++;
            k += r.actions()[t * b + i] == c ? 1 : 0;
          }
        }
        o[i] = n > 0 ? k / (double) n : Double.NaN;
      }
      acc.add(meanCi(v));
      ent.add(meanCi(h));
      obs.add(meanCi(finite(o)));
      if (r.params().noisy()) {
        sigC.add(meanCi(sc));
        sigW.add(meanCi(sw));
      }
    }
    a.put("accuracy", acc);
    a.put("entropyBits", ent);
    a.put("observedAccuracySecondHalf", obs);
    if (r.params().noisy()) {
      a.put("sigmaCorrectAction", sigC);
      a.put("sigmaWrongAction", sigW);
      double[] cost = new double[b];
      for (int i = 0; i < b; i++) {
        cost[i] = r.totalCost(i);
      }
      a.put("totalCost", meanCi(cost));
    }
    double[] rew = new double[b], late = new double[b];
    int half = r.trials() / 2;
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < r.trials(); t++) {
        rew[i] += r.rewards()[t * b + i];
        late[i] += t >= half ? r.rewards()[t * b + i] : 0;
      }
      rew[i] /= r.trials();
      late[i] /= r.trials() - half;
    }
    a.put("rewardPerTrial", meanCi(rew));
    a.put("rewardPerTrialSecondHalf", meanCi(late));
    return a;
  }

  private static double[] finite(double[] v) {
    return java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
  }

  /**
   * Soft Q (γ = 0, η = the generator's learning rate) on the generator's trials: its values follow the
   * observed rewards whatever α, exactly as DRA's q̄ do, so only the policy differs and the log-likelihood
   * is Σ log logistic(±Δ_t/α) with Δ_t the value difference before trial t.
   */
  static GridFit softQFit(MemoryRun r, DraSpec spec) {
    int b = r.agents(), g = spec.fitAlphas().size();
    double eta = r.params().learningRate();
    double[][][] fitted = new double[b][MemoryTask.SETS][g];
    double[][] truth = new double[b][MemoryTask.SETS];
    int[][] trials = new int[b][MemoryTask.SETS];
    double[] inv = new double[g];
    for (int x = 0; x < g; x++) {
      inv[x] = 1 / spec.fitAlphas().get(x);
    }
    double[] q = new double[MemoryTask.OPTIONS * 2];
    for (int i = 0; i < b; i++) {
      java.util.Arrays.fill(q, 0);
      for (int t = 0; t < r.trials(); t++) {
        int s = r.options()[t * b + i], a = r.actions()[t * b + i], k = MemoryTask.set(s);
        double delta = q[2 * s + a] - q[2 * s + 1 - a];
        for (int x = 0; x < g; x++) {
          fitted[i][k][x] += logLogistic(delta * inv[x]);
        }
        truth[i][k] += Math.log(Math.max(r.choiceProbability()[t * b + i], 1e-300));
        trials[i][k]++;
        q[2 * s + a] += eta * (r.rewards()[t * b + i] - q[2 * s + a]);
      }
    }
    List<String> grid = new ArrayList<>();
    for (double alpha : spec.fitAlphas()) {
      grid.add(fmt(alpha));
    }
    return new GridFit(grid, fitted, truth, trials);
  }

  static double logLogistic(double x) {
    return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
  }

  /**
   * DRA over (λ, β) on the generator's trials: each grid point replays the observed options, actions and
   * rewards through a DRA batch (forced actions), with its own rollouts sampled from the task, and scores
   * each observed choice by DRA's probability marginal over ζ. The rollouts make this likelihood itself
   * random (one sample of DRA's internal simulation per grid point).
   */
  static GridFit draFit(MemoryRun r, DraSpec spec, MemoryTask task, DraKernel kernel, Parallel parallel) {
    int b = r.agents();
    List<String> grid = new ArrayList<>();
    List<double[][]> ll = new ArrayList<>();
    MemoryTask rolloutTask = new MemoryTask(task.manipulation(), task.ratio(), b, spec.seed() + 555, 0);
    for (double beta : spec.fitBetas()) {
      for (double lambda : spec.fitLambdas()) {
        DraParams p = DraParams.dra((float) beta, r.params().learningRate(), 0f, spec.sigmaBase(), spec.sigmaMin(),
            spec.sigmaRate(), (float) lambda, spec.rollouts(), spec.psi());
        MemoryRun replay = MemoryRun.run("fit", kernel, p, rolloutTask, r.trials(), spec.seed() + 999, null, r.replay(),
            parallel);
        double[][] perSet = new double[b][MemoryTask.SETS];
        for (int i = 0; i < b; i++) {
          for (int t = 0; t < r.trials(); t++) {
            perSet[i][MemoryTask.set(r.options()[t * b + i])] +=
                Math.log(Math.max(replay.choiceProbability()[t * b + i], 1e-300));
          }
        }
        ll.add(perSet);
        grid.add("λ=" + fmt(lambda) + " β=" + fmt(beta));
      }
    }
    double[][][] fitted = new double[b][MemoryTask.SETS][grid.size()];
    double[][] truth = new double[b][MemoryTask.SETS];
    int[][] trials = new int[b][MemoryTask.SETS];
    for (int i = 0; i < b; i++) {
      for (int x = 0; x < grid.size(); x++) {
        for (int k = 0; k < MemoryTask.SETS; k++) {
          fitted[i][k][x] = ll.get(x)[i][k];
        }
      }
      for (int t = 0; t < r.trials(); t++) {
        int k = MemoryTask.set(r.options()[t * b + i]);
        truth[i][k] += Math.log(Math.max(r.choiceProbability()[t * b + i], 1e-300));
        trials[i][k]++;
      }
    }
    return new GridFit(grid, fitted, truth, trials);
  }

  // --------------------------------------------------------------------------------------------- maze

  static Map<String, Object> maze(DraSpec spec, DraKernel kernel, Parallel parallel, PrintStream log) {
    GridMaze maze = new GridMaze(spec.mazeSwitch(), spec.mazeMaxSteps());
    int b = spec.mazeAgents(), e = spec.mazeEpisodes();
    long seed = spec.seed() * 1000 + 500;
    long t0 = System.nanoTime();
    List<MazeRun> runs = new ArrayList<>();
    MazeRun dra = MazeRun.run("DRA λ=" + spec.mazeLambda(), kernel, spec.mazeDra(), maze, b, e, spec.mazeRolloutSteps(),
        seed, null, parallel);
    runs.add(dra);
    float[] shared = new float[b];
    for (int i = 0; i < b; i++) {
      shared[i] = (float) Math.min(Math.max(DraParams.equalCostSigma(dra.totalCost(i), MazeRun.openMemories(),
          spec.mazeSigmaBase()), spec.mazeSigmaMin()), spec.mazeSigmaBase());
    }
    runs.add(MazeRun.run("equal precision (same cost)", kernel, DraParams.equalPrecision(spec.mazeBeta(),
        spec.mazeLearningRate(), spec.mazeGamma(), spec.mazeSigmaBase(), spec.mazeSigmaMin()), maze, b, e,
        spec.mazeRolloutSteps(), seed + 1, shared, parallel));
    for (double alpha : spec.mazeAlphas()) {
      runs.add(MazeRun.run("soft Q α=" + alpha, kernel, DraParams.softQ((float) alpha, spec.mazeLearningRate(),
          spec.mazeGamma()), maze, b, e, spec.mazeRolloutSteps(), seed + 2 + runs.size(), null, parallel));
    }
    runs.add(MazeRun.run("softmax Q β=" + spec.mazeBeta(), kernel, DraParams.softmaxQ(spec.mazeBeta(),
        spec.mazeLearningRate(), spec.mazeGamma()), maze, b, e, spec.mazeRolloutSteps(), seed + 9, null, parallel));
    log.printf(Locale.ROOT, "maze: %d agents × %d × %d episodes, %.1f s%n", runs.size(), b, e, (System.nanoTime() - t0) / 1e9);
    int sw = spec.mazeSwitch();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("shortestPathA", GridMaze.shortestPath(GridMaze.GOAL_A));
    out.put("shortestPathB", GridMaze.shortestPath(GridMaze.GOAL_B));
    out.put("switchEpisode", sw);
    List<Map<String, Object>> agents = new ArrayList<>();
    for (MazeRun r : runs) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("label", r.label());
      a.put("params", r.params());
      double[] mean = new double[e], ci = new double[e];
      for (int k = 0; k < e; k++) {
        Map<String, Object> mc = meanCi(toDouble(r.steps()[k]));
        mean[k] = (double) mc.get("mean");
        ci[k] = (double) mc.get("ci95");
      }
      a.put("stepsMean", mean);
      a.put("stepsCi95", ci);
      a.put("beforeSwitchLast10", window(r, Math.max(0, sw - 10), sw));
      a.put("afterSwitchFirst10", window(r, sw, Math.min(e, sw + 10)));
      a.put("afterSwitchLast10", window(r, Math.max(sw, e - 10), e));
      a.put("episodesToRecover", recovery(mean, sw, 1.5 * (double) window(r, Math.max(0, sw - 10), sw).get("mean")));
      if (r.params().noisy()) {
        double[] cost = new double[b];
        for (int i = 0; i < b; i++) {
          cost[i] = r.totalCost(i);
        }
        a.put("totalCost", meanCi(cost));
      }
      agents.add(a);
    }
    out.put("agents", agents);
    return out;
  }

  private static double[] toDouble(int[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** Per-agent mean steps over episodes [from, to), then mean and interval across agents. */
  static Map<String, Object> window(MazeRun r, int from, int to) {
    double[] v = new double[r.agents()];
    for (int i = 0; i < r.agents(); i++) {
      for (int k = from; k < to; k++) {
        v[i] += r.steps()[k][i];
      }
      v[i] /= Math.max(1, to - from);
    }
    return meanCi(v);
  }

  /** Episodes after the switch until the mean steps first fall to {@code threshold} (−1 if never). */
  static int recovery(double[] mean, int from, double threshold) {
    for (int k = from; k < mean.length; k++) {
      if (mean[k] <= threshold) {
        return k - from;
      }
    }
    return -1;
  }
}
