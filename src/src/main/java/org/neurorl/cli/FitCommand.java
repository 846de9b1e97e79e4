package org.neurorl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurorl.fit.ChoiceCsv;
import org.neurorl.fit.ChoiceData;
import org.neurorl.fit.FitOptions;
import org.neurorl.fit.FitResult;
import org.neurorl.fit.QFit;
import org.neurorl.fit.QLikelihood;
import org.neurorl.fit.QSimulation;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.qlearn.TabularQKernel;
import org.neurorl.sim.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurorl fit}: maximum-likelihood (η, β) of the softmax Q-learner, per subject. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Fit the learning rate eta and inverse temperature beta of the softmax Q-learner "
            + "(Q(a) <- Q(a) + eta (r - Q(a)), P(a) = softmax(beta Q), Q = --initial-value at each session "
            + "start, values kept per cue) by maximum likelihood, one fit per subject, with standard errors "
            + "from the inverse observed information. The NLL minimised is also the summed "
            + "KL(observed one-hot choice || P) of MODELS.md section 4: the two differ by a constant.",
        "Flags: H = Hessian not positive definite (no SE); B = estimate on a bound of eta in (0, 1] or "
            + "beta in (0, --beta-max] (the SE is then not valid).",
        "Either --csv FILE: a header with columns action (0-based integer) and reward (number), and "
            + "optionally subject, session, cue (0-based integer); other columns are ignored.",
        "Or --simulate: agents of the tabular Q kernel with known --eta, --beta play a bandit whose "
            + "probabilities --p rotate (two arms: swap) every --reversal-every trials; each is then fitted "
            + "and the table shows truth against estimate +- SE.",
        "Results do not depend on --threads.", ""},
    footer = {"", "Examples:", "  neurorl fit --csv choices.csv --out fits.json",
        "  neurorl fit --simulate --eta 0.3 --beta 4 --trials 4000 --seed 1"})
public final class FitCommand implements Callable<Integer> {
  private static final List<String> SIMULATION_ONLY =
      List.of("--eta", "--beta", "--trials", "--subjects", "--p", "--reversal-every", "--seed");

  @Spec
  CommandSpec command;

  @Option(names = "--csv", paramLabel = "FILE", description = "Fit the subjects of this CSV file.")
  Path csv;

  @Option(names = "--actions", paramLabel = "A", description = "Actions of the task (default: the largest action in the file + 1).")
  int actions;

  @Option(names = "--simulate", description = "Simulate tabular-Q kernel agents with known parameters, then fit them.")
  boolean simulate;

  @Option(names = {"--eta", "--learning-rate"}, description = "True learning rate of --simulate (default: ${DEFAULT-VALUE}).")
  float eta = 0.3f;

  @Option(names = "--beta", description = "True inverse temperature of --simulate (default: ${DEFAULT-VALUE}).")
  float beta = 4f;

  @Option(names = "--trials", description = "Trials per simulated subject (default: ${DEFAULT-VALUE}).")
  int trials = 4000;

  @Option(names = "--subjects", description = "Simulated subjects (default: ${DEFAULT-VALUE}).")
  int subjects = 1;

  @Option(names = "--p", split = ",", paramLabel = "P", description = "Reward probabilities of the arms (default: 0.3,0.7).")
  float[] probabilities = {0.3f, 0.7f};

  @Option(names = "--reversal-every", paramLabel = "TRIALS",
      description = "Rotate the probabilities every this many trials, 0 for never (default: ${DEFAULT-VALUE}).")
  int reversalEvery = 200;

  @Option(names = "--seed", description = "Seed of --simulate (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--beta-max", description = "Upper bound of beta (default: ${DEFAULT-VALUE}).")
  double betaMax = FitOptions.DEFAULT_BETA_MAX;

  @Option(names = "--initial-value", description = "Q of every action at each session start (default: ${DEFAULT-VALUE}).")
  double initialValue = 0;

  @Option(names = "--starts", description = "Local searches from the best grid points (default: ${DEFAULT-VALUE}).")
  int starts = FitOptions.DEFAULT_STARTS;

  @Option(names = "--threads", description = "Worker threads, one subject at a time each (default: the number of cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if ((csv == null) == !simulate) {
      throw new IllegalArgumentException("give exactly one of --csv FILE or --simulate");
    }
    if (csv != null) {
      List<String> clash = new ArrayList<>();
      for (var opt : command.commandLine().getParseResult().matchedOptions()) {
        if (SIMULATION_ONLY.contains(opt.shortestName())) {
          clash.add(opt.shortestName());
        }
      }
      if (!clash.isEmpty()) {
        throw new IllegalArgumentException(clash + " only apply to --simulate; allowed with --csv: --actions, "
            + "--beta-max, --initial-value, --starts, --threads, --out");
      }
    } else if (actions != 0) {
      throw new IllegalArgumentException("--actions only applies to --csv (the simulated task has one arm per --p)");
    }
    FitOptions options = new FitOptions(betaMax, initialValue, starts);
    List<ChoiceData> data;
    Map<String, Object> source = new LinkedHashMap<>();
    try (Parallel parallel = Parallel.of(threads)) {
      if (csv != null) {
        data = ChoiceCsv.read(csv, actions);
        source.put("csv", csv.toString());
        source.put("actions", data.get(0).actions());
        source.put("cues", data.get(0).cues());
      } else {
        if (simulate && initialValue != 0) {
          throw new IllegalArgumentException("--initial-value = " + initialValue
              + "; allowed with --simulate: 0 (the kernel agents start at Q = 0)");
        }
        TabularQKernel kernel = TabularQKernel.create();
        data = QSimulation.fromKernel(kernel, parallel, subjects, eta, beta, trials, probabilities, reversalEvery, seed);
        source.put("simulate", "tabular-q kernel (" + kernel.implementation() + "), softmax, Q = 0 at the start");
        source.put("eta", eta);
        source.put("beta", beta);
        source.put("trials", trials);
        source.put("subjects", subjects);
        source.put("probabilities", probabilities);
        source.put("reversalEvery", reversalEvery);
        source.put("seed", seed);
      }
      long start = System.nanoTime();
      List<FitResult> fits = QFit.fitAll(data, options, parallel);
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] nllAtTruth = new double[fits.size()];
      for (int i = 0; i < fits.size(); i++) {
        nllAtTruth[i] = simulate ? new QLikelihood(data.get(i), 0).nll(eta, beta) : Double.NaN;
      }
      print(System.out, fits, nllAtTruth, options, seconds);
      if (out != null) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "neurorl fit " + String.join(" ", command.commandLine().getParseResult().originalArgs()));
        report.put("source", source);
        report.put("options", options);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < fits.size(); i++) {
          rows.add(row(fits.get(i), nllAtTruth[i]));
        }
        report.put("subjects", rows);
        report.put("fitSeconds", seconds);
        report.put("machine", MachineInfo.describe());
        Json.writeAtomically(out, report);
        System.out.println("wrote " + out);
      }
    }
    return 0;
  }

  /** One subject as JSON; NaN becomes null (JSON has no NaN). */
  static Map<String, Object> row(FitResult r, double nllAtTruth) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", r.subject());
    m.put("trials", r.trials());
    m.put("sessions", r.sessions());
    m.put("eta", r.eta());
    m.put("etaStandardError", finiteOrNull(r.etaStandardError()));
    m.put("beta", r.beta());
    m.put("betaStandardError", finiteOrNull(r.betaStandardError()));
    m.put("correlation", finiteOrNull(r.correlation()));
    m.put("nll", r.nll());
    m.put("nllPerTrial", r.nllPerTrial());
    if (!Double.isNaN(nllAtTruth)) {
      m.put("nllAtTruth", nllAtTruth);
    }
    m.put("hessianPositiveDefinite", r.hessianPositiveDefinite());
    m.put("etaOnBound", r.etaOnBound());
    m.put("betaOnBound", r.betaOnBound());
    m.put("warnings", r.warnings());
    m.put("evaluations", r.evaluations());
    return m;
  }

  private static Double finiteOrNull(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private void print(PrintStream o, List<FitResult> fits, double[] nllAtTruth, FitOptions options, double seconds) {
    o.printf(Locale.ROOT, "neurorl fit: %d subject%s, %s, beta in (0, %s], initial Q %s, %d starts, %d threads%n",
        fits.size(), fits.size() == 1 ? "" : "s",
        simulate ? String.format(Locale.ROOT, "simulated tabular-Q agents (truth eta %s, beta %s; %d trials; p %s; "
            + "reversal every %d; seed %d)", eta, beta, trials, java.util.Arrays.toString(probabilities), reversalEvery, seed)
            : "from " + csv,
        options.betaMax(), options.initialValue(), options.starts(), threads);
    String truthHead = simulate ? String.format(Locale.ROOT, " %7s %7s %12s", "z(eta)", "z(beta)", "NLL(truth)") : "";
    o.printf(Locale.ROOT, "%-16s %7s %4s %19s %19s %7s %12s %9s%s %5s%n", "subject", "trials", "sess",
        "eta +- SE", "beta +- SE", "corr", "NLL", "NLL/trial", truthHead, "flags");
    for (int i = 0; i < fits.size(); i++) {
      FitResult r = fits.get(i);
      String truth = simulate ? String.format(Locale.ROOT, " %7.2f %7.2f %12.4f", (r.eta() - eta) / r.etaStandardError(),
          (r.beta() - beta) / r.betaStandardError(), nllAtTruth[i]) : "";
      String flags = (r.hessianPositiveDefinite() ? "" : "H") + (r.etaOnBound() || r.betaOnBound() ? "B" : "");
      o.printf(Locale.ROOT, "%-16s %7d %4d %8.4f +- %-7.4f %8.4f +- %-7.4f %7.3f %12.4f %9.5f%s %5s%n",
          r.subject(), r.trials(), r.sessions(), r.eta(), r.etaStandardError(), r.beta(), r.betaStandardError(),
          r.correlation(), r.nll(), r.nllPerTrial(), truth, flags.isEmpty() ? "-" : flags);
    }
    for (FitResult r : fits) {
      for (String w : r.warnings()) {
        o.println("warning: " + r.subject() + ": " + w);
      }
    }
    o.printf(Locale.ROOT, "fit time %.3f s%n", seconds);
  }
}
