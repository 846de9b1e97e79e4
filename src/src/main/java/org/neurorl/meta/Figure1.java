package org.neurorl.meta;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.neurorl.kernel.Checks;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;
import org.neurorl.plot.Charts;
import org.neurorl.plot.FigureAgents;
import org.neurorl.sim.Json;
import org.neurorl.train.A2cConfig;
import org.neurorl.train.A2cTrainer;
import org.neurorl.train.Checkpoint;
import org.neurorl.train.Networks;
import org.neurorl.train.UpdateStats;

/**
 * The whole reproduction of Wang et al. (2018) Fig. 1 in one call: trains the LSTM and the plastic
 * network on the independent and on the correlated two-armed bandit with A2C ({@link A2cTrainer},
 * checkpointed: a second call resumes where the first stopped and ends at the same parameters), then
 * evaluates every trained network ({@link RegretEvaluation}, {@link NetworkHeatMap}, {@link HiddenPca},
 * the plastic network also with α = 0) and writes the figures, {@code figure1.json} and a
 * {@code README.md} into the output folder.
 */
public final class Figure1 {
  public static final String JSON = "figure1.json";
  public static final String README = "README.md";

  /**
   * @param out output folder (training runs in {@code out/train/<network>-<prior>/})
   * @param networks {@code lstm} and/or {@code plastic}
   * @param priors the training tasks: independent and/or correlated
   * @param trainEpisodes training episodes per network (a multiple of {@code batch})
   * @param batch episodes per A2C update
   * @param lstmHidden LSTM units
   * @param plasticHidden plastic RNN units
   * @param learningRate optimizer step size
   * @param optimizer adam or rmsprop
   * @param entropy c_e at the start
   * @param entropyFinal c_e at the end (linear anneal) or null for constant
   * @param trialInput whether the networks also see t/T
   * @param maxGradNorm gradient clipping norm
   * @param checkpointEvery updates between checkpoints
   * @param seed training seed (initial parameters and training episodes)
   * @param evalEpisodes evaluation episodes at (0.25, 0.75), 300 or more for the figure
   * @param evalSeed evaluation seed (the same episodes for every agent)
   * @param rows heat-map rows (101: p₁ in steps of 0.01)
   * @param gittinsGamma discount of the Gittins index
   * @param threads workers for the networks' forward and backward passes (results do not depend on it)
   * @param valueBias initial value-head bias {@code bv} (null: the network's own initialisation)
   */
  public record Options(Path out, List<String> networks, List<BanditPrior> priors, long trainEpisodes, int batch,
      int lstmHidden, int plasticHidden, float learningRate, String optimizer, float entropy, Float entropyFinal,
      boolean trialInput, float maxGradNorm, int checkpointEvery, long seed, int evalEpisodes, long evalSeed,
      int rows, double gittinsGamma, int threads, Float valueBias) {
    public Options {
      if (valueBias != null) {
        Checks.finite("valueBias (--value-bias)", valueBias);
      }
      if (out == null) {
        throw new IllegalArgumentException("out = null; allowed: a folder");
      }
      if (networks == null || networks.isEmpty()) {
        throw new IllegalArgumentException("networks = " + networks + "; allowed: lstm, plastic or both");
      }
      for (String n : networks) {
        if (!A2cConfig.NETWORKS.contains(n)) {
          throw new IllegalArgumentException("network = " + n + "; allowed: " + String.join(", ", A2cConfig.NETWORKS));
        }
      }
      if (priors == null || priors.isEmpty()) {
        throw new IllegalArgumentException("priors = " + priors + "; allowed: independent, correlated or both");
      }
      for (BanditPrior p : priors) {
        if (p == BanditPrior.FIXED) {
          throw new IllegalArgumentException("prior = fixed; allowed: independent, correlated");
        }
      }
      Checks.range("batch", batch, 1, 1 << 16);
      if (trainEpisodes < batch || trainEpisodes % batch != 0) {
        throw new IllegalArgumentException("episodes = " + trainEpisodes + "; allowed: a positive multiple of batch = "
            + batch);
      }
      Checks.range("evalEpisodes", evalEpisodes, 2, 1 << 22);
      Checks.range("rows", rows, 2, 10_001);
      Checks.range("threads", threads, 1, 1024);
      networks = List.copyOf(networks);
      priors = List.copyOf(priors);
    }
  }

  /** One trained network: its config, the updates done, the wall-clock of this call's training, the curve. */
  record Trained(TrainedNetwork network, BanditPrior prior, A2cConfig config, int updates, int updatesAtStart,
      double trainSeconds, double trainSecondsAllCalls, List<UpdateStats> curve) {}

  /** Training wall-clock summed over every call that trained this network (a resumed run has several). */
  public static final String WALL_CLOCK = "wallclock.json";

  private final Options options;
  private final PrintStream log;
  private final Map<String, Double> phases = new LinkedHashMap<>();
  private volatile A2cTrainer running;
  private volatile boolean stopRequested;

  public Figure1(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  /** Asks the run to stop after the current A2C update (it checkpoints first); safe from any thread. */
  public void requestStop() {
    stopRequested = true;
    A2cTrainer t = running;
    if (t != null) {
      t.requestStop();
    }
  }

  /** The A2C config of one network on one prior. */
  public A2cConfig config(String network, BanditPrior prior) {
    A2cConfig d = A2cConfig.defaults();
    int hidden = network.equals("lstm") ? options.lstmHidden() : options.plasticHidden();
    return new A2cConfig(network, hidden, options.trialInput(), d.traceRate(), d.stdpRate(), d.plasticityRate(),
        d.plasticityClip(), prior.label(), null, 100, d.gamma(), d.valueCoefficient(), options.entropy(),
        options.entropyFinal(), options.optimizer(), options.learningRate(), options.maxGradNorm(), options.batch(),
        options.trainEpisodes(), options.seed(), options.checkpointEvery(), options.valueBias());
  }

  /**
   * Runs everything; {@code provenance} (command, machine) goes into the JSON. Returns false when a
   * stop was requested before the end (training checkpointed; nothing evaluated).
   */
  public boolean run(Map<String, Object> provenance) throws IOException {
    long start = System.nanoTime();
    Path out = options.out();
    Files.createDirectories(out);
    List<Trained> trained = new ArrayList<>();
    try (Parallel pool = Parallel.of(options.threads())) {
      for (BanditPrior prior : options.priors()) {
        for (String network : options.networks()) {
          Trained t = train(network, prior, pool);
          if (t == null) {
            return false;
          }
          trained.add(t);
        }
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("figure", "Wang et al. 2018 Fig. 1: meta-RL on two-armed bandits");
      json.putAll(provenance);
      json.put("training", trainingMap(trained));
      long t0 = System.nanoTime();
      Map<String, Object> evaluations = new LinkedHashMap<>();
      List<RegretEvaluation.Result> results = new ArrayList<>();
      for (BanditPrior prior : options.priors()) {
        List<TrainedNetwork> nets = new ArrayList<>();
        for (Trained t : trained) {
          if (t.prior() == prior) {
            nets.addAll(withAlphaZero(t.network()));
          }
        }
        RegretEvaluation.Options eo = new RegretEvaluation.Options(options.evalEpisodes(), 100,
            new float[] {0.25f, 0.75f}, prior, options.gittinsGamma(), options.evalSeed());
        RegretEvaluation.Result r = RegretEvaluation.evaluate(eo, nets, pool);
        results.add(r);
        RegretEvaluation.write(r, out, "regret-" + prior.label(), "Trained on the " + prior.label() + " bandit",
            1100, 700);
        Map<String, Object> m = RegretEvaluation.toMap(r);
        m.put("png", "regret-" + prior.label() + ".png");
        m.put("csv", "regret-" + prior.label() + ".csv");
        evaluations.put(prior.label(), m);
        log.println(summary(r));
      }
      phase("evaluation (regret)", t0);
      json.put("regret", evaluations);

      t0 = System.nanoTime();
      List<Map<String, Object>> heatmaps = new ArrayList<>();
      for (Trained t : trained) {
        for (TrainedNetwork n : withAlphaZero(t.network())) {
          NetworkHeatMap.Result h = NetworkHeatMap.compute(n, options.rows(), 100, options.evalSeed());
          NetworkHeatMap.write(h, out, 1000, 650);
          Map<String, Object> m = NetworkHeatMap.toMap(h);
          m.put("trainedOn", t.prior().label());
          heatmaps.add(m);
        }
      }
      for (BanditPrior prior : options.priors()) {
        NetworkHeatMap.Result h = NetworkHeatMap.bayesOptimal(prior, options.rows(), 100, options.evalSeed());
        NetworkHeatMap.write(h, out, 1000, 650);
        heatmaps.add(NetworkHeatMap.toMap(h));
      }
      phase("heat maps", t0);
      json.put("heatmaps", heatmaps);

      t0 = System.nanoTime();
      List<Map<String, Object>> pcas = new ArrayList<>();
      for (Trained t : trained) {
        for (TrainedNetwork n : withAlphaZero(t.network())) {
          HiddenPca.Result p = HiddenPca.compute(n, HiddenPca.DEFAULT_P1, 100, options.evalSeed());
          HiddenPca.write(p, out, "pca-" + n.id(), n.label(), 1000, 650);
          Map<String, Object> m = HiddenPca.toMap(p);
          m.put("png", "pca-" + n.id() + ".png");
          pcas.add(m);
        }
      }
      phase("PCA", t0);
      json.put("pca", pcas);

      t0 = System.nanoTime();
      writeTrainingCurves(trained, out.resolve("training-curves.png"));
      phase("training-curve figure", t0);

      phases.put("total", (System.nanoTime() - start) * 1e-9);
      json.put("wallClockSeconds", new LinkedHashMap<>(phases));
      json.put("reproductionSeconds", reproductionSeconds(trained));
      Json.writeAtomically(out.resolve(JSON), json);
      Charts.writeText(out.resolve(README), readme(provenance, trained, results));
      log.printf(Locale.ROOT, "wrote %s and %s (%.1f s)%n", out.resolve(JSON), out.resolve(README),
          phases.get("total"));
      return true;
    }
  }

  /**
   * The wall-clock of the whole reproduction: every network's training summed over all calls (resumed
   * runs included), plus this call's evaluation phases.
   */
  private double reproductionSeconds(List<Trained> trained) {
    double s = phases.get("total");
    for (Trained t : trained) {
      s += t.trainSecondsAllCalls() - t.trainSeconds();
    }
    return s;
  }

  private static List<TrainedNetwork> withAlphaZero(TrainedNetwork n) {
    if (n.network().layout().names().contains("alpha")) {
      return List.of(n, n.withoutPlasticity(n.id() + "-alpha0", n.label() + ", plasticity off (α = 0)"));
    }
    return List.of(n);
  }

  private void phase(String name, long t0) {
    phases.put(name, (System.nanoTime() - t0) * 1e-9);
  }

  /** Trains (or resumes, or just loads when finished) one network; null when stopped. */
  private Trained train(String network, BanditPrior prior, Parallel pool) throws IOException {
    A2cConfig config = config(network, prior);
    String id = network + "-" + prior.label();
    Path dir = options.out().resolve("train").resolve(id);
    Files.createDirectories(dir);
    Path checkpoint = dir.resolve(A2cTrainer.CHECKPOINT);
    RecurrentNetwork net = Networks.create(config);
    A2cTrainer trainer;
    if (Files.exists(checkpoint)) {
      Checkpoint c = Checkpoint.read(checkpoint);
      // checkpoints written before A2cConfig had initialValueBias carry null there; the bias only shaped the
      // initial parameters, which the checkpoint already holds, so such a checkpoint continues as before
      boolean predatesBias = c.config().initialValueBias() == null
          && c.config().withInitialValueBias(config.initialValueBias()).equals(config);
      if (!c.config().equals(config) && !predatesBias) {
        throw new IllegalArgumentException("the checkpoint in " + dir + " was trained with " + c.config()
            + ", not " + config + "; allowed: the same options as the run that wrote it (or another --out)");
      }
      trainer = A2cTrainer.resume(c, net, pool);
    } else {
      // the config's initialValueBias (--value-bias) is applied by Networks.initialParameters
      trainer = new A2cTrainer(config, net, Networks.initialParameters(config, net), pool);
    }
    int atStart = trainer.updates();
    long t0 = System.nanoTime();
    if (!trainer.finished()) {
      log.printf(Locale.ROOT, "training %s on the %s bandit: %d episodes (%s, %d units), from update %d of %d%n",
          id, prior.label(), config.episodes(), net.implementation(), config.hidden(), atStart, config.updates());
      running = trainer;
      trainer.onWarning(w -> log.println("warning: " + id + ": " + w));
      if (stopRequested) {
        trainer.requestStop();
      }
      int every = Math.max(1, config.updates() / 50);
      double[] window = new double[1];
      A2cTrainer.Outcome o = trainer.run(dir, s -> {
        window[0] += s.meanReward();
        if (s.update() % every == 0) {
          log.printf(Locale.ROOT, "  %s update %d/%d (episode %d): mean reward/trial %.3f, entropy %.3f, %.0f s%n",
              id, s.update(), config.updates(), s.episodes(), window[0] / every, s.entropy(),
              (System.nanoTime() - t0) * 1e-9);
          window[0] = 0;
        }
      });
      running = null;
      double all = addTrainingSeconds(dir, (System.nanoTime() - t0) * 1e-9, net.implementation());
      if (!o.complete()) {
        log.printf(Locale.ROOT, "stopped %s at update %d after %.0f s of training in all; run the same command"
            + " again to resume%n", id, o.updates(), all);
        return null;
      }
    } else {
      trainer.save(dir);
    }
    double seconds = (System.nanoTime() - t0) * 1e-9;
    phases.put("training " + id, seconds);
    double allCalls = addTrainingSeconds(dir, 0, null);
    String label = String.format(Locale.ROOT, "%s (N = %d), trained on %s", network.equals("lstm") ? "LSTM"
        : "plastic RNN", config.hidden(), prior.label());
    TrainedNetwork tn = new TrainedNetwork(id, label, net, trainer.parameters(), config.trialInput());
    return new Trained(tn, prior, config, trainer.updates(), atStart, seconds, allCalls, trainer.curve());
  }

  /** Adds {@code seconds} to {@code dir/wallclock.json} (atomically) and returns the new total. */
  private static double addTrainingSeconds(Path dir, double seconds, String implementation) throws IOException {
    Path file = dir.resolve(WALL_CLOCK);
    double total = 0;
    int calls = 0;
    List<Object> implementations = new ArrayList<>();
    if (Files.exists(file)) {
      com.fasterxml.jackson.databind.JsonNode n = Json.MAPPER.readTree(file.toFile());
      total = n.path("trainSeconds").asDouble();
      calls = n.path("calls").asInt();
      n.path("implementations").forEach(x -> implementations.add(x.asText()));
    }
    if (implementation == null) {
      return total;
    }
    total += seconds;
    if (!implementations.contains(implementation)) {
      implementations.add(implementation);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainSeconds", total);
    m.put("calls", calls + 1);
    m.put("implementations", implementations);
    Json.writeAtomically(file, m);
    return total;
  }

  private Map<String, Object> trainingMap(List<Trained> trained) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Trained t : trained) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("network", t.network().id());
      m.put("implementation", t.network().network().implementation());
      m.put("parameters", t.network().network().layout().size());
      m.put("updates", t.updates());
      m.put("episodes", (long) t.updates() * t.config().batch());
      m.put("updatesBeforeThisCall", t.updatesAtStart());
      m.put("trainSecondsThisCall", t.trainSeconds());
      m.put("trainSecondsAllCalls", t.trainSecondsAllCalls());
      List<UpdateStats> c = t.curve();
      m.put("meanRewardFirst5PercentOfUpdates", meanReward(c, 0, Math.max(1, c.size() / 20)));
      m.put("meanRewardLast5PercentOfUpdates", meanReward(c, c.size() - Math.max(1, c.size() / 20), c.size()));
      m.put("exportedParameters", "train/" + t.network().id() + "/parameters/manifest.json");
      m.put("config", t.config());
      list.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainer", "A2C (org.neurorl.train.A2cTrainer), A2C-SPEC.md");
    m.put("runs", list);
    return m;
  }

  private static double meanReward(List<UpdateStats> c, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += c.get(i).meanReward();
    }
    return to > from ? s / (to - from) : Double.NaN;
  }

  /** Mean reward per trial against training episodes, smoothed over a window of updates. */
  private static void writeTrainingCurves(List<Trained> trained, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(600).title("A2C training: mean reward per trial")
        .xAxisTitle("training episodes").yAxisTitle("mean reward per trial (moving average)").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE)
        .setLegendPosition(Styler.LegendPosition.InsideSE).setAntiAlias(true);
    int colour = 0;
    for (Trained t : trained) {
      List<UpdateStats> c = t.curve();
      if (c.isEmpty()) {
        continue;
      }
      int window = Math.max(1, c.size() / 50);
      int n = c.size() - window + 1;
      double[] x = new double[n];
      double[] y = new double[n];
      double sum = 0;
      for (int i = 0; i < c.size(); i++) {
        sum += c.get(i).meanReward();
        if (i >= window) {
          sum -= c.get(i - window).meanReward();
        }
        if (i >= window - 1) {
          x[i - window + 1] = c.get(i).episodes();
          y[i - window + 1] = sum / window;
        }
      }
      XYSeries s = chart.addSeries(t.network().label(), x, y);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Charts.PALETTE[colour++ % Charts.PALETTE.length]);
      if (colour == 1) {
        // an invisible point at 0 so the x ticks fall on round numbers of episodes
        XYSeries anchor = chart.addSeries("x-axis anchor", new double[] {0}, new double[] {y[0]});
        anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setShowInLegend(false);
      }
    }
    Charts.writePng(chart, png);
  }

  /** One line per agent: regret at the last trial with its interval, and the gap to Bayes-optimal. */
  static String summary(RegretEvaluation.Result r) {
    StringBuilder sb = new StringBuilder();
    RegretEvaluation.Options o = r.options();
    sb.append(String.format(Locale.ROOT, "regret at trial %d, p = (%s, %s), %d episodes, Bayes-optimal for the %s"
        + " prior:%n", o.trials(), o.probabilities()[0], o.probabilities()[1], o.episodes(), o.prior().label()));
    for (RegretEvaluation.AgentRegret a : r.agents()) {
      sb.append(String.format(Locale.ROOT, "  %-32s %7.3f ± %.3f", a.id(), a.finalMean(), a.finalCi95()));
      if (!RegretEvaluation.CLASSIC.contains(a.id())) {
        RegretEvaluation.Gap g = r.gap(a.id(), "bayes-optimal");
        sb.append(String.format(Locale.ROOT, "   (− Bayes-optimal: %+.3f ± %.3f)", g.mean(), g.ci95()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private String readme(Map<String, Object> provenance, List<Trained> trained, List<RegretEvaluation.Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Wang et al. 2018, Figure 1: meta-RL on two-armed bandits\n\n");
    sb.append("Produced by\n\n```bash\n").append(provenance.getOrDefault("command", "./neurorl figure1"))
        .append("\n```\n\n");
    sb.append("All numbers, with 95% intervals, are in [`figure1.json`](figure1.json) (machine, JDK and the "
        + "wall-clock of every phase included). Training runs, checkpoints, learning curves and the trained "
        + "parameters (`.npy` per tensor + `manifest.json`) are in `train/<network>-<prior>/`.\n\n");
    sb.append("## Training\n\n| network | updates × batch = episodes | training wall-clock (s) | mean reward/trial,"
        + " first → last 5% of updates |\n|---|---|---|---|\n");
    for (Trained t : trained) {
      List<UpdateStats> c = t.curve();
      sb.append(String.format(Locale.ROOT, "| %s | %d × %d = %d | %.0f | %.3f → %.3f |%n", t.network().label(),
          t.updates(), t.config().batch(), (long) t.updates() * t.config().batch(), t.trainSecondsAllCalls(),
          meanReward(c, 0, Math.max(1, c.size() / 20)),
          meanReward(c, c.size() - Math.max(1, c.size() / 20), c.size())));
    }
    A2cConfig c0 = trained.get(0).config();
    sb.append(String.format(Locale.ROOT, "%nA2C: %s, learning rate %s, batch %d, γ = %s, c_v = %s, c_e = %s%s,"
        + " gradient clip %s, trial-index input %s, seed %d.%n%n", c0.optimizer(), c0.learningRate(), c0.batch(),
        c0.gamma(), c0.valueCoefficient(), c0.entropyCoefficient(),
        c0.entropyFinal() == null ? "" : " → " + c0.entropyFinal() + " (linear)", c0.maxGradNorm(),
        c0.trialInput() ? "on" : "off", c0.seed()));
    if (c0.batch() != 32 || c0.learningRate() != 7e-4f || options.valueBias() != null) {
      sb.append("Differences from the peers' settings (batch 32, learning rate 7e-4, value head initialised like the"
          + " other weights):");
      if (c0.batch() != 32) {
        sb.append(" batch ").append(c0.batch()).append(';');
      }
      if (c0.learningRate() != 7e-4f) {
        sb.append(" learning rate ").append(c0.learningRate()).append(';');
      }
      if (options.valueBias() != null) {
        sb.append(" value bias bv initialised to ").append(options.valueBias())
            .append(" (about the discounted return 0.5 / (1 − γ) of a random policy, so the advantages are"
                + " centred from the first update);");
      }
      sb.setLength(sb.length() - 1);
      sb.append(". `results/README.md` says what was tried and why.\n\n");
    }
    sb.append("![training](training-curves.png)\n\n");
    sb.append("## Cumulative regret at (0.25, 0.75) (Fig. 1d)\n\n");
    sb.append("Every agent plays the same episodes with the same reward draws; networks sample actions from"
        + " their policy as in training. The gap is the paired difference over episodes.\n\n");
    for (RegretEvaluation.Result r : results) {
      RegretEvaluation.Options o = r.options();
      sb.append(String.format(Locale.ROOT, "### Trained on the %s bandit (Bayes-optimal for the %s prior)%n%n",
          o.prior().label(), o.prior().label()));
      sb.append(String.format(Locale.ROOT, "| agent | regret at trial %d (mean ± 95%%) | − Bayes-optimal | − Gittins |"
          + " − Thompson | − UCB1 |%n|---|---|---|---|---|---|%n", o.trials()));
      for (RegretEvaluation.AgentRegret a : r.agents()) {
        sb.append(String.format(Locale.ROOT, "| %s | %.3f ± %.3f |", a.curve().label(), a.finalMean(),
            a.finalCi95()));
        if (RegretEvaluation.CLASSIC.contains(a.id())) {
          sb.append(" | | | |\n");
        } else {
          for (String ref : List.of("bayes-optimal", "gittins", "thompson", "ucb1")) {
            RegretEvaluation.Gap g = r.gap(a.id(), ref);
            sb.append(String.format(Locale.ROOT, " %+.3f ± %.3f |", g.mean(), g.ci95()));
          }
          sb.append('\n');
        }
      }
      sb.append(String.format(Locale.ROOT, "%n![regret %s](regret-%s.png)%n%n", o.prior().label(),
          o.prior().label()));
    }
    sb.append("## Action heat maps (Fig. 1c)\n\nOne episode per p₁ ∈ {0.00, 0.01, …, 1.00} with p₂ = 1 − p₁"
        + " (the correlated task's support; the networks trained on the independent bandit are shown on the same"
        + " grid), one column per trial. `heatmap-<agent>.png/.csv`.\n\n");
    for (Trained t : trained) {
      for (TrainedNetwork n : withAlphaZero(t.network())) {
        sb.append("![").append(n.id()).append("](heatmap-").append(n.id()).append(".png)\n");
      }
    }
    sb.append("\n## PCA of the hidden activity (Fig. 1e)\n\nFour episodes, p₁ ∈ {0.1, 0.3, 0.7, 0.9}, p₂ = 1 − p₁,"
        + " 100 trials each; covariance of h over the 400 trials, eigen-decomposition by LAPACKE_ssyevd"
        + " (OpenBLAS through `native/`). Variance explained is in the JSON (`pca`).\n\n");
    for (Trained t : trained) {
      for (TrainedNetwork n : withAlphaZero(t.network())) {
        sb.append("![").append(n.id()).append("](pca-").append(n.id()).append(".png)\n");
      }
    }
    sb.append(String.format(Locale.ROOT, "%n## Wall clock%n%n"));
    if (provenance.get("machine") instanceof Map<?, ?> m) {
      sb.append(String.format(Locale.ROOT, "On %s (%s cores), Java %s, kernels %s, SIMD %s.%n%n", m.get("cpu"),
          m.get("cores"), m.get("java"), m.get("kernels"), m.get("simd")));
    }
    sb.append("| phase (this call) | seconds |\n|---|---|\n");
    for (Map.Entry<String, Double> e : phases.entrySet()) {
      sb.append(String.format(Locale.ROOT, "| %s | %.1f |%n", e.getKey(), e.getValue()));
    }
    sb.append(String.format(Locale.ROOT, "%nThe whole reproduction (training summed over every call that trained,"
        + " plus this call's analyses): **%.1f s**.%n", reproductionSeconds(trained)));
    return sb.toString();
  }

  /** Gittins γ default, re-exported for the command line. */
  public static double defaultGittinsGamma() {
    return FigureAgents.DEFAULT_GAMMA;
  }
}
