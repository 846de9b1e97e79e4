package org.neurorl.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neurorl.env.CueActionTask;
import org.neurorl.sim.Json;
import org.neurorl.sim.RunningStats;

/**
 * The value of the correct action over trials for each cue of the cue–action task
 * ({@link CueActionTask#standard}: 4 actions, cues 0–3 active, at the switch trial {@code T/2} cues 0
 * and 1 are dropped and cues 4 and 5 added), for tabular Q and latent Q ({@link CueQLearners}).
 *
 * <p>Episode {@code i} is population slot {@code i}, one episode per slot, each learner starting naive;
 * both learners meet the same cue sequence and the same rewarded actions (the task's streams depend
 * only on the seed and the slot). At every trial {@code t} and for every cue {@code c} active in that
 * trial, the figure records the value the learner assigns to the rewarded action of {@code c} just
 * before it chooses (tabular: {@code Q(c, a*_c)}; latent: {@code W[c,:]·Q[:,a*_c]}), whichever cue
 * the trial shows; the curve is the mean over episodes with the normal 95% interval of the mean.
 * Values are added in slot order, so the numbers are the same bit for bit for the same options.
 */
public final class CueValueFigure {
  /** The learners, in panel order. */
  public static final List<String> LEARNERS = List.of("tabular-q", "latent-q");
  /** Slots simulated at once (memory bound; the numbers do not depend on it). */
  static final int BLOCK = 4096;
  static final int MAX_EPISODES = 1 << 22;
  static final int MAX_TRIALS = 100_000;

  /**
   * @param episodes episodes (population slots), 2 to 2²²
   * @param trials trials per episode, 2 to 100 000; the cue set switches at trial {@code trials / 2}
   * @param eta learning rate η of both learners, in (0, 1]
   * @param beta softmax inverse temperature β, finite and > 0
   * @param latentUnits latent units K of latent Q, 1 to 16
   * @param initScale latent Q's initial {@code W, Q ~ U(−σ, σ)}, σ finite and > 0
   * @param seed the run's seed
   */
  public record Options(int episodes, int trials, double eta, double beta, int latentUnits, double initScale,
      long seed) {
    public Options {
      range("episodes", episodes, 2, MAX_EPISODES);
      range("trials", trials, 2, MAX_TRIALS);
      if (!(eta > 0 && eta <= 1)) {
        throw new IllegalArgumentException("eta = " + eta + "; allowed: a rate in (0, 1]");
      }
      if (!(beta > 0) || !Double.isFinite(beta)) {
        throw new IllegalArgumentException("beta = " + beta + "; allowed: a finite value > 0");
      }
      range("latent", latentUnits, 1, 16);
      if (!(initScale > 0) || !Double.isFinite(initScale)) {
        throw new IllegalArgumentException("initScale = " + initScale + "; allowed: a finite value > 0");
      }
    }

    /** 300 episodes of 200 trials, η = 0.1, β = 5, K = 2, σ = 0.5, seed 1. */
    public static Options defaults() {
      return new Options(300, 200, 0.1, 5, 2, 0.5, 1);
    }

    private static void range(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " = " + value + "; allowed: " + min + " to " + max);
      }
    }
  }

  /**
   * One cue's curve for one learner: the mean value of its rewarded action at trials
   * {@code firstTrial … firstTrial + mean.length − 1} (0-based trial indices, the trials where it is active).
   */
  public record CueCurve(String learner, int cue, int firstTrial, double[] mean, double[] ci95, long samples) {
    public CueCurve {
      mean = mean.clone();
      ci95 = ci95.clone();
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] ci95() {
      return ci95.clone();
    }

    /** The mean at 0-based trial {@code t} (which must be one where the cue is active). */
    public double at(int t) {
      if (t < firstTrial || t >= firstTrial + mean.length) {
        throw new IllegalArgumentException("trial = " + t + "; allowed: " + firstTrial + " to "
            + (firstTrial + mean.length - 1) + " (where cue " + cue + " is active)");
      }
      return mean[t - firstTrial];
    }

    /** The 95% half-width at 0-based trial {@code t}. */
    public double ci95At(int t) {
      at(t);
      return ci95[t - firstTrial];
    }

    public int lastTrial() {
      return firstTrial + mean.length - 1;
    }
  }

  /** The curves of every learner and cue: {@code curves.get(learner)} lists cues 0 … S−1. */
  public record Result(Options options, int switchTrial, int cues, Map<String, List<CueCurve>> curves) {
    public CueCurve curve(String learner, int cue) {
      List<CueCurve> list = curves.get(learner);
      if (list == null) {
        throw new IllegalArgumentException("learner = " + learner + "; allowed: " + String.join(", ", LEARNERS));
      }
      return list.get(cue);
    }
  }

  private CueValueFigure() {}

  static CueQLearners.Learner learner(String name, Options o, CueActionTask task, int n, long first) {
    if (!LEARNERS.contains(name)) {
      throw new IllegalArgumentException("learner = " + name + "; allowed: " + String.join(", ", LEARNERS));
    }
    return (CueQLearners.Learner) CueQLearners.create(name, task, o.latentUnits(), o.eta(), o.beta(), o.initScale(),
        o.seed(), first);
  }

  public static Result compute(Options o) {
    CueActionTask probe = CueActionTask.standard(1, o.trials(), false, o.seed(), 0);
    int cues = probe.cueCount();
    int trials = o.trials();
    Map<String, List<CueCurve>> curves = new LinkedHashMap<>();
    for (String name : LEARNERS) {
      RunningStats[][] stats = new RunningStats[cues][trials];
      for (int c = 0; c < cues; c++) {
        for (int t = 0; t < trials; t++) {
          stats[c][t] = new RunningStats();
        }
      }
      for (long first = 0; first < o.episodes(); first += BLOCK) {
        int n = (int) Math.min(BLOCK, o.episodes() - first);
        run(o, name, n, first, stats);
      }
      List<CueCurve> list = new ArrayList<>(cues);
      for (int c = 0; c < cues; c++) {
        int from = -1;
        int to = -1;
        for (int t = 0; t < trials; t++) {
          if (probe.active(c, t)) {
            from = from < 0 ? t : from;
            to = t;
          }
        }
        double[] mean = new double[to - from + 1];
        double[] ci = new double[mean.length];
        for (int t = from; t <= to; t++) {
          mean[t - from] = stats[c][t].mean();
          ci[t - from] = stats[c][t].ci95();
        }
        list.add(new CueCurve(name, c, from, mean, ci, stats[c][from].count()));
      }
      curves.put(name, List.copyOf(list));
    }
    return new Result(o, probe.switchTrial(), cues, curves);
  }

  /** Plays one episode in slots {@code first … first + n − 1} and adds the recorded values to {@code stats}. */
  private static void run(Options o, String name, int n, long first, RunningStats[][] stats) {
    CueActionTask task = CueActionTask.standard(n, o.trials(), false, o.seed(), first);
    CueQLearners.Learner agent = learner(name, o, task, n, first);
    float[] obs = new float[n * task.observationSize()];
    int[] actions = new int[n];
    float[] rewards = new float[n];
    boolean[] truncated = new boolean[n];
    task.reset(0, obs);
    agent.reset(0);
    for (int t = 0; t < o.trials(); t++) {
      for (int c = 0; c < task.cueCount(); c++) {
        if (!task.active(c, t)) {
          continue;
        }
        RunningStats s = stats[c][t];
        for (int b = 0; b < n; b++) {
          s.add(agent.value(b, c, task.correctAction(b, c)));
        }
      }
      agent.act(obs, actions);
      task.step(actions, obs, rewards, null, truncated);
      agent.observe(actions, rewards, truncated);
    }
  }

  private static String cueLabel(int c, Result r) {
    int replaced = r.cues() - 4;
    if (c < replaced) {
      return "cue " + c + " (dropped at switch)";
    }
    if (c >= 4) {
      return "cue " + c + " (new at switch)";
    }
    return "cue " + c + " (kept)";
  }

  private static String learnerText(String learner, Options o) {
    return learner.equals("tabular-q")
        ? String.format(Locale.ROOT, "tabular Q (η = %s, β = %s)", o.eta(), o.beta())
        : String.format(Locale.ROOT, "latent Q (K = %d, η = %s, β = %s, σ = %s)", o.latentUnits(), o.eta(),
            o.beta(), o.initScale());
  }

  /** The panel of one learner: a line and shaded 95% band per cue, over the trials where the cue is active. */
  public static XYChart chart(Result r, String learner, int width, int height) {
    Options o = r.options();
    String title = String.format(Locale.ROOT, "Value of the rewarded action per cue, %s, %d episodes",
        learnerText(learner, o), o.episodes());
    XYChart chart = Charts.trialChart(title, "value of the cue's rewarded action", width, height,
        Styler.LegendPosition.InsideSE);
    XYStyler s = chart.getStyler();
    List<CueCurve> curves = r.curves().get(learner);
    double low = -1;
    double high = 1.05;
    for (CueCurve c : curves) {
      double[] m = c.mean();
      double[] h = c.ci95();
      for (int i = 0; i < m.length; i++) {
        low = Math.min(low, m[i] - h[i]);
        high = Math.max(high, m[i] + h[i]);
      }
    }
    s.setYAxisMin(low);
    s.setYAxisMax(high);
    s.setXAxisMin(0.0);
    s.setXAxisMax((double) o.trials());
    for (CueCurve c : curves) {
      Color colour = Charts.PALETTE[c.cue() % Charts.PALETTE.length];
      double[] m = c.mean();
      double[] h = c.ci95();
      int n = m.length;
      double[] bandX = new double[2 * n];
      double[] bandY = new double[2 * n];
      for (int i = 0; i < n; i++) {
        double half = Double.isFinite(h[i]) ? h[i] : 0;
        bandX[i] = c.firstTrial() + i + 1;
        bandY[i] = m[i] + half;
        bandX[2 * n - 1 - i] = c.firstTrial() + i + 1;
        bandY[2 * n - 1 - i] = m[i] - half;
      }
      XYSeries band = chart.addSeries("cue " + c.cue() + " 95% interval", bandX, bandY);
      band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 56));
      band.setLineColor(new Color(0, 0, 0, 0));
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(false);
    }
    for (CueCurve c : curves) {
      double[] x = new double[c.mean().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = c.firstTrial() + i + 1;
      }
      XYSeries line = chart.addSeries(cueLabel(c.cue(), r), x, c.mean());
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(Charts.PALETTE[c.cue() % Charts.PALETTE.length]);
      // new cues dashed, so the lines that start at the switch stand out from the kept ones
      line.setLineStyle(c.cue() >= 4
          ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f)
          : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      line.setMarker(SeriesMarkers.NONE);
    }
    double switchX = r.switchTrial() + 0.5;
    XYSeries marker = chart.addSeries(String.format(Locale.ROOT, "switch (trial %d): cues 0, 1 out, 4, 5 in",
        r.switchTrial() + 1), new double[] {switchX, switchX}, new double[] {low, high});
    marker.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    marker.setLineColor(new Color(0x777777));
    marker.setLineStyle(new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
        new float[] {3f, 4f}, 0f));
    marker.setMarker(SeriesMarkers.NONE);
    XYSeries zero = chart.addSeries("zero", new double[] {0.5, o.trials()}, new double[] {0, 0});
    zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    zero.setLineColor(new Color(0xAAAAAA));
    zero.setLineStyle(new BasicStroke(0.8f));
    zero.setMarker(SeriesMarkers.NONE);
    zero.setShowInLegend(false);
    return chart;
  }

  /**
   * Writes {@code cue-values.png} (both panels, tabular above latent), {@code cue-values-tabular.png},
   * {@code cue-values-latent.png}, {@code cue-values.csv} and {@code cue-values.json} into {@code dir}.
   * {@code provenance} (e.g. the command and the machine) is copied into the JSON.
   */
  public static List<Path> write(Result r, Path dir, int width, int height, Map<String, Object> provenance)
      throws IOException {
    List<Path> files = new ArrayList<>();
    List<BufferedImage> panels = new ArrayList<>();
    for (String learner : LEARNERS) {
      XYChart chart = chart(r, learner, width, height);
      Path png = dir.resolve("cue-values-" + (learner.equals("tabular-q") ? "tabular" : "latent") + ".png");
      Charts.writePng(chart, png);
      files.add(png);
      panels.add(BitmapEncoder.getBufferedImage(chart));
    }
    BufferedImage both = new BufferedImage(width, height * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, both.getWidth(), both.getHeight());
      for (int i = 0; i < panels.size(); i++) {
        g.drawImage(panels.get(i), 0, i * height, null);
      }
    } finally {
      g.dispose();
    }
    Path png = dir.resolve("cue-values.png");
    writeImage(both, png);
    files.add(0, png);
    Path csv = dir.resolve("cue-values.csv");
    Charts.writeText(csv, csv(r));
    files.add(csv);
    Path json = dir.resolve("cue-values.json");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("figure", "cue-values");
    meta.putAll(provenance);
    meta.put("options", optionsMap(r));
    meta.put("summary", summary(r));
    List<Map<String, Object>> curves = new ArrayList<>();
    for (String learner : LEARNERS) {
      for (CueCurve c : r.curves().get(learner)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learner", c.learner());
        m.put("cue", c.cue());
        m.put("firstTrial", c.firstTrial() + 1);
        m.put("lastTrial", c.lastTrial() + 1);
        m.put("samples", c.samples());
        m.put("mean", c.mean());
        m.put("ci95", c.ci95());
        curves.add(m);
      }
    }
    meta.put("curves", curves);
    Json.writeAtomically(json, meta);
    files.add(json);
    return files;
  }

  /** Long format: {@code learner,cue,trial,mean,ci95,lower,upper,samples}; trials 1-based, active ones only. */
  static String csv(Result r) {
    StringBuilder sb = new StringBuilder("learner,cue,trial,mean,ci95,lower,upper,samples\n");
    for (String learner : LEARNERS) {
      for (CueCurve c : r.curves().get(learner)) {
        double[] m = c.mean();
        double[] h = c.ci95();
        for (int i = 0; i < m.length; i++) {
          sb.append(learner).append(',').append(c.cue()).append(',').append(c.firstTrial() + i + 1).append(',')
              .append(m[i]).append(',').append(h[i]).append(',').append(m[i] - h[i]).append(',')
              .append(m[i] + h[i]).append(',').append(c.samples()).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /**
   * Per learner and cue: the mean value (and 95% half-width) at the cue's first active trial, at the last
   * trial before the switch and at the first trial after it (where active), and at its last active trial.
   */
  public static List<Map<String, Object>> summary(Result r) {
    List<Map<String, Object>> list = new ArrayList<>();
    int s = r.switchTrial();
    for (String learner : LEARNERS) {
      for (CueCurve c : r.curves().get(learner)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learner", learner);
        m.put("cue", c.cue());
        m.put("atFirstTrial", c.at(c.firstTrial()));
        if (c.firstTrial() <= s - 1 && c.lastTrial() >= s - 1) {
          m.put("beforeSwitch", c.at(s - 1));
        }
        if (c.firstTrial() <= s && c.lastTrial() >= s) {
          m.put("atSwitch", c.at(s));
          m.put("atSwitchCi95", c.ci95At(s));
        }
        m.put("atLastTrial", c.at(c.lastTrial()));
        m.put("atLastTrialCi95", c.ci95At(c.lastTrial()));
        list.add(m);
      }
    }
    return list;
  }

  static Map<String, Object> optionsMap(Result r) {
    Options o = r.options();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("episodes", o.episodes());
    m.put("trials", o.trials());
    m.put("switchTrial", r.switchTrial() + 1);
    m.put("task", "CueActionTask.standard: 4 actions, 4 active cues, reward +1 / -1, rewarded actions drawn per"
        + " episode; at the switch cues 0, 1 are dropped and cues 4, 5 added");
    m.put("eta", o.eta());
    m.put("beta", o.beta());
    m.put("latentUnits", o.latentUnits());
    m.put("initScale", o.initScale());
    m.put("seed", o.seed());
    m.put("policy", "softmax");
    m.put("recorded", "value of each active cue's rewarded action just before the choice of each trial;"
        + " tabular: Q(cue, correct); latent: W[cue,:]·Q[:,correct]");
    return m;
  }

  private static void writeImage(BufferedImage image, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer for " + file);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
