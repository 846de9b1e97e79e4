package org.neurorl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.train.RecurrentNetwork;
import org.neurorl.sim.Json;
import org.neurorl.train.A2cConfig;
import org.neurorl.train.A2cTrainer;
import org.neurorl.train.Checkpoint;
import org.neurorl.train.Networks;
import org.neurorl.train.TrainingDivergedException;
import org.neurorl.train.UpdateStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurorl train}: A2C through time for a recurrent network on the two-armed bandit (meta-RL). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a recurrent network (the LSTM of Wang et al. 2018, or the plastic RNN) with advantage"
        + " actor-critic through time on episodes of the two-armed Bernoulli bandit (A2C-SPEC.md). Each update plays"
        + " --batch episodes, backpropagates the loss through every trial, clips the gradient and steps the"
        + " optimizer. Writes an atomic checkpoint every --checkpoint-every updates; Ctrl-C checkpoints and stops;"
        + " --resume continues to exactly the parameters an uninterrupted run would reach. Same config: same"
        + " parameters bit for bit, whatever --threads.",
    footer = {"", "Example: neurorl train --task correlated --out runs/lstm-corr",
        "  writes runs/lstm-corr/checkpoint.bin, curve.csv, training.json and",
        "  parameters/ (one float32 .npy per tensor + manifest.json).",
        "  Repeat: neurorl train --spec runs/lstm-corr/training.json --out DIR",
        "  Continue after Ctrl-C: neurorl train --resume --out runs/lstm-corr"})
public final class TrainCommand implements Callable<Integer> {
  private static final A2cConfig D = A2cConfig.defaults();
  private static final Set<String> RUN_OPTIONS = Set.of("--spec", "--out", "--resume", "--threads", "--progress",
      "--help", "--version");

  @Spec
  CommandSpec command;

  @Option(names = "--network", description = "lstm or plastic (default: ${DEFAULT-VALUE}).")
  String network = D.network();

  @Option(names = "--hidden", paramLabel = "N", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden = D.hidden();

  @Option(names = "--trial-input", negatable = true,
      description = "Append t/T to the input (previous action one-hot, previous reward) (default: ${DEFAULT-VALUE}).")
  boolean trialInput = D.trialInput();

  @Option(names = "--trace-rate", description = "Plastic: eligibility-trace rate tau_e (default: ${DEFAULT-VALUE}).")
  float traceRate = D.traceRate();

  @Option(names = "--stdp-rate", description = "Plastic: STDP-term rate tau_E (default: ${DEFAULT-VALUE}).")
  float stdpRate = D.stdpRate();

  @Option(names = "--plasticity-rate", description = "Plastic: fast-weight rate tau_U (default: ${DEFAULT-VALUE}).")
  float plasticityRate = D.plasticityRate();

  @Option(names = "--plasticity-clip", description = "Plastic: fast-weight clip c (default: ${DEFAULT-VALUE}).")
  float plasticityClip = D.plasticityClip();

  @Option(names = "--task", description = "Arm probabilities per episode: independent, correlated (p2 = 1 - p1) or"
      + " fixed (--p) (default: ${DEFAULT-VALUE}).")
  String task = D.task();

  @Option(names = "--p", split = ",", paramLabel = "P1,P2", description = "Probabilities of the fixed task (default: 0.25,0.75).")
  float[] probabilities = D.probabilities();

  @Option(names = "--trials", description = "Trials per episode (default: ${DEFAULT-VALUE}).")
  int trials = D.trials();

  @Option(names = "--gamma", description = "Discount of the returns (default: ${DEFAULT-VALUE}).")
  float gamma = D.gamma();

  @Option(names = "--value-coef", description = "Value-loss weight c_v (default: ${DEFAULT-VALUE}).")
  float valueCoefficient = D.valueCoefficient();

  @Option(names = "--entropy-coef", description = "Entropy weight c_e (default: ${DEFAULT-VALUE}).")
  float entropyCoefficient = D.entropyCoefficient();

  @Option(names = "--entropy-final", description = "Anneal c_e linearly to this value at the last update (default: no annealing).")
  Float entropyFinal = D.entropyFinal();

  @Option(names = "--optimizer", description = "adam or rmsprop, torch.optim defaults (default: ${DEFAULT-VALUE}).")
  String optimizer = D.optimizer();

  @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate = D.learningRate();

  @Option(names = "--max-grad-norm", description = "Clip the gradient to this global L2 norm (default: ${DEFAULT-VALUE}).")
  float maxGradNorm = D.maxGradNorm();

  @Option(names = "--batch", description = "Episodes per update (default: ${DEFAULT-VALUE}).")
  int batch = D.batch();

  @Option(names = "--episodes", description = "Episodes in the run, a multiple of --batch (default: ${DEFAULT-VALUE}).")
  long episodes = D.episodes();

  @Option(names = "--seed", description = "Seed of the initial parameters and of every episode (default: ${DEFAULT-VALUE}).")
  long seed = D.seed();

  @Option(names = "--checkpoint-every", paramLabel = "UPDATES",
      description = "Updates between checkpoints; 0: only at the end or on Ctrl-C (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = D.checkpointEvery();

  @Option(names = "--value-bias", paramLabel = "BV", description = "Initial bias bv of the value head, e.g. 5 ="
      + " 0.5 / (1 - 0.9), the discounted return of a random policy (default: the network's own initialisation).")
  Float valueBias = D.initialValueBias();

  @Option(names = "--spec", paramLabel = "FILE", description = "Train the config in FILE (a JSON config, fields left"
      + " out keep their defaults, or a training.json that embeds one under \"config\"); only --out, --threads,"
      + " --progress may be combined with it.")
  Path specFile;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Directory for checkpoint.bin, curve.csv, training.json and parameters/ (required).")
  Path out;

  @Option(names = "--resume", description = "Continue the run checkpointed in --out (its config is used).")
  boolean resume;

  @Option(names = "--threads", description = "Worker threads (default: the number of cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--progress", negatable = true, description = "Show a progress bar (default: when in a terminal).")
  Boolean progress;

  private List<String> configOptionsGiven() {
    List<String> given = new ArrayList<>();
    for (var opt : command.commandLine().getParseResult().matchedOptions()) {
      if (!RUN_OPTIONS.contains(opt.longestName())) {
        given.add(opt.longestName());
      }
    }
    return given;
  }

  A2cConfig config() throws IOException {
    if (specFile != null) {
      if (!configOptionsGiven().isEmpty()) {
        throw new IllegalArgumentException("--spec " + specFile + " fixes the run; remove " + configOptionsGiven()
            + " (allowed with --spec: --out, --threads, --progress)");
      }
      JsonNode root = Json.MAPPER.readTree(specFile.toFile());
      JsonNode node = root.has("config") ? root.get("config") : root;
      if (!node.isObject()) {
        throw new IllegalArgumentException("spec " + specFile + ": expected a JSON object of A2cConfig fields");
      }
      // fields the file leaves out keep their defaults, so a spec can name only what it changes
      com.fasterxml.jackson.databind.node.ObjectNode merged = Json.MAPPER.valueToTree(A2cConfig.defaults());
      merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) node);
      try {
        return Json.MAPPER.treeToValue(merged, A2cConfig.class);
      } catch (IOException e) {
        Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
        throw new IllegalArgumentException("spec " + specFile + ": " + cause.getMessage(), e);
      }
    }
    return new A2cConfig(network, hidden, trialInput, traceRate, stdpRate, plasticityRate, plasticityClip, task,
        probabilities, trials, gamma, valueCoefficient, entropyCoefficient, entropyFinal, optimizer, learningRate,
        maxGradNorm, batch, episodes, seed, checkpointEvery, valueBias);
  }

  @Override
  public Integer call() throws IOException {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads = " + threads + "; allowed: 1 to 1024");
    }
    Path checkpointFile = out.resolve(A2cTrainer.CHECKPOINT);
    PrintStream o = System.out;
    try (Parallel pool = Parallel.of(threads)) {
      A2cTrainer trainer;
      if (resume) {
        if (specFile != null || !configOptionsGiven().isEmpty()) {
          throw new IllegalArgumentException("--resume continues the run in " + out + " with its own config; remove "
              + (specFile != null ? "--spec" : configOptionsGiven().toString()));
        }
        if (!Files.isRegularFile(checkpointFile)) {
          throw new IllegalArgumentException("--resume: no checkpoint " + checkpointFile);
        }
        Checkpoint cp = Checkpoint.read(checkpointFile);
        RecurrentNetwork net = Networks.create(cp.config());
        trainer = A2cTrainer.resume(cp, net, pool);
        o.printf(Locale.ROOT, "resuming %s at update %d of %d%n", checkpointFile, trainer.updates(),
            cp.config().updates());
        Path previous = out.resolve("training.json");
        if (Files.isRegularFile(previous)) {
          String before = Json.MAPPER.readTree(previous.toFile()).path("implementation").asText("");
          if (!before.isEmpty() && !before.equals(net.implementation())) {
            // float32 SIMD kernels of another width, or the float64 reference, round differently
            o.println("warning: the run so far used the " + before + " network, this JVM uses "
                + net.implementation() + ": the result will not be bit-identical to an uninterrupted run");
          }
        }
      } else {
        A2cConfig c = config();
        if (Files.exists(checkpointFile)) {
          throw new IllegalArgumentException("--out " + out + " already holds a checkpoint; add --resume to continue"
              + " it, or choose another --out");
        }
        trainer = Networks.trainer(c, pool);
      }
      return train(trainer, o);
    }
  }

  private int train(A2cTrainer trainer, PrintStream o) throws IOException {
    A2cConfig c = trainer.config();
    o.printf(Locale.ROOT, "neurorl train: %s (%s, N = %d, %,d parameters), task %s, %s lr %s, clip %s, %d episodes x %d"
        + " trials per update, %,d episodes, seed %d, %d threads%n", c.network(), trainer.network().implementation(),
        c.hidden(), trainer.network().layout().size(), c.task(), c.optimizer(), c.learningRate(), c.maxGradNorm(),
        c.batch(), c.trials(), c.episodes(), c.seed(), threads);
    Files.createDirectories(out);
    boolean showProgress = progress != null ? progress : System.console() != null;
    int startUpdates = trainer.updates();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      trainer.requestStop();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "neurorl-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    long start = System.nanoTime();
    A2cTrainer.Outcome outcome;
    trainer.onWarning(w -> o.println("warning: " + w));
    try {
      try {
        outcome = run(trainer, c, showProgress, startUpdates);
      } catch (TrainingDivergedException e) {
        // training.json says what happened (the checkpoint stays the last good one); then the usual error
        Map<String, Object> report = report(trainer, false, (System.nanoTime() - start) / 1e9, startUpdates);
        report.put("diverged", e.getMessage());
        Json.writeAtomically(out.resolve("training.json"), report);
        throw e;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long episodesRun = (long) (trainer.updates() - startUpdates) * c.batch();
      Map<String, Object> report = report(trainer, outcome.complete(), seconds, startUpdates);
      Json.writeAtomically(out.resolve("training.json"), report);
      List<UpdateStats> curve = trainer.curve();
      if (!curve.isEmpty()) {
        UpdateStats last = curve.get(curve.size() - 1);
        o.printf(Locale.ROOT, "update %d: mean reward %.4f, loss %.4f, entropy %.4f, grad norm %.4g%n", last.update(),
            last.meanReward(), last.loss(), last.entropy(), last.gradNorm());
      }
      o.printf(Locale.ROOT, "%s after %d of %d updates; %.1f s, %.1f episodes/s (includes JIT warm-up)%n",
          outcome.complete() ? "done" : "STOPPED (resume with --resume)", trainer.updates(), c.updates(), seconds,
          episodesRun / seconds);
      o.println("wrote " + out.resolve(A2cTrainer.CHECKPOINT) + ", " + A2cTrainer.CURVE + ", training.json, "
          + A2cTrainer.PARAMETERS + "/");
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already stopping (Ctrl-C): the hook is running and waits for the lines above
      }
    }
    return outcome.complete() ? 0 : 130;
  }

  private A2cTrainer.Outcome run(A2cTrainer trainer, A2cConfig c, boolean showProgress, int startUpdates)
      throws IOException {
    if (!showProgress) {
      return trainer.run(out, null);
    }
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setUnit(" episodes", 1)
        .setInitialMax(c.episodes()).setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500)
        .startsFrom((long) startUpdates * c.batch(), java.time.Duration.ZERO).build()) {
      return trainer.run(out, s -> {
        bar.stepTo(s.episodes());
        bar.setExtraMessage(String.format(Locale.ROOT, " reward %.3f", s.meanReward()));
      });
    }
  }

  private static Map<String, Object> report(A2cTrainer trainer, boolean complete, double seconds, int startUpdates) {
    A2cConfig c = trainer.config();
    long episodesRun = (long) (trainer.updates() - startUpdates) * c.batch();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("complete", complete);
    report.put("updates", trainer.updates());
    report.put("episodes", (long) trainer.updates() * c.batch());
    report.put("network", trainer.network().name());
    report.put("implementation", trainer.network().implementation());
    report.put("parameterCount", trainer.network().layout().size());
    report.put("wallSeconds", seconds);
    report.put("episodesPerSecond", episodesRun / seconds);
    List<UpdateStats> curve = trainer.curve();
    report.put("last", curve.isEmpty() ? null : curve.get(curve.size() - 1));
    report.put("warnings", trainer.warnings());
    report.put("config", c);
    report.put("machine", MachineInfo.describe());
    report.put("command", "neurorl train --spec <this file> --out DIR");
    return report;
  }
}
