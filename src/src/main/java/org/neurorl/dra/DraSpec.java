package org.neurorl.dra;

import java.util.List;
import org.neurorl.kernel.dra.DraParams;

/**
 * Everything that defines a DRA-versus-maximum-entropy study (the {@code neurorl dra} command); the
 * defaults are {@link #defaults()}. A JSON file with any subset of these fields overrides them.
 *
 * <p>Memory task: {@code agents} agents per model, {@code trials} trials, set ratio {@code ratio}. DRA
 * and equal precision use β = {@code beta}; every agent learns with {@code learningRate} (α_q, η) and
 * γ = 0 (one-trial episodes). DRA: σ_base, σ_min, α_σ, N_traj, ψ and one run per λ in {@code lambdas}.
 * Soft Q: one run per α in {@code alphas}; softmax Q at β = {@code softmaxBeta}. Fits: soft-Q α over
 * {@code fitAlphas}; DRA over {@code fitLambdas} × {@code fitBetas}; {@code bootstrap} resamples of agents.
 * Maze: the {@code maze*} fields, same meaning.
 */
public record DraSpec(int agents, int trials, double ratio, long seed, float beta, float learningRate,
    float sigmaBase, float sigmaMin, float sigmaRate, int rollouts, DraParams.Psi psi, List<Double> lambdas,
    List<Double> alphas, float softmaxBeta, List<Double> fitAlphas, List<Double> fitLambdas, List<Double> fitBetas,
    int bootstrap, int mazeAgents, int mazeEpisodes, int mazeSwitch, int mazeMaxSteps, float mazeGamma,
    float mazeLearningRate, float mazeBeta, float mazeSigmaBase, float mazeSigmaMin, float mazeSigmaRate,
    float mazeLambda, int mazeRollouts, int mazeRolloutSteps, List<Double> mazeAlphas) {

  public static DraSpec defaults() {
    return new DraSpec(300, 800, 4, 1, 4f, 0.1f, 1f, 0.01f, 1f, 8, DraParams.Psi.ADVANTAGE,
        List.of(0.002, 0.01, 0.05), List.of(0.25, 0.5, 1.0), 2f, logGrid(0.05, 5, 121),
        logGrid(0.0005, 0.1, 4), List.of(2.0, 4.0, 8.0, 16.0), 400,
        200, 120, 60, 200, 0.95f, 0.5f, 20f, 0.2f, 0.001f, 0.05f, 0.01f, 2, 100, List.of(0.05, 0.01, 0.002));
  }

  /** {@code n} values from lo to hi, equally spaced in log. */
  public static List<Double> logGrid(double lo, double hi, int n) {
    Double[] v = new Double[n];
    for (int k = 0; k < n; k++) {
      v[k] = lo * Math.pow(hi / lo, k / (double) (n - 1));
    }
    return List.of(v);
  }

  public DraParams dra(double lambda) {
    return DraParams.dra(beta, learningRate, 0f, sigmaBase, sigmaMin, sigmaRate, (float) lambda, rollouts, psi);
  }

  public DraParams mazeDra() {
    return DraParams.dra(mazeBeta, mazeLearningRate, mazeGamma, mazeSigmaBase, mazeSigmaMin, mazeSigmaRate, mazeLambda,
        mazeRollouts, psi);
  }
}
