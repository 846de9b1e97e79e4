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
import org.neurorl.sim.CueActionSpec;
import org.neurorl.sim.Json;
import org.neurorl.sim.NpyRowWriter;
import org.neurorl.sim.SimulationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurorl simulate}: bandit agents on the Bernoulli bandit tasks, summarised by cumulative regret; and
 * the Q-learners on the cue–action task, summarised by accuracy, reward and regret per trial.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Simulate agents on Bernoulli bandit tasks (episodes of --trials trials; each agent"
        + " plays one episode from scratch): latent-Q and tabular-Q learners, UCB1 and Thompson sampling (SIMD"
        + " kernels), the Gittins index and the exact Bayes-optimal policy. Prints mean cumulative regret at the"
        + " checkpoint trials with 95%% confidence intervals, and agent-trials/s. All agent types play the same"
        + " episodes. Same spec and seed: same numbers, whatever --threads. --task cue-action runs latent-Q and"
        + " tabular-Q on the cue-action task instead (see Tasks below).",
    footer = {"", "Tasks (MODELS.md section 5):",
        "  two-armed    --task independent (default) | correlated | fixed --p P1,P2",
        "  k-armed      --arms K (2 to 8), --task independent | fixed --p K values",
        "  reversal     --reversal R | MIN,MAX, with any task above: probabilities",
        "               reverse in rank at trial R (or one drawn from MIN..MAX)",
        "  cue-action   --task cue-action [--active-cues 4 --actions 4 --replaced-cues 2",
        "               --switch-trial T/2 --correct-reward 1 --wrong-reward -1]: each trial",
        "               shows one of the active cues; its rewarded action (drawn per agent)",
        "               earns the correct reward, any other the penalty; after the switch",
        "               trial the first R cues are dropped and R new cues added.",
        "               Regret there: per trial, the expected reward of the best action",
        "               (the cue's rewarded one) minus that of the chosen one, i.e.",
        "               correct - wrong reward on a wrong choice, 0 otherwise; cumulated.",
        "               Also reports accuracy and reward per trial (mean, 95%% interval).",
        "Agents and the tasks they apply to (default: every agent that applies):",
        "  latent-q, tabular-q, ucb1, thompson   every task",
        "  gittins                               stationary (not --reversal)",
        "  bayes-optimal                         two arms, stationary",
        "  cue-action: latent-q and tabular-q only (softmax; UCB1 and Thompson ignore",
        "  the cue, Gittins and Bayes-optimal are for Bernoulli arms without cues)",
        "",
        "Example: neurorl simulate --task fixed --p 0.25,0.75 --agents 300 \\",
        "           --out results/sim",
        "  writes results/sim/summary.json (repeat: --spec results/sim/summary.json),",
        "  curves.csv, regret_mean.npy and regret_ci95.npy (agent type x trial).",
        "Example: neurorl simulate --arms 4 --reversal 30,70 --agents 100000",
        "Example: neurorl simulate --task cue-action --trials 200 --checkpoints 100,101,200 \\",
        "           --agents 10000 --out results/cue  (also accuracy_*.npy, reward_*.npy)"})
public final class SimulateCommand implements Callable<Integer> {
  private static final SimulationSpec D = SimulationSpec.defaults();
  private static final CueActionSpec C = CueActionSpec.defaults();
  private static final List<String> CUE_OPTIONS = List.of("--active-cues", "--replaced-cues", "--actions",
      "--switch-trial", "--correct-reward", "--wrong-reward");
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
      + "(p2 = 1 - p1) or fixed (--p); or cue-action, the cue-action task (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--active-cues", paramLabel = "C", description = "Cue-action task: cues active at any time"
      + " (default: ${DEFAULT-VALUE}).")
  int activeCues = C.activeCues();

  @Option(names = "--replaced-cues", paramLabel = "R", description = "Cue-action task: cues dropped, and as many"
      + " new ones added, at the switch trial (default: ${DEFAULT-VALUE}).")
  int replacedCues = C.replacedCues();

  @Option(names = "--actions", paramLabel = "A", description = "Cue-action task: actions, one rewarded per cue"
      + " (default: ${DEFAULT-VALUE}).")
  int actions = C.actions();

  @Option(names = "--switch-trial", paramLabel = "S", description = "Cue-action task: the cue replacement happens"
      + " after S trials (S = the first 0-based trial with the new cues, 1 to trials - 1; default: trials / 2).")
  Integer switchTrial;

  @Option(names = "--correct-reward", description = "Cue-action task: reward of the cue's rewarded action"
      + " (default: ${DEFAULT-VALUE}).")
  float correctReward = C.correctReward();

  @Option(names = {"--wrong-reward", "--penalty"}, paramLabel = "REWARD", description = "Cue-action task: reward"
      + " of any other action, below --correct-reward (default: ${DEFAULT-VALUE}, the penalty).")
  float wrongReward = C.wrongReward();

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
          s.blockAgents(), s.arms(), s.reversal(), s.cueAction());
    }
    var parsed = command.commandLine().getParseResult();
    if (task != null && task.trim().equalsIgnoreCase(CueActionSpec.TASK)) {
      List<String> types = parsed.hasMatchedOption("--agent") ? agentTypes : SimulationSpec.CUE_AGENT_TYPES;
      CueActionSpec cue = new CueActionSpec(activeCues, replacedCues, actions, switchTrial, correctReward,
          wrongReward);
      return new SimulationSpec(types, agents, trials, CueActionSpec.TASK,
          parsed.hasMatchedOption("--p") ? probabilities : null, learningRate, beta, epsilon, latentUnits,
          initScale, gittinsDiscount, checkpoints, seed, threads, blockAgents,
          parsed.hasMatchedOption("--arms") ? arms : null, reversal, cue);
    }
    for (String o : CUE_OPTIONS) {
      if (parsed.hasMatchedOption(o)) {
        throw new IllegalArgumentException(o + " applies to --task " + CueActionSpec.TASK + " only; the task here"
            + " is " + task);
      }
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
            + (s.onCueActionTask() ? ", accuracy_mean.npy, accuracy_ci95.npy, reward_mean.npy, reward_ci95.npy" : "")
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
    boolean cue = r.spec().onCueActionTask();
    StringBuilder csv = new StringBuilder("agent,trial,mean_cumulative_regret,ci95"
        + (cue ? ",accuracy,accuracy_ci95,reward,reward_ci95" : "") + "\n");
    double[][] cueArrays = new double[4][cue ? types * trials : 0];
    for (int a = 0; a < types; a++) {
      BanditSimulation.AgentSummary s = r.agents().get(a);
      System.arraycopy(s.curveMean(), 0, mean, a * trials, trials);
      System.arraycopy(s.curveCi95(), 0, ci, a * trials, trials);
      BanditSimulation.CueCurves c = s.cueAction();
      double[][] cueRows = cue ? new double[][] {c.accuracyMean(), c.accuracyCi95(), c.rewardMean(), c.rewardCi95()}
          : new double[0][];
      for (int k = 0; k < cueRows.length; k++) {
        System.arraycopy(cueRows[k], 0, cueArrays[k], a * trials, trials);
      }
      for (int t = 0; t < trials; t++) {
        csv.append(s.agent()).append(',').append(t + 1).append(',').append(s.curveMean()[t]).append(',')
            .append(s.curveCi95()[t]);
        for (double[] row : cueRows) {
          csv.append(',').append(row[t]);
        }
        csv.append('\n');
      }
    }
    if (cue) {
      String[] names = {"accuracy_mean.npy", "accuracy_ci95.npy", "reward_mean.npy", "reward_ci95.npy"};
      for (int k = 0; k < names.length; k++) {
        org.neurorl.sim.Npy.write(dir.resolve(names[k]), cueArrays[k], types, trials);
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
      this.columns = BanditSimulation.perAgentColumns(spec);
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
    if (s.onCueActionTask()) {
      int sw = s.cueAction().switchTrial();
      o.printf(Locale.ROOT, "regret on the cue-action task: per trial, the expected reward of the cue's rewarded"
          + " action minus that of the chosen one (%s per wrong choice), cumulated; reward = mean reward per"
          + " trial; subopt = fraction of wrong choices%n", s.cueAction().wrongRegret());
      o.printf(Locale.ROOT, "accuracy (fraction of correct choices, ±95%%) at trials 1, %d (last before the"
          + " replacement), %d (first after), %d:%n", sw, sw + 1, s.trials());
      for (BanditSimulation.AgentSummary a : r.agents()) {
        double[] m = a.cueAction().accuracyMean(), h = a.cueAction().accuracyCi95();
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-26s", a.agent()));
        for (int t : new int[] {0, sw - 1, sw, s.trials() - 1}) {
          row.append(String.format(Locale.ROOT, " %7.4f ± %6.4f", m[t], h[t]));
        }
        o.println(row);
      }
    }
    if (!r.complete()) {
      o.println("INCOMPLETE: stopped early; the rows summarise the agents finished ("
          + r.agents().stream().map(a -> a.agent() + " " + a.agentsDone()).toList() + ")");
    }
    o.printf(Locale.ROOT, "wall time %.2f s (agent-trials/s include JIT warm-up, large on short runs; steady-state"
        + " throughput: ./neurorl bench --peers)%n", r.wallSeconds());
  }
}
