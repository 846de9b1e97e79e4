package org.neurorl.bench;

import java.util.List;
import java.util.Optional;

/**
 * The kernel benchmarks the report knows: which class, which methods are the reference and the fast
 * implementation, how many agent-steps one benchmark operation is, and how many bytes of state the
 * fast kernel's layout needs per agent. The formulas count float32 state (the fast kernels' layout;
 * the float64 references take twice as much) and, for the bandit kernels, the per-agent reward
 * probabilities; they are what the layout needs, not a measurement of the heap.
 */
public final class KernelCatalog {
  /** Bandit defaults used for the state formulas when the benchmark does not declare them as params. */
  public static final int DEFAULT_STATES = 1;
  public static final int DEFAULT_ACTIONS = 2;
  public static final int DEFAULT_LATENT = 2;

  /**
   * One kernel as the report shows it.
   *
   * @param key short stable name used in JSON ({@code plastic}, {@code lstm}, {@code latentQ},
   *     {@code tabularQ})
   * @param title human name
   * @param benchmark JMH class simple name
   * @param referenceMethod method of the plain reference
   * @param fastMethod method of the SIMD implementation
   */
  public record Kernel(String key, String title, String benchmark, String referenceMethod,
      String fastMethod) {

    /** Agent-steps (agent-trials for the bandit kernels) per benchmark operation. */
    public double agentStepsPerOp(Measurement m) {
      return m.longParam("batch", 1) * (double) m.longParam("trials", 1);
    }

    /** Bytes of float32 state per agent, from the layout formula; empty when unknown. */
    public Optional<Double> stateBytesPerAgent(Measurement m) {
      long n = m.longParam("n", -1);
      long s = m.longParam("states", DEFAULT_STATES);
      long a = m.longParam("actions", DEFAULT_ACTIONS);
      long k = m.longParam("latent", DEFAULT_LATENT);
      return switch (key) {
        // v, h, e (N each) + E, dU (N² each), modulated rule, full storage
        case "plastic" -> n < 0 ? Optional.empty() : Optional.of(4.0 * (3 * n + 2 * n * n));
        // h, c
        case "lstm" -> n < 0 ? Optional.empty() : Optional.of(4.0 * 2 * n);
        // W (S×K), Q (K×A), reward probabilities (A)
        case "latentQ" -> Optional.of(4.0 * (s * k + k * a + a));
        // Q (S×A), reward probabilities (A)
        case "tabularQ" -> Optional.of(4.0 * (s * a + a));
        // successes and failures per arm, reward probabilities (A)
        case "ucb1", "thompson" -> Optional.of(4.0 * 3 * a);
        // DRA: q̄, σ and the σ gradient (S×A each); the Q-learners: q (S×A)
        case "dra" -> Optional.of(4.0 * 3 * s * a);
        case "softQ", "softmaxQ" -> Optional.of(4.0 * s * a);
        default -> Optional.empty();
      };
    }

    public boolean isMethod(String method) {
      return method.equals(referenceMethod) || method.equals(fastMethod);
    }
  }

  public static final Kernel PLASTIC =
      new Kernel("plastic", "Plastic RNN step (modulated)", "PlasticRnnBenchmark", "reference", "simd");
  public static final Kernel LSTM = new Kernel("lstm", "LSTM step", "LstmBenchmark", "reference", "simd");
  public static final Kernel LATENT_Q =
      new Kernel("latentQ", "Latent Q trial step", "QBenchmark", "latentReference", "latentSimd");
  public static final Kernel TABULAR_Q =
      new Kernel("tabularQ", "Tabular softmax Q trial step", "QBenchmark", "tabularReference", "tabularSimd");

  public static final Kernel UCB1 =
      new Kernel("ucb1", "UCB1 trial", "ClassicBanditBenchmark", "ucb1Reference", "ucb1Simd");
  public static final Kernel THOMPSON =
      new Kernel("thompson", "Thompson trial", "ClassicBanditBenchmark", "thompsonReference", "thompsonSimd");
  public static final Kernel DRA =
      new Kernel("dra", "DRA memory-task trial (4 rollouts + σ update)", "DraBenchmark", "draReference", "draSimd");
  public static final Kernel SOFT_Q =
      new Kernel("softQ", "Soft Q memory-task trial", "DraBenchmark", "softQReference", "softQSimd");
  public static final Kernel SOFTMAX_Q =
      new Kernel("softmaxQ", "Softmax Q memory-task trial", "DraBenchmark", "softmaxQReference", "softmaxQSimd");
  public static final List<Kernel> ALL =
      List.of(PLASTIC, LSTM, LATENT_Q, TABULAR_Q, UCB1, THOMPSON, DRA, SOFT_Q, SOFTMAX_Q);

  /** Bytes moved per plastic agent-step in full storage: E and dU read and written once. */
  public static double plasticBytesPerStep(long n) {
    return 16.0 * n * n;
  }

  /** Flop per plastic agent-step, as the issue counts it. */
  public static double plasticFlopPerStep(long n) {
    return 15.0 * n * n;
  }

  /** The kernel a measurement belongs to, if any. */
  public static Optional<Kernel> of(Measurement m) {
    return ALL.stream().filter(k -> k.benchmark().equals(m.benchmark()) && k.isMethod(m.method())).findFirst();
  }

  private KernelCatalog() {}
}
