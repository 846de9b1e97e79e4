package org.neurorl.dra;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neurorl.env.GridMaze;
import org.neurorl.kernel.dra.DraParams;
import org.neurorl.plot.Charts;
import org.neurorl.sim.Json;
import org.neurorl.plot.TrialCurve;

/** Figures and the written conclusion of a {@link DraStudy}, from its result map (the same numbers as the JSON). */
public final class DraReport {
  private DraReport() {}

  @SuppressWarnings("unchecked")
  static <T> T get(Object map, String key) {
    return (T) ((Map<String, Object>) map).get(key);
  }

  static double num(Object map, String key) {
    Object v = get(map, key);
    if (v instanceof GridFit.Estimate e) {
      return e.value();
    }
    return ((Number) v).doubleValue();
  }

  static XYChart chart(String title, String x, String y, boolean logX) {
    XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(x).yAxisTitle(y).build();
    org.knowm.xchart.style.XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(0xDDDDDD));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    c.getStyler().setXAxisLogarithmic(logX);
    c.getStyler().setErrorBarsColorSeriesColor(true);
    return c;
  }

  static void series(XYChart c, String name, double[] x, double[] y, double[] err, int colour, boolean dashed) {
    XYSeries s = c.addSeries(name, x, y, err);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    Color col = Charts.PALETTE[colour % Charts.PALETTE.length];
    s.setLineColor(col);
    s.setMarkerColor(col);
    // 8 colours: past the eighth series the marker shape tells the lines apart
    s.setMarker(new org.knowm.xchart.style.markers.Marker[] {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP}[(colour / Charts.PALETTE.length) % 4]);
    s.setLineStyle(dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f)
        : new BasicStroke(2f));
  }

  /** Per-set averages (3 options each) of a per-option list of {mean, ci95} maps. */
  static double[][] bySet(List<Object> perOption) {
    double[] m = new double[4], ci = new double[4];
    for (int s = 0; s < 12; s++) {
      m[s / 3] += num(perOption.get(s), "mean") / 3;
      // the three options of a set are independent estimates: the interval of their mean
      ci[s / 3] += Math.pow(num(perOption.get(s), "ci95") / 3, 2);
    }
    for (int k = 0; k < 4; k++) {
      ci[k] = Math.sqrt(ci[k]);
    }
    return new double[][] {m, ci};
  }

  static double[] setLevels(Map<String, Object> mem) {
    double[] level = get(mem, "optionLevel");
    return new double[] {level[0], level[3], level[6], level[9]};
  }

  public static void write(Map<String, Object> result, Path out) throws IOException {
    Map<String, Object> memory = get(result, "memory");
    for (String manip : memory.keySet()) {
      Map<String, Object> mem = get(memory, manip);
      double[] x = setLevels(mem);
      String xTitle = manip.equals("frequency") ? "probability an option is shown" : "stake (reward of the correct answer)";
      List<Map<String, Object>> agents = get(mem, "agents");
      for (String measure : new String[] {"accuracy", "entropyBits"}) {
        XYChart c = chart((measure.equals("accuracy") ? "Accuracy" : "Choice entropy (bits)") + " vs " + manip
            + " (final policy, mean over agents, 95% CI)", xTitle, measure.equals("accuracy") ? "P(correct)" : "H (bits)",
            false);
        int k = 0;
        for (Map<String, Object> a : agents) {
          double[][] v = bySet(get(a, measure));
          series(c, get(a, "label"), x, v[0], v[1], k, k % 2 == 1);
          k++;
        }
        Charts.writePng(c, out.resolve(measure.equals("accuracy") ? "accuracy-" + manip + ".png"
            : "entropy-" + manip + ".png"));
      }
      XYChart c = chart("DRA: learned σ vs " + manip + " (mean over agents, 95% CI)", xTitle, "σ", false);
      int k = 0;
      for (Map<String, Object> a : agents) {
        if (get(a, "sigmaCorrectAction") == null || !((String) get(a, "label")).startsWith("DRA")) {
          continue;
        }
        double[][] sc = bySet(get(a, "sigmaCorrectAction")), sw = bySet(get(a, "sigmaWrongAction"));
        series(c, get(a, "label") + " correct action", x, sc[0], sc[1], k, false);
        series(c, get(a, "label") + " wrong action", x, sw[0], sw[1], k, true);
        k++;
      }
      Charts.writePng(c, out.resolve("sigma-" + manip + ".png"));
      XYChart f = chart("Soft Q fitted to each agent: ΔLL per trial by set (" + manip + ", 95% bootstrap CI)", xTitle,
          "log-lik(generator) − log-lik(fitted soft Q) per trial", false);
      k = 0;
      for (Map<String, Object> fit : (List<Map<String, Object>>) get(mem, "softQFittedTo")) {
        List<GridFit.Estimate> bySet = get(fit, "deltaLogLikelihoodPerTrialBySet");
        double[] y = new double[4], err = new double[4];
        for (int s = 0; s < 4; s++) {
          y[s] = bySet.get(s).value();
          err[s] = 0.5 * (bySet.get(s).hi() - bySet.get(s).lo());
        }
        series(f, get(fit, "data") + " (α̂=" + get(fit, "best") + ")", x, y, err, k, k % 2 == 1);
        k++;
      }
      Charts.writePng(f, out.resolve("fit-softq-" + manip + ".png"));
    }
    Map<String, Object> maze = get(result, "maze");
    List<TrialCurve> curves = new ArrayList<>();
    for (Map<String, Object> a : (List<Map<String, Object>>) get(maze, "agents")) {
      String label = get(a, "label");
      curves.add(new TrialCurve(label.replace(' ', '-'), label, get(a, "stepsMean"), get(a, "stepsCi95"), 0));
    }
    XYChart m = Charts.linesWithBands("Maze: moves to the goal per episode, mean and 95% CI (goal moves after episode "
        + ((Number) get(maze, "switchEpisode")).intValue() + ")",
        "moves to goal", curves, 1000, 600);
    m.setXAxisTitle("episode");
    Charts.writePng(m, out.resolve("maze-steps.png"));
  }

  // ---------------------------------------------------------------------------------------- conclusion

  static String est(GridFit.Estimate e) {
    return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.lo(), e.hi());
  }

  static String mc(Object m) {
    return String.format(Locale.ROOT, "%.3f ± %.3f", num(m, "mean"), num(m, "ci95"));
  }

  /** CONCLUSION.md: tables of the numbers and the verdict the numbers support. */
  @SuppressWarnings("unchecked")
  public static String conclusion(Map<String, Object> result, DraSpec spec, String command) {
    StringBuilder md = new StringBuilder();
    md.append("# DRA versus maximum-entropy RL: identical or not, and where?\n\n");
    md.append("Generated by `").append(command).append("` from the numbers in `dra.json` (same run). ");
    md.append("Intervals are 95%: normal intervals across agents (±), or bootstrap over agents ([lo, hi]). ");
    md.append("ΔLL = log-likelihood of the generating agent's own choice probabilities minus that of the best-fitting ");
    md.append("other model, per trial (nats): 0 means the other model reproduces the choices as well as the truth.\n\n");
    md.append("## Method in brief\n\n");
    md.append(String.format(Locale.ROOT, "- Memory task: 12 options in 4 sets of 3, %d trials, %d agents per model, ratio %.3g "
        + "between set 3 and set 0 (graded ratio^(k/3)); the correct answer pays the option's stake, the other 0.\n",
        spec.trials(), spec.agents(), spec.ratio()));
    md.append(String.format(Locale.ROOT, "- DRA: β=%.3g, α_q=%.3g, σ_base=%.3g, σ_min=%.3g, α_σ=%.3g, N_traj=%d, ψ=%s; "
        + "after every trial N_traj one-trial rollouts (options drawn from the task's own distribution, fresh ζ) "
        + "feed the σ update of MODELS.md §4b, applied to every (option, action) (Patel, Acerbi & Pouget 2020, "
        + "Algorithm 1; σ starts at σ_base).\n", spec.beta(), spec.learningRate(), spec.sigmaBase(), spec.sigmaMin(),
        spec.sigmaRate(), spec.rollouts(), spec.psi()));
    md.append("- Equal precision: the DRA policy with one σ per agent for every memory, fixed from trial 0 at the value whose "
        + "total KL cost equals the final total cost of the DRA agent with the same index (so it pays DRA's end-of-"
        + "training price from the start: its early trials are advantaged).\n");
    md.append("- Soft Q (γ = 0): values follow the rewards exactly as DRA's q̄ do (same learning rate), so on this task "
        + "soft Q at temperature α and softmax Q at β = 1/α are the same model; only the policy differs from DRA's.\n");
    md.append("- Fits: soft Q's α by maximum likelihood (grid, pooled over agents) on the other agent's trials; DRA's (λ, β) "
        + "on a grid, replaying the observed options, choices and rewards (DRA's rollouts are its own simulation, so "
        + "its likelihood is one sample). Each agent's choice probability is marginal over ζ for DRA and equal "
        + "precision (quadrature), exact softmax for the Q-learners. The soft-Q-on-soft-Q and DRA-on-DRA rows are the "
        + "noise floors of each direction.\n\n");
    Map<String, Object> memory = get(result, "memory");
    List<String> verdicts = new ArrayList<>();
    for (String manip : memory.keySet()) {
      Map<String, Object> mem = get(memory, manip);
      md.append("## Memory task, ").append(manip).append(" manipulation\n\n");
      double[] x = setLevels(mem);
      md.append(String.format(Locale.ROOT, "Set levels (%s): %.3g, %.3g, %.3g, %.3g.\n\n",
          manip.equals("frequency") ? "probability an option is shown" : "stake", x[0], x[1], x[2], x[3]));
      md.append("| agent | reward/trial | reward/trial, 2nd half | accuracy set 0 → set 3 | entropy (bits) set 0 → set 3 | σ correct set 0 → set 3 |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Map<String, Object> a : (List<Map<String, Object>>) get(mem, "agents")) {
        double[][] acc = bySet(get(a, "accuracy")), ent = bySet(get(a, "entropyBits"));
        String sig = "";
        if (get(a, "sigmaCorrectAction") != null) {
          double[][] s = bySet(get(a, "sigmaCorrectAction"));
          sig = String.format(Locale.ROOT, "%.3f → %.3f", s[0][0], s[0][3]);
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f ± %.3f → %.3f ± %.3f | %.3f ± %.3f → %.3f ± %.3f | %s |\n",
            get(a, "label"), mc(get(a, "rewardPerTrial")), mc(get(a, "rewardPerTrialSecondHalf")), acc[0][0], acc[1][0], acc[0][3], acc[1][3], ent[0][0],
            ent[1][0], ent[0][3], ent[1][3], sig));
      }
      md.append("\n**Soft Q fitted to each agent** (one α per agent type, pooled over agents):\n\n");
      md.append("| data | α̂ (bootstrap 95%) | ΔLL/trial | ΔLL/trial by set 0, 1, 2, 3 |\n|---|---|---|---|\n");
      double floorHi = 0;
      for (Map<String, Object> fit : (List<Map<String, Object>>) get(mem, "softQFittedTo")) {
        if (((String) get(fit, "data")).startsWith("soft Q")) {
          floorHi = Math.max(floorHi, ((GridFit.Estimate) get(fit, "deltaLogLikelihoodPerTrial")).hi());
        }
      }
      for (Map<String, Object> fit : (List<Map<String, Object>>) get(mem, "softQFittedTo")) {
        List<GridFit.Estimate> bySet = get(fit, "deltaLogLikelihoodPerTrialBySet");
        List<String> bb = get(fit, "bestBootstrap95");
        GridFit.Estimate d = get(fit, "deltaLogLikelihoodPerTrial");
        md.append(String.format(Locale.ROOT, "| %s | %s%s [%s, %s] | %s | %s; %s; %s; %s |\n", get(fit, "data"),
            get(fit, "best"), Boolean.TRUE.equals(get(fit, "atGridEdge")) ? " (grid edge)" : "", bb.get(0), bb.get(1), est(d), est(bySet.get(0)), est(bySet.get(1)), est(bySet.get(2)),
            est(bySet.get(3))));
        String data = get(fit, "data");
        if (data.startsWith("DRA")) {
          boolean distinct = d.lo() > floorHi;
          GridFit.Estimate control = null;
          for (Map<String, Object> other : (List<Map<String, Object>>) get(mem, "softQFittedTo")) {
            if (((String) get(other, "data")).equals("equal precision (cost of " + data + ")")) {
              control = get(other, "deltaLogLikelihoodPerTrial");
            }
          }
          verdicts.add(String.format(Locale.ROOT, "%s, %s: soft Q (best α=%s) %s DRA's choices: ΔLL/trial %s "
              + "(soft Q fitted to its own data: upper bound %.4f); largest in set %d%s.", manip, data, get(fit, "best"),
              distinct ? "does not reproduce" : "reproduces, within the intervals,", est(d), floorHi, argmax(bySet),
              control == null ? "" : String.format(Locale.ROOT, "; for the equal-precision control at the same cost "
                  + "ΔLL/trial is %s, so %s", est(control), control.hi() < d.lo()
                      ? "most of the difference comes from allocating precision unequally, not from the noise itself"
                      : "the noise itself (not its allocation) accounts for the difference")));
        }
      }
      md.append(String.format(Locale.ROOT, "\n**DRA fitted to each agent** (grid λ ∈ %s × β ∈ %s; α_q, σ_base, σ_min, α_σ, "
          + "N_traj as the study):\n\n", fmtList(spec.fitLambdas()), fmtList(spec.fitBetas())));
      md.append("| data | best (λ, β) | ΔLL/trial | ΔLL/trial by set 0, 1, 2, 3 |\n|---|---|---|---|\n");
      GridFit.Estimate draFloor = null;
      for (Map<String, Object> fit : (List<Map<String, Object>>) get(mem, "draFittedTo")) {
        if (((String) get(fit, "data")).startsWith("DRA")) {
          draFloor = get(fit, "deltaLogLikelihoodPerTrial");
        }
      }
      for (Map<String, Object> fit : (List<Map<String, Object>>) get(mem, "draFittedTo")) {
        List<GridFit.Estimate> bySet = get(fit, "deltaLogLikelihoodPerTrialBySet");
        GridFit.Estimate d = get(fit, "deltaLogLikelihoodPerTrial");
        md.append(String.format(Locale.ROOT, "| %s | %s%s | %s | %s; %s; %s; %s |\n", get(fit, "data"), get(fit, "best"),
            Boolean.TRUE.equals(get(fit, "atGridEdge")) ? " (grid edge)" : "", est(d), est(bySet.get(0)), est(bySet.get(1)), est(bySet.get(2)), est(bySet.get(3))));
        if (((String) get(fit, "data")).startsWith("soft Q")) {
          String floor = "";
          if (draFloor != null) {
            floor = String.format(Locale.ROOT, "; DRA refitted to its own choices leaves %s (its replay draws its own "
                + "rollouts, so even the true model does not score 0), so soft Q's choices are %s", est(draFloor),
                d.lo() > draFloor.hi() ? "further from DRA than DRA is from itself: DRA does not reproduce them"
                    : d.hi() < draFloor.lo() ? "reproduced by DRA as well as DRA's own choices are"
                        : "about as far from DRA as DRA's own choices are");
          }
          verdicts.add(String.format(Locale.ROOT, "%s, %s: the best DRA (%s%s) leaves ΔLL/trial %s%s.", manip,
              get(fit, "data"), get(fit, "best"), Boolean.TRUE.equals(get(fit, "atGridEdge"))
                  ? ", at the edge of the grid: a wider grid could fit better" : "", est(d), floor));
        }
      }
      md.append('\n');
    }
    Map<String, Object> maze = get(result, "maze");
    md.append("## Maze: adaptation after the goal moves\n\n");
    md.append(String.format(Locale.ROOT, "Shortest paths: %d moves to the first goal, %d to the second.\n\n",
        ((Number) get(maze, "shortestPathA")).intValue(), ((Number) get(maze, "shortestPathB")).intValue()));
    md.append("| agent | moves, last 10 episodes before the switch | first 10 after | last 10 of the run | episodes to recover* |\n");
    md.append("|---|---|---|---|---|\n");
    for (Map<String, Object> a : (List<Map<String, Object>>) get(maze, "agents")) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d |\n", get(a, "label"), mc(get(a, "beforeSwitchLast10")),
          mc(get(a, "afterSwitchFirst10")), mc(get(a, "afterSwitchLast10")), ((Number) get(a, "episodesToRecover")).intValue()));
    }
    md.append("\n*first episode after the switch whose mean moves fall to 1.5× the pre-switch level (−1: never; "
        + "0 also when the agent never learned the first goal).\n\n");
    for (Map<String, Object> a : (List<Map<String, Object>>) get(maze, "agents")) {
      DraParams p = Json.MAPPER.convertValue(get(a, "params"), DraParams.class);
      if (p.model() == DraParams.Model.SOFT_Q) {
        double bonus = p.alpha() * Math.log(GridMaze.ACTIONS), cost = -GridMaze.STEP_REWARD;
        double late = num(get(a, "afterSwitchLast10"), "mean");
        verdicts.add(String.format(Locale.ROOT, "maze, %s: the entropy bonus of a uniform policy, α ln 4 = %.4f per move, "
            + "is %s the step cost %.2f; it needs %.1f moves per episode at the end of the run (shortest path %d)%s.",
            get(a, "label"), bonus, bonus > cost ? "above" : "below", cost, late, ((Number) get(maze, "shortestPathB")).intValue(),
            late > 0.9 * spec.mazeMaxSteps() ? ": wandering is worth more to it than the goal, so it rarely finishes"
                : ""));
      }
    }
    md.append("## Verdicts computed from these numbers\n\n");
    for (String v : verdicts) {
      md.append("- ").append(v).append('\n');
    }
    return md.toString();
  }

  private static String fmtList(List<Double> v) {
    return v.stream().map(x -> String.format(Locale.ROOT, "%.3g", x)).toList().toString();
  }

  private static int argmax(List<GridFit.Estimate> v) {
    int k = 0;
    for (int s = 1; s < v.size(); s++) {
      if (v.get(s).value() > v.get(k).value()) {
        k = s;
      }
    }
    return k;
  }
}
