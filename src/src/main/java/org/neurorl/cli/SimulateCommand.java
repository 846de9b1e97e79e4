package org.neurorl.cli;

import java.io.IOException;
import java.io.PrintStream;
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
import org.neurorl.sim.BanditSimulation;
import org.neurorl.sim.Json;
import org.neurorl.sim.NpyRowWriter;
import org.neurorl.sim.SimulationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neurorl simulate}: bandit agents on the Bernoulli bandit tasks, summarised by cumulative regret. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Simulate agents on Bernoulli bandit tasks (episodes of --trials trials; each agent"
        + " plays one episode from scratch): latent-Q and tabular-Q learners, UCB1 and Thompson sampling (SIMD"
        + " kernels), the Gittins index and the exact Bayes-optimal policy. Prints mean cumulative regret at the"
        + " checkpoint trials with 95%% confidence intervals, and agent-trials/s. All agent types play the same"
        + " episodes. Same spec and seed: same numbers, whatever --threads.",
    footer = {"", "Tasks (MODELS.md section 5):",
        "  two-armed    --task independent (default) | correlated | fixed --p P1,P2",
        "  k-armed      --arms K (2 to 8), --task independent | fixed --p K values",
        "  reversal     --reversal R | MIN,MAX, with any task above: probabilities",
        "               reverse in rank at trial R (or one drawn from MIN..MAX)",
        "Agents and the tasks they apply to (default: every agent that applies):",
        "  latent-q, tabular-q, ucb1, thompson   every task",
        "  gittins                               stationary (not --reversal)",
        "  bayes-optimal                         two arms, stationary",
        "",
        "Example: neurorl simulate --task fixed --p 0.25,0.75 --agents 300 \\",
        "           --out results/sim",
        "  writes results/sim/summary.json (repeat: --spec results/sim/summary.json),",
        "  curves.csv, regret_mean.npy and regret_ci95.npy (agent type x trial).",
        "Example: neurorl simulate --arms 4 --reversal 30,70 --agents 100000"})
public final class SimulateCommand implements Callable<Integer> {
  private static final SimulationSpec D = SimulationSpec.defaults();
  private static final Set<String> NOT_IN_SPEC = Set.of("--spec", "--out", "--write-spec", "--threads",
      "--progress", "--per-agent", "--help", "--version");
  /** Up to this many agents per type the per-agent summaries are also written as CSV. */
  static final long PER_AGENT_CSV_MAX = 100_000;

  @Spec
  CommandSpec command;

  @Option(names = "--agent", split = ",", paramLabel = "TYPE",
      description = "Agent types, comma-separated: latent-q, tabular-q, ucb1, thompson, gittins, "
          + "bayes-optimal (default: all that apply to the task).")
  List<String> agentTypes = D.agentTypes();

  @Option(names = "--agents", paramLabel = "N", description = "Agents per type (default: ${DEFAULT-VALUE}).")
  long agents = D.agents();

  @Option(names = "--trials", description = "Trials per episode (default: ${DEFAULT-VALUE}).")
  int trials = D.trials();

  @Option(names = "--task", description = "Arm probabilities: independent (p1, p2 ~ U(0,1)), correlated "
      + "(p2 = 1 - p1) or fixed (--p) (default: ${DEFAULT-VALUE}).")
  String task = D.task();

  @Option(names = "--p", split = ",", paramLabel = "P1,P2",
      description = "The arm probabilities of the fixed task, one per arm (default: 0.25,0.75).")
  float[] probabilities = D.probabilities();

  @Option(names = "--arms", paramLabel = "K", description = "Arms of the bandit, 2 to " + SimulationSpec.MAX_ARMS
      + " (default: ${DEFAULT-VALUE}).")
  int arms = 2;

  @Option(names = "--reversal", split = ",", paramLabel = "R|MIN,MAX", description = "Reversal bandit: the arm"
      + " probabilities reverse in rank at trial R, or at a trial drawn per episode from MIN..MAX (1 to trials - 1;"
      + " default: none).")
  int[] reversal;

  @Option(names = {"--eta", "--learning-rate"}, description = "Learning rate η in (0, 1] (default: ${DEFAULT-VALUE}).")
  float learningRate = D.learningRate();

  @Option(names = "--beta", description = "Softmax inverse temperature β > 0 (default: ${DEFAULT-VALUE}).")
  float beta = D.beta();

  @Option(names = "--epsilon", description = "Use ε-greedy with this ε in [0, 1] instead of softmax.")
  Float epsilon;

  @Option(names = "--latent", paramLabel = "K", description = "Latent units K of latent Q (default: ${DEFAULT-VALUE}).")
  int latentUnits = D.latentUnits();

  @Option(names = "--init-scale", description = "Latent Q's initial W, Q ~ U(-s, s) (default: ${DEFAULT-VALUE}).")
  float initScale = D.initScale();

  @Option(names = "--gittins-discount", paramLabel = "GAMMA", description = "Discount of the Gittins index (default: ${DEFAULT-VALUE}).")
  float gittinsDiscount = D.gittinsDiscount();

  @Option(names = "--checkpoints", split = ",", description = "Trials to summarise (default: 10,50,100).")
  int[] checkpoints = D.checkpoints();

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed = D.seed();

  @Option(names = "--block", paramLabel = "AGENTS", description = "Agents simulated at once; bounds memory (default: ${DEFAULT-VALUE}).")
  int blockAgents = D.blockAgents();

  @Option(names = "--threads", description = "Worker threads (default: the number of cores, ${DEFAULT-VALUE}).")
  int threads = D.threads();

  @Option(names = "--spec", paramLabel = "FILE", description = "Run the spec in FILE (a spec, or a result JSON that embeds one); only --threads, --out, --write-spec may be combined with it.")
  Path specFile;

  @Option(names = "--write-spec", paramLabel = "FILE", description = "Write the run's spec as JSON to FILE.")
  Path writeSpec;

  @Option(names = "--out", paramLabel = "DIR", description = "Write summary.json (spec, machine, results), curves.csv and .npy arrays to DIR.")
  Path out;

  @Option(names = "--per-agent", description = "With --out: also write every agent's summary (total reward,"
      + " regret at the last trial, suboptimal pulls, the episode's arm probabilities) to per_agent_TYPE.npy"
      + " (agents x columns, streamed block by block), and per_agent_TYPE.csv up to " + PER_AGENT_CSV_MAX
      + " agents.")
  boolean perAgent;

  @Option(names = "--progress", negatable = true, description = "Show a progress bar (default: on long runs in a terminal).")
  Boolean progress;

  SimulationSpec spec() throws IOException {
    if (specFile != null) {
      List<String> clash = new ArrayList<>();
      for (var opt : command.commandLine().getParseResult().matchedOptions()) {
        if (!NOT_IN_SPEC.contains(opt.longestName())) {
          clash.add(opt.longestName());
        }
      }
      if (!clash.isEmpty()) {
        throw new IllegalArgumentException("--spec " + specFile + " fixes the run; remove " + clash
            + " (allowed with --spec: --threads, --out, --write-spec, --progress, --per-agent)");
      }
      SimulationSpec s = Json.readSpec(specFile);
      return new SimulationSpec(s.agentTypes(), s.agents(), s.trials(), s.task(), s.probabilities(),
          s.learningRate(), s.beta(), s.epsilon(), s.latentUnits(), s.initScale(), s.gittinsDiscount(),
          s.checkpoints(), s.seed(),
          command.commandLine().getParseResult().hasMatchedOption("--threads") ? threads : s.threads(),
          s.blockAgents(), s.arms(), s.reversal());
    }
    boolean defaultP = !command.commandLine().getParseResult().hasMatchedOption("--p");
    float[] p = defaultP && arms != 2 ? null : probabilities; // the default 0.25,0.75 is for two arms
    List<String> types = command.commandLine().getParseResult().hasMatchedOption("--agent") ? agentTypes
        : SimulationSpec.applicableAgents(arms, reversal); // default: every agent that applies to the task
    return new SimulationSpec(types, agents, trials, task, p, learningRate, beta, epsilon,
        latentUnits, initScale, gittinsDiscount, checkpoints, seed, threads, blockAgents, arms, reversal);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    SimulationSpec s = spec();
    if (perAgent && out == null) {
      throw new IllegalArgumentException("--per-agent needs --out DIR (the summaries are written there)");
    }
    if (writeSpec != null) {
      Json.writeAtomically(writeSpec, s);
    }
    BanditSimulation sim = new BanditSimulation(s);
    PrintStream outStream = System.out;
    double agentTrials = (double) s.agents() * s.trials() * s.agentTypes().size();
    boolean showProgress = progress != null ? progress : (System.console() != null && agentTrials >= 2e8);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      sim.requestStop();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "neurorl-simulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    BanditSimulation.Result result;
    PerAgentFiles files = perAgent ? new PerAgentFiles(out, s) : null;
    try {
      if (showProgress) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("simulate").setUnit(" agents", 1)
            .setInitialMax(s.agents() * s.agentTypes().size()).setStyle(ProgressBarStyle.ASCII)
            .showSpeed().setUpdateIntervalMillis(500).build()) {
          result = sim.run(bar::stepBy, files);
        }
      } else {
        result = sim.run(n -> { }, files);
      }
      if (files != null) {
        files.close();
      }
      print(outStream, result);
      if (out != null) {
        writeOutputs(out, result, files);
        outStream.println("wrote " + out.resolve("summary.json") + ", curves.csv, regret_mean.npy, regret_ci95.npy"
            + (files == null ? "" : ", " + String.join(", ", files.names())));
      }
    } catch (RuntimeException | IOException e) {
      if (files != null) {
        files.abandon();
      }
      throw e;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already stopping (Ctrl-C): the hook is running and waits for the lines above
      }
    }
    return result.complete() ? 0 : 130;
  }

  static void writeOutputs(Path dir, BanditSimulation.Result r) throws IOException {
    writeOutputs(dir, r, null);
  }

  static void writeOutputs(Path dir, BanditSimulation.Result r, PerAgentFiles files) throws IOException {
    Map<String, Object> report = report(r);
    if (files != null) {
      Map<String, Object> pa = new LinkedHashMap<>();
      pa.put("columns", files.columns());
      pa.put("files", files.names());
      pa.put("rowsPerType", files.rows());
      pa.put("note", "one row per agent in agent order (np.load(file)[:, column]); the same episodes for every"
          + " agent type, so row i of every file is the same bandit");
      report.put("perAgent", pa);
    }
    Json.writeAtomically(dir.resolve("summary.json"), report);
    int types = r.agents().size();
    int trials = r.spec().trials();
    double[] mean = new double[types * trials], ci = new double[types * trials];
    StringBuilder csv = new StringBuilder("agent,trial,mean_cumulative_regret,ci95\n");
    for (int a = 0; a < types; a++) {
      BanditSimulation.AgentSummary s = r.agents().get(a);
      System.arraycopy(s.curveMean(), 0, mean, a * trials, trials);
      System.arraycopy(s.curveCi95(), 0, ci, a * trials, trials);
      for (int t = 0; t < trials; t++) {
        csv.append(s.agent()).append(',').append(t + 1).append(',').append(s.curveMean()[t]).append(',')
            .append(s.curveCi95()[t]).append('\n');
      }
    }
    org.neurorl.sim.Npy.write(dir.resolve("regret_mean.npy"), mean, types, trials);
    org.neurorl.sim.Npy.write(dir.resolve("regret_ci95.npy"), ci, types, trials);
    Path tmp = java.nio.file.Files.createTempFile(dir, "curves.csv", ".part");
    java.nio.file.Files.writeString(tmp, csv);
    java.nio.file.Files.move(tmp, dir.resolve("curves.csv"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The per-agent summaries of a run, streamed to one .npy per agent type (and a CSV for small runs) as
   * the blocks finish, so memory stays bounded by a block whatever the number of agents.
   */
  static final class PerAgentFiles implements BanditSimulation.PerAgentSink {
    private final Path dir;
    private final boolean csv;
    private final List<String> columns;
    private final Map<String, NpyRowWriter> npy = new LinkedHashMap<>();
    private final Map<String, java.io.Writer> csvs = new LinkedHashMap<>();
    private final Map<String, Path> csvTmp = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();

    PerAgentFiles(Path dir, SimulationSpec spec) {
      this.dir = dir;
      this.csv = spec.agents() <= PER_AGENT_CSV_MAX;
      this.columns = BanditSimulation.perAgentColumns(spec.arms(), spec.reversal() != null);
    }

    List<String> columns() {
      return columns;
    }

    List<String> names() {
      List<String> n = new ArrayList<>();
      for (String type : npy.keySet()) {
        n.add("per_agent_" + type + ".npy");
        if (csv) {
          n.add("per_agent_" + type + ".csv");
        }
      }
      return n;
    }

    Map<String, Long> rows() {
      return rows;
    }

    @Override
    public void block(String type, long first, int n, int cols, double[] data) throws IOException {
      if (cols != columns.size()) {
        throw new IllegalStateException("columns = " + cols + "; expected " + columns.size());
      }
      NpyRowWriter w = npy.get(type);
      if (w == null) {
        w = new NpyRowWriter(dir.resolve("per_agent_" + type + ".npy"), cols);
        npy.put(type, w);
        rows.put(type, 0L);
        if (csv) {
          Path tmp = java.nio.file.Files.createTempFile(dir, "per_agent_" + type + ".csv", ".part");
          java.io.Writer cw = java.nio.file.Files.newBufferedWriter(tmp);
          cw.write("agent," + String.join(",", columns) + "\n");
          csvs.put(type, cw);
          csvTmp.put(type, tmp);
        }
      }
      if (rows.get(type) != first) {
        throw new IllegalStateException("per-agent block of " + type + " starts at " + first + "; expected "
            + rows.get(type));
      }
      w.append(data, n);
      rows.put(type, first + n);
      java.io.Writer cw = csvs.get(type);
      if (cw != null) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
          sb.append(first + i);
          for (int c = 0; c < cols; c++) {
            sb.append(',').append(data[i * cols + c]);
          }
          sb.append('\n');
        }
        cw.write(sb.toString());
      }
    }

    void close() throws IOException {
      for (NpyRowWriter w : npy.values()) {
        w.close();
      }
      for (var e : csvs.entrySet()) {
        e.getValue().close();
        java.nio.file.Files.move(csvTmp.get(e.getKey()), dir.resolve("per_agent_" + e.getKey() + ".csv"),
            java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      csvs.clear();
    }

    void abandon() throws IOException {
      for (NpyRowWriter w : npy.values()) {
        w.abandon();
      }
      for (var e : csvs.entrySet()) {
        e.getValue().close();
        java.nio.file.Files.deleteIfExists(csvTmp.get(e.getKey()));
      }
      csvs.clear();
    }
  }

  static Map<String, Object> report(BanditSimulation.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("complete", r.complete());
    m.put("spec", r.spec());
    m.put("agentOrder", r.agents().stream().map(BanditSimulation.AgentSummary::agent).toList());
    m.put("agents", r.agents());
    m.put("wallSeconds", r.wallSeconds());
    m.put("machine", MachineInfo.describe());
    m.put("command", "neurorl simulate --spec <this file>");
    return m;
  }

  static void print(PrintStream o, BanditSimulation.Result r) {
    SimulationSpec s = r.spec();
    o.printf(Locale.ROOT, "neurorl simulate: %,d agents x %d trials per type, %s%s, eta %s, %s, seed %d, %d threads%n",
        s.agents(), s.trials(), s.describeTask(),
        s.prior() == org.neurorl.env.BanditPrior.FIXED ? " " + java.util.Arrays.toString(s.probabilities()) : "",
        s.learningRate(), s.epsilon() == null ? "softmax beta " + s.beta() : "epsilon-greedy " + s.epsilon(),
        s.seed(), s.threads());
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s %-9s", "agent", "kernel"));
    for (int cp : s.checkpoints()) {
      head.append(String.format(Locale.ROOT, " %19s", "regret@" + cp + " ±95%"));
    }
    head.append(String.format(Locale.ROOT, " %7s %7s %15s", "reward", "subopt", "agent-trials/s"));
    o.println(head);
    for (BanditSimulation.AgentSummary a : r.agents()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-26s %-9s", a.agent(), a.implementation()));
      for (int c = 0; c < a.checkpoints().length; c++) {
        row.append(String.format(Locale.ROOT, " %10.4f ± %6.4f", a.meanRegret()[c], a.ci95()[c]));
      }
      row.append(String.format(Locale.ROOT, " %7.4f %7.4f %15.4g", a.meanReward(), a.suboptimalFraction(),
          a.agentTrialsPerSecond()));
      o.println(row);
    }
    if (!r.complete()) {
      o.println("INCOMPLETE: stopped early; the rows summarise the agents finished ("
          + r.agents().stream().map(a -> a.agent() + " " + a.agentsDone()).toList() + ")");
    }
    o.printf(Locale.ROOT, "wall time %.2f s (agent-trials/s include JIT warm-up, large on short runs; steady-state"
        + " throughput: ./neurorl bench --peers)%n", r.wallSeconds());
  }
}
