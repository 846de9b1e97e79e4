package org.neurorl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neurorl.env.BanditPrior;
import org.neurorl.meta.Figure1;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurorl figure1}: the whole reproduction of Wang et al. (2018) Fig. 1 — A2C training of the LSTM
 * and the plastic RNN on both bandits (checkpointed, resumable), then regret, heat maps and PCA.
 */
@Command(name = "figure1", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reproduce Wang et al. (2018) Figure 1: train the 48-unit LSTM and the plastic RNN with A2C on"
        + " the independent and the correlated two-armed bandit, then evaluate each on 500 episodes at p = (0.25,"
        + " 0.75) next to Gittins, Thompson, UCB1 and the Bayes-optimal policy (the plastic RNN also with"
        + " plasticity off), draw action heat maps over p1 = 0.00..1.00 and the PCA of the hidden activity.",
        "Writes PNG figures, figure1.json (numbers with 95%% intervals, machine, wall-clock) and README.md into"
            + " --out; training checkpoints in --out/train/<network>-<task>/ so the same command resumes after an"
            + " interruption (Ctrl-C stops after the current update and checkpoints)."},
    footer = {"", "Examples:", "  ./neurorl figure1                                   # the full run (hours)",
        "  ./neurorl figure1 --episodes 3200 --out /tmp/fig1  # a short run"})
public final class Figure1Command implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results", "figure1");

  @Option(names = "--episodes", paramLabel = "N",
      description = "Training episodes per network, a multiple of --batch (default: ${DEFAULT-VALUE}).")
  long episodes = 20_000;

  @Option(names = "--networks", split = ",", description = "lstm, plastic (default: lstm,plastic).")
  List<String> networks = List.of("lstm", "plastic");

  @Option(names = "--tasks", split = ",", description = "Training tasks: independent, correlated (default: both).")
  List<String> tasks = List.of("independent", "correlated");

  @Option(names = "--hidden", description = "LSTM units (default: ${DEFAULT-VALUE}).")
  int hidden = 48;

  @Option(names = "--plastic-hidden", description = "Plastic RNN units N (default: ${DEFAULT-VALUE}).")
  int plasticHidden = 48;

  @Option(names = "--batch", description = "Episodes per A2C update (default: ${DEFAULT-VALUE}; peers use 32, which"
      + " learnt much more slowly here: results/figure1/README.md).")
  int batch = 8;

  @Option(names = {"--lr", "--learning-rate"}, description = "Optimizer step size (default: ${DEFAULT-VALUE}; peers"
      + " use 7e-4).")
  float learningRate = 3e-3f;

  @Option(names = "--optimizer", description = "adam or rmsprop (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--entropy", description = "Entropy coefficient c_e (at the start if annealed) (default: ${DEFAULT-VALUE}).")
  float entropy = 0.05f;

  @Option(names = "--entropy-final", description = "c_e at the last update, annealed linearly (default: constant).")
  Float entropyFinal;

  @Option(names = "--trial-input", description = "Also feed t/T to the networks (default: off).")
  boolean trialInput;

  @Option(names = "--max-grad-norm", description = "Global gradient-norm clip (default: ${DEFAULT-VALUE}).")
  float maxGradNorm = 50f;

  @Option(names = "--checkpoint-every", description = "Updates between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = 50;

  @Option(names = "--seed", description = "Training seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--eval-episodes", description = "Evaluation episodes at (0.25, 0.75), 300+ for the figure (default: ${DEFAULT-VALUE}).")
  int evalEpisodes = 500;

  @Option(names = "--eval-seed", description = "Evaluation seed (default: ${DEFAULT-VALUE}).")
  long evalSeed = 2018;

  @Option(names = "--rows", description = "Heat-map rows, p1 from 0 to 1 (default: ${DEFAULT-VALUE}: steps of 0.01).")
  int rows = 101;

  @Option(names = "--gamma", description = "Discount of the Gittins index (default: ${DEFAULT-VALUE}).")
  double gittinsGamma = Figure1.defaultGittinsGamma();

  @Option(names = "--value-bias", description = "Initial bias bv of the value head (default: ${DEFAULT-VALUE} ="
      + " 0.5 / (1 - 0.9), the discounted return of a random policy; NaN: the network's own initialisation).")
  float valueBias = 5f;

  @Option(names = "--threads", description = "Worker threads; the numbers do not depend on it (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    List<BanditPrior> priors = new ArrayList<>();
    for (String t : tasks) {
      BanditPrior p = BanditPrior.parse(t);
      if (p == BanditPrior.FIXED) {
        throw new IllegalArgumentException("task = " + t + "; allowed: independent, correlated");
      }
      priors.add(p);
    }
    if (evalEpisodes < 300) {
      System.err.println("note: --eval-episodes " + evalEpisodes + " is below the 300 the figure asks for");
    }
    Figure1.Options o = new Figure1.Options(out, networks.stream().map(s -> s.trim().toLowerCase(java.util.Locale.ROOT))
        .toList(), priors, episodes, batch, hidden, plasticHidden, learningRate, optimizer, entropy, entropyFinal,
        trialInput, maxGradNorm, checkpointEvery, seed, evalEpisodes, evalSeed, rows, gittinsGamma,
        threads == null ? Runtime.getRuntime().availableProcessors() : threads,
        Float.isNaN(valueBias) ? null : valueBias);
    Figure1 figure = new Figure1(o, System.out);
    // validate every config before hours of work (bad learning rate, optimizer, ...): clear errors now
    for (BanditPrior p : priors) {
      for (String n : o.networks()) {
        figure.config(n, p);
      }
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      figure.requestStop();
      try {
        done.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "figure1-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("command", "./neurorl " + String.join(" ", spec.commandLine().getParseResult()
          .originalArgs()).trim());
      provenance.put("machine", MachineInfo.describe());
      return figure.run(provenance) ? 0 : 3;
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting (Ctrl-C): the hook is running and has just been released
      }
    }
  }
}
