package org.neurorl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurorl.env.BanditPrior;
import org.neurorl.plot.ActionHeatMap;
import org.neurorl.plot.FigureAgents;
import org.neurorl.plot.RegretComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurorl plot}: the figures of Wang et al. (2018) Fig. 1c–d as PNG files, each with the CSV and
 * JSON of the numbers behind it. Every figure is deterministic for its options and seed.
 */
@Command(name = "plot",
    description = {"Draw figures as PNG (XChart) with the numbers behind them (CSV, JSON).",
        "Each figure is deterministic for its options and --seed."},
    subcommands = {PlotCommand.Regret.class, PlotCommand.HeatMap.class, CueValuesCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Examples:", "  neurorl plot regret --out results/figures --episodes 300 --seed 1",
        "  neurorl plot heatmap --out results/figures --seed 1"})
public final class PlotCommand implements Runnable {
  @Spec
  CommandSpec command;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  public void run() {
    command.commandLine().usage(System.out);
  }

  /** Runs {@code plot} with {@code args} and returns the exit code; bad input gives one line, exit 2. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new PlotCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IOException
          || e instanceof java.io.UncheckedIOException) {
        cmd.getErr().println("neurorl plot " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  /** For running the figures before {@code plot} is registered in {@link Main}. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The options every figure shares: which agents, their parameters, the seed and the output. */
  static final class Common {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the PNG, CSV and JSON files (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results", "figures");

    @Option(names = "--agent", split = ",", paramLabel = "NAME",
        description = "Agents, comma-separated, in legend order: ucb1, thompson, gittins, bayes-optimal, tabular-q, latent-q (default: all).")
    List<String> agents = FigureAgents.ALL;

    @Option(names = "--trials", description = "Trials per episode, 1 to 200 (default: ${DEFAULT-VALUE}).")
    int trials = 100;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--gamma", description = "Discount γ of the Gittins index, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double gamma = FigureAgents.DEFAULT_GAMMA;

    @Option(names = {"--eta", "--learning-rate"}, description = "Learning rate η of tabular and latent Q, in (0, 1] (default: ${DEFAULT-VALUE}).")
    float learningRate = FigureAgents.DEFAULT_LEARNING_RATE;

    @Option(names = "--beta", description = "Softmax inverse temperature β of tabular and latent Q, > 0 (default: ${DEFAULT-VALUE}).")
    float beta = FigureAgents.DEFAULT_BETA;

    @Option(names = "--latent", paramLabel = "K", description = "Latent units K of latent Q (default: ${DEFAULT-VALUE}).")
    int latentUnits = FigureAgents.DEFAULT_LATENT_UNITS;

    @Option(names = "--init-scale", description = "Latent Q's initial W, Q ~ U(-s, s), > 0 (default: ${DEFAULT-VALUE}).")
    float initScale = FigureAgents.DEFAULT_INIT_SCALE;

    @Option(names = "--width", description = "Image width in pixels (default: ${DEFAULT-VALUE}).")
    int width = 1000;

    @Option(names = "--height", description = "Image height in pixels (default: ${DEFAULT-VALUE}).")
    int height = 650;

    FigureAgents agents(String bayesPrior) {
      BanditPrior prior = BanditPrior.parse(bayesPrior);
      return new FigureAgents(agents, gamma, prior, learningRate, beta, latentUnits, initScale);
    }

    void checkSize() {
      if (width < 300 || width > 8000) {
        throw new IllegalArgumentException("width = " + width + "; allowed: 300 to 8000 pixels");
      }
      if (height < 200 || height > 8000) {
        throw new IllegalArgumentException("height = " + height + "; allowed: 200 to 8000 pixels");
      }
    }
  }

  static String commandText(CommandSpec spec) {
    // the root's arguments are the whole command line: from "regret" on when plot runs alone, from
    // "plot" on when it is a subcommand of neurorl
    CommandSpec root = spec.root();
    String prefix = root.name().equals("plot") ? "neurorl plot " : root.name() + " ";
    return prefix + String.join(" ", root.commandLine().getParseResult().originalArgs());
  }

  /** What the JSON of a figure records about how it was made: the command line and the machine. */
  static Map<String, Object> provenance(CommandSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", commandText(spec));
    m.put("machine", MachineInfo.describe());
    return m;
  }

  static void report(PrintStream o, List<Path> files) {
    for (Path f : files) {
      o.println("wrote " + f);
    }
  }

  /** {@code plot regret}: Fig. 1d and the better-arm curves. */
  @Command(name = "regret", sortOptions = false,
      description = "Cumulative regret against trial for several agents on the same episodes (Wang et al."
          + " 2018 Fig. 1d), mean with a shaded 95%% interval: regret.png/.csv/.json. Also the fraction of"
          + " episodes choosing the better arm at each trial: better-arm.png/.csv/.json.")
  static final class Regret implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common = new Common();

    @Option(names = "--episodes", description = "Episodes per agent, 2 to 2^22 (default: ${DEFAULT-VALUE}).")
    int episodes = 300;

    @Option(names = "--task", description = "Arm probabilities: fixed (--p), independent or correlated (default: ${DEFAULT-VALUE}).")
    String task = "fixed";

    @Option(names = "--p", split = ",", paramLabel = "P1,P2", description = "The probabilities of the fixed task (default: 0.25,0.75).")
    float[] probabilities = {0.25f, 0.75f};

    @Option(names = "--bayes-prior", description = "Prior the Bayes-optimal policy is optimal for: independent or correlated (default: ${DEFAULT-VALUE}).")
    String bayesPrior = "independent";

    @Option(names = "--threads", description = "Worker threads of the Q kernels; the numbers do not depend on it (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Override
    public Integer call() throws IOException {
      common.checkSize();
      RegretComparison.Options o = new RegretComparison.Options(common.agents(bayesPrior), episodes, common.trials,
          BanditPrior.parse(task), probabilities, common.seed, threads);
      long start = System.nanoTime();
      RegretComparison.Result r = RegretComparison.compute(o);
      Map<String, Object> cmd = provenance(spec);
      List<Path> files = new java.util.ArrayList<>(RegretComparison.writeRegret(r, common.out, common.width,
          common.height, cmd));
      files.addAll(RegretComparison.writeBetterArm(r, common.out, common.width, common.height, cmd));
      PrintStream out = System.out;
      for (RegretComparison.AgentCurves a : r.agents()) {
        out.printf(Locale.ROOT, "%-14s regret@%d %8.4f ± %.4f   P(better)@%d %.3f%n", a.agent(), o.trials(),
            a.cumulativeRegret().mean()[o.trials() - 1], a.cumulativeRegret().ci95()[o.trials() - 1], o.trials(),
            a.betterArm().mean()[o.trials() - 1]);
      }
      report(out, files);
      out.printf(Locale.ROOT, "%.2f s%n", (System.nanoTime() - start) * 1e-9);
      out.flush();
      return 0;
    }
  }

  /** {@code plot heatmap}: Fig. 1c, one file per agent. */
  @Command(name = "heatmap", sortOptions = false,
      description = "Action heat maps (Wang et al. 2018 Fig. 1c): one row per episode of the correlated task"
          + " at fixed grid values p1 = 0, 1/(rows-1), ..., 1 with p2 = 1 - p1, ordered by p1; one column per"
          + " trial; colour = chosen arm. One heatmap-<agent>.png/.csv per agent and heatmap.json.")
  static final class HeatMap implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common = new Common();

    @Option(names = "--rows", description = "Episodes (grid values of p1 from 0 to 1), 2 to 10001 (default: ${DEFAULT-VALUE}: steps of 0.01).")
    int rows = 101;

    @Option(names = "--bayes-prior", description = "Prior the Bayes-optimal policy is optimal for: correlated (this task's) or independent (default: ${DEFAULT-VALUE}).")
    String bayesPrior = "correlated";

    @Override
    public Integer call() throws IOException {
      common.checkSize();
      ActionHeatMap.Options o = new ActionHeatMap.Options(common.agents(bayesPrior), rows, common.trials,
          common.seed);
      ActionHeatMap.Result r = ActionHeatMap.compute(o);
      List<Path> files = ActionHeatMap.write(r, common.out, common.width, common.height, provenance(spec));
      report(System.out, files);
      return 0;
    }
  }
}
