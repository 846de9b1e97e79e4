package org.neurorl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurorl.plot.CueValueFigure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurorl plot cue-values}: the value of each cue's rewarded action over trials, tabular vs latent Q. */
@Command(name = "cue-values", sortOptions = false,
    description = "Value of the rewarded action over trials for each cue of the cue-action task (4 actions, cues"
        + " 0-3 active; at trial T/2 + 1 cues 0, 1 are dropped and cues 4, 5 added), tabular Q vs latent Q,"
        + " mean over episodes with a shaded 95%% interval: cue-values.png (both panels),"
        + " cue-values-tabular.png, cue-values-latent.png, cue-values.csv, cue-values.json.")
public final class CueValuesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for the PNG, CSV and JSON files (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results", "figures");

  @Option(names = "--episodes", description = "Episodes (each learner starts naive), 2 to 2^22 (default: ${DEFAULT-VALUE}).")
  int episodes = 300;

  @Option(names = "--trials", description = "Trials per episode, 2 to 100000; the cues switch at trials/2 (default: ${DEFAULT-VALUE}).")
  int trials = 200;

  @Option(names = {"--eta", "--learning-rate"}, description = "Learning rate η of both learners, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double eta = 0.1;

  @Option(names = "--beta", description = "Softmax inverse temperature β, > 0 (default: ${DEFAULT-VALUE}).")
  double beta = 5;

  @Option(names = "--latent", paramLabel = "K", description = "Latent units K of latent Q, 1 to 16 (default: ${DEFAULT-VALUE}).")
  int latentUnits = 2;

  @Option(names = "--init-scale", description = "Latent Q's initial W, Q ~ U(-s, s), > 0 (default: ${DEFAULT-VALUE}).")
  double initScale = 0.5;

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--width", description = "Width of each panel in pixels, 300 to 8000 (default: ${DEFAULT-VALUE}).")
  int width = 1000;

  @Option(names = "--height", description = "Height of each panel in pixels, 200 to 8000 (default: ${DEFAULT-VALUE}).")
  int height = 600;

  @Override
  public Integer call() throws IOException {
    if (width < 300 || width > 8000) {
      throw new IllegalArgumentException("width = " + width + "; allowed: 300 to 8000 pixels");
    }
    if (height < 200 || height > 8000) {
      throw new IllegalArgumentException("height = " + height + "; allowed: 200 to 8000 pixels");
    }
    CueValueFigure.Options o = new CueValueFigure.Options(episodes, trials, eta, beta, latentUnits, initScale, seed);
    long start = System.nanoTime();
    CueValueFigure.Result r = CueValueFigure.compute(o);
    List<Path> files = CueValueFigure.write(r, out, width, height, PlotCommand.provenance(spec));
    PrintStream p = System.out;
    for (Map<String, Object> m : CueValueFigure.summary(r)) {
      p.printf(Locale.ROOT, "%-10s cue %s  first %7.4f  before-switch %s  at-switch %s  last %7.4f ± %.4f%n",
          m.get("learner"), m.get("cue"), (Double) m.get("atFirstTrial"), format(m.get("beforeSwitch")),
          format(m.get("atSwitch")), (Double) m.get("atLastTrial"), (Double) m.get("atLastTrialCi95"));
    }
    PlotCommand.report(p, files);
    p.printf(Locale.ROOT, "%.2f s%n", (System.nanoTime() - start) * 1e-9);
    p.flush();
    return 0;
  }

  private static String format(Object v) {
    return v == null ? "      -" : String.format(Locale.ROOT, "%7.4f", (Double) v);
  }
}
