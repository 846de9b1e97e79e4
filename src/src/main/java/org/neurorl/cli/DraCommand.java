package org.neurorl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neurorl.dra.DraReport;
import org.neurorl.dra.DraSpec;
import org.neurorl.dra.DraStudy;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;
import org.neurorl.plot.Charts;
import org.neurorl.sim.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neurorl dra}: noisy-memory RL (DRA) versus maximum-entropy RL on the memory task and the maze. */
@Command(name = "dra", sortOptions = false,
    description = "DRA (Patel, Acerbi & Pouget 2020) vs soft Q-learning vs softmax Q-learning, with an equal-precision"
        + " control: accuracy, choice entropy and learned sigma per option of the two-alternative memory task"
        + " (frequency and stakes manipulations), maximum-likelihood fits of each model to the other's choices,"
        + " and adaptation in a 9x6 maze whose goal moves. Writes dra.json, PNG figures and CONCLUSION.md to --out."
        + " Options override the JSON --spec, which overrides the defaults shown.")
public final class DraCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("results", "dra");

  @Option(names = "--spec", paramLabel = "FILE", description = "JSON file with any fields of the study spec (see dra.json 'spec').")
  Path specFile;

  @Option(names = "--agents", description = "Agents per model on the memory task (default: 300).")
  Integer agents;

  @Option(names = "--trials", description = "Trials of the memory task (default: 800).")
  Integer trials;

  @Option(names = "--ratio", description = "Ratio between the most and least frequent (or valuable) option set, >= 1 (default: 4).")
  Double ratio;

  @Option(names = "--lambdas", split = ",", description = "DRA prices of precision lambda, one run each (default: 0.002,0.01,0.05).")
  List<Double> lambdas;

  @Option(names = "--alphas", split = ",", description = "Soft-Q temperatures alpha, one run each (default: 0.25,0.5,1).")
  List<Double> alphas;

  @Option(names = "--psi", description = "psi of the sigma gradient: ADVANTAGE or RETURN (default: ADVANTAGE).")
  DraParams.Psi psi;

  @Option(names = "--maze-agents", description = "Agents per model in the maze (default: 200).")
  Integer mazeAgents;

  @Option(names = "--maze-episodes", description = "Maze episodes; the goal moves at half of them unless the spec says otherwise (default: 120).")
  Integer mazeEpisodes;

  @Option(names = "--bootstrap", description = "Bootstrap resamples of agents for the fit intervals (default: 400).")
  Integer bootstrap;

  @Option(names = "--seed", description = "Seed (default: 1).")
  Long seed;

  @Option(names = "--threads", description = "Worker threads, 1 to 1024 (default: the available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  DraSpec spec() throws IOException {
    ObjectNode tree = Json.MAPPER.valueToTree(DraSpec.defaults());
    if (specFile != null) {
      tree.setAll((ObjectNode) Json.MAPPER.readTree(specFile.toFile()));
    }
    if (agents != null) tree.put("agents", agents);
    if (trials != null) tree.put("trials", trials);
    if (ratio != null) tree.put("ratio", ratio);
    if (lambdas != null) tree.set("lambdas", Json.MAPPER.valueToTree(lambdas));
    if (alphas != null) tree.set("alphas", Json.MAPPER.valueToTree(alphas));
    if (psi != null) tree.put("psi", psi.name());
    if (mazeAgents != null) tree.put("mazeAgents", mazeAgents);
    if (mazeEpisodes != null) {
      tree.put("mazeEpisodes", mazeEpisodes);
      tree.put("mazeSwitch", mazeEpisodes / 2);
    }
    if (bootstrap != null) tree.put("bootstrap", bootstrap);
    if (seed != null) tree.put("seed", seed);
    DraSpec s = Json.MAPPER.treeToValue(tree, DraSpec.class);
    if (s.agents() < 2 || s.trials() < 2 || s.mazeAgents() < 2 || s.mazeEpisodes() < 2) {
      throw new IllegalArgumentException("agents, trials, mazeAgents and mazeEpisodes must each be >= 2; got " + s);
    }
    if (s.bootstrap() < 20) {
      throw new IllegalArgumentException("bootstrap = " + s.bootstrap() + "; allowed: >= 20");
    }
    if (s.lambdas().isEmpty() || s.alphas().isEmpty()) {
      throw new IllegalArgumentException("lambdas and alphas must each list at least one value");
    }
    return s;
  }

  @Override
  public Integer call() throws IOException {
    DraSpec spec = spec();
    long t0 = System.nanoTime();
    DraKernel kernel = DraKernel.create();
    Map<String, Object> study;
    try (Parallel parallel = Parallel.of(threads)) {
      study = DraStudy.run(spec, kernel, parallel, System.err);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    String command = "./neurorl dra --out " + out;
    json.put("command", command);
    json.put("spec", spec);
    json.put("threads", threads);
    json.put("wallSeconds", (System.nanoTime() - t0) / 1e9);
    json.put("machine", MachineInfo.describe());
    json.putAll(study);
    // the figures and the conclusion read the same map the JSON is written from
    Json.writeAtomically(out.resolve("dra.json"), json);
    DraReport.write(study, out);
    Charts.writeText(out.resolve("CONCLUSION.md"), DraReport.conclusion(study, spec, command));
    System.out.printf("neurorl dra: wrote %s (dra.json, figures, CONCLUSION.md) in %.0f s%n", out,
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
