package org.neurorl.kernel.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.NumericalBlowUpException;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.dra.DraBatch;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;

/**
 * Float32 DRA / equal precision / soft Q / softmax Q ({@link DraKernel}), one lane per agent.
 *
 * <p>Tables are agent-minor ({@code (s·A + a)·B' + i}, B' = B rounded up to 16), so a lane's row in its
 * own state is a gather with the index {@code s_i·A·B' + i} and action {@code a} is the constant offset
 * {@code a·B'}: one index array per call serves every action. Each lane touches only its own column, so
 * gathers and scatters never collide. The random draws use the same counters as the reference: the
 * action's uniform is {@link Rng#uniform} (exact), and ζ is {@link Rng#normal}'s Box–Muller computed lane
 * by lane in float32 ({@link #zetaRow}: the same integer hash bits, {@link VectorMath#log} and
 * {@link VectorMath#cos2pi}), equal to the reference's float64 ζ within a few float32 ulps. Vectors are
 * never kept in arrays (that boxes them): per-action intermediates go through small float scratch rows.
 */
public final class SimdDra implements DraKernel {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();
  private static final VectorSpecies<Integer> I = SimdSpecies.I;
  /** Agents per parallel block (a multiple of every lane count); fixed, so threads do not change results. */
  static final int BLOCK = 256;
  static final int QUANTUM = 16;

  @Override
  public String implementation() {
    return "simd-" + SimdSpecies.BITS;
  }

  @Override
  public DraBatch newBatch(int agents, int states, int actions, DraParams params, long seed, long firstAgentIndex,
      int maxRolloutSteps) {
    return new Batch(agents, states, actions, params, seed, firstAgentIndex, maxRolloutSteps);
  }

  static final class Batch extends DraBatch {
    final int padded;
    final float[] q, sigma, grad;
    final float[] lastState, lastAction;
    /** Scratch rows of B' (or A·B') floats, reused by every call. */
    final float[] stateF, nextF, uniform, rewardF, forcedF, actF, probF, zeta, logits, weights, values;
    final int[] rowIdx, nextIdx, pairIdx;
    /** The learning and rollout stream keys padded to B' (padding lanes draw but are masked to ζ = 0). */
    final int[] learnKeysPadded, rolloutKeysPadded;
    final float[] stepState, stepScore, stepReward;
    final Parallel.BlockTask actTask, learnTask, endTask;
    // arguments of the running call, read by the block tasks (set before forEachBlock publishes them)
    Phase phase;
    int decision, step;
    int[] stateArg, forced;
    boolean blewUp;

    Batch(int agents, int states, int actions, DraParams params, long seed, long first, int maxSteps) {
      super(agents, states, actions, params, seed, first, maxSteps);
      padded = (agents + QUANTUM - 1) / QUANTUM * QUANTUM;
      int n = states * actions * padded;
      q = new float[n];
      sigma = new float[n];
      grad = new float[n];
      Arrays.fill(sigma, params.noisy() ? params.sigmaInit() : 0f);
      lastState = new float[padded];
      lastAction = new float[padded];
      Arrays.fill(lastAction, -1f);
      stateF = new float[padded];
      nextF = new float[padded];
      uniform = new float[padded];
      rewardF = new float[padded];
      forcedF = new float[padded];
      actF = new float[padded];
      probF = new float[padded];
      zeta = new float[actions * padded];
      logits = new float[actions * padded];
      weights = new float[actions * padded];
      values = new float[actions * padded];
      rowIdx = new int[padded];
      nextIdx = new int[padded];
      pairIdx = new int[padded];
      learnKeysPadded = Arrays.copyOf(keys, padded);
      rolloutKeysPadded = Arrays.copyOf(rolloutKeys, padded);
      boolean keep = params.model() == DraParams.Model.DRA && params.psi() == DraParams.Psi.RETURN;
      stepState = new float[keep ? maxSteps * padded : 0];
      stepScore = new float[keep ? maxSteps * actions * padded : 0];
      stepReward = new float[keep ? maxSteps * padded : 0];
      actTask = (w, blk) -> actBlock(this, blk);
      learnTask = (w, blk) -> learnBlock(this, blk);
      endTask = (w, blk) -> endBlock(this, blk);
    }

    int blocks() {
      return (padded + BLOCK - 1) / BLOCK;
    }

    int rolloutStep() {
      return rolloutStep;
    }

    void rolloutStep(int value) {
      rolloutStep = value;
    }

    int rolloutCount() {
      return rolloutCount;
    }

    void rolloutCount(int value) {
      rolloutCount = value;
    }

    @Override
    public void readMeans(double[] out) {
      copyOut(q, out);
    }

    @Override
    public void readSigmas(double[] out) {
      copyOut(sigma, out);
    }

    private void copyOut(float[] t, double[] out) {
      if (out == null || out.length < tableLength()) {
        throw new IllegalArgumentException("out" + (out == null ? " is null" : ".length = " + out.length)
            + "; allowed: length >= " + tableLength());
      }
      for (int e = 0; e < states * actions; e++) {
        for (int i = 0; i < agents; i++) {
          out[e * agents + i] = t[e * padded + i];
        }
      }
    }

    @Override
    public void setMeans(double[] in) {
      checkTable("means", in);
      copyIn(in, q);
    }

    @Override
    public void setSigmas(double[] in) {
      checkSigmas(in);
      if (params.noisy()) {
        copyIn(in, sigma);
      }
    }

    private void copyIn(double[] in, float[] t) {
      for (int e = 0; e < states * actions; e++) {
        for (int i = 0; i < agents; i++) {
          t[e * padded + i] = (float) in[e * agents + i];
        }
      }
    }
  }

  private static Batch own(DraBatch batch) {
    if (!(batch instanceof Batch b)) {
      throw new IllegalArgumentException("batch = " + batch + "; allowed: a batch made by a SIMD DRA kernel");
    }
    return b;
  }

  // ---------------------------------------------------------------------------------------------- act

  @Override
  public void act(DraBatch batch, Phase phase, int decision, int[] states, int[] forced, int[] actionsOut,
      float[] probabilityOut, Parallel parallel) {
    Batch b = own(batch);
    b.checkAct(phase, decision, states, forced, actionsOut, probabilityOut);
    b.phase = phase;
    b.decision = decision;
    b.stateArg = states;
    b.forced = forced;
    b.step = b.rolloutStep();
    parallel.forEachBlock(b.blocks(), b.actTask);
    b.stateArg = null;
    b.forced = null;
    for (int i = 0; i < b.agents(); i++) {
      actionsOut[i] = (int) b.actF[i];
    }
    if (probabilityOut != null) {
      System.arraycopy(b.probF, 0, probabilityOut, 0, b.agents());
    }
    if (phase == Phase.ROLLOUT) {
      b.rolloutStep(b.rolloutStep() + 1);
    }
  }

  static void actBlock(Batch b, int blk) {
    int start = blk * BLOCK, end = Math.min(b.padded, start + BLOCK);
    DraParams p = b.params();
    int aa = b.actions(), bp = b.padded;
    boolean rollout = b.phase == Phase.ROLLOUT;
    int[] keys = rollout ? b.rolloutKeysPadded : b.learnKeysPadded;
    drawDecision(b, b.stateArg, keys, b.decision, start, end, b.stateF, b.rowIdx, true);
    if (b.forced != null) {
      for (int i = start; i < end; i++) {
        b.forcedF[i] = i < b.agents() && b.stateArg[i] >= 0 ? b.forced[i] : 0f;
      }
    }
    logits(b, b.rowIdx, start, end);
    softmaxWeights(b.logits, b.weights, b.values, aa, bp, start, end);
    choose(b.weights, b.values, b.uniform, b.forced != null ? b.forcedF : null, b.stateF, b.actF, b.probF, aa, bp,
        start, end);
    if (!rollout) {
      remember(b.stateF, b.actF, b.lastState, b.lastAction, start, end);
    } else if (p.psi() == DraParams.Psi.ADVANTAGE) {
      for (int a = 0; a < aa; a++) {
        gatherRow(b.q, a * bp, b.rowIdx, b.logits, a * bp, start, end); // logits row reused for q̄(s, ·)
      }
      advantageScores(b, start, end);
    } else {
      returnScores(b, start, end);
    }
  }

  /**
   * State as float, gather index and the action's uniform (scalar pass), then ζ for noisy models (vector
   * pass, one row per action) for lanes [start, end). Padding lanes and lanes that do not act get state
   * −1, index of their own row 0, ζ = 0. {@code keys} is padded to B'.
   */
  static void drawDecision(Batch b, int[] st, int[] keys, int decision, int start, int end, float[] stateOut,
      int[] idxOut, boolean uniform) {
    int aa = b.actions(), bp = b.padded, n = decision * (2 * aa + 1);
    for (int i = start; i < end; i++) {
      int s = i < b.agents() ? st[i] : -1;
      stateOut[i] = s;
      idxOut[i] = Math.max(s, 0) * aa * bp + i;
      if (uniform) {
        b.uniform[i] = s >= 0 ? Rng.uniform(keys[i], n + 2 * aa) : 0f;
      }
    }
    if (b.params().noisy()) {
      for (int a = 0; a < aa; a++) {
        zetaRow(keys, stateOut, b.zeta, a * bp, (n + 2 * a) * Rng.GOLDEN32, start, end);
      }
    }
  }

  /**
   * ζ = {@link Rng#normal}{@code (key, n)} lane by lane in float32 where state ≥ 0, else 0; {@code g1} =
   * n·GOLDEN32. The same draws as the reference: u1 = (1 + top 24 bits of draw n)·2⁻²⁴ in (0, 1] and
   * u2 = (top 24 bits of draw n+1)·2⁻²⁴ in [0, 1), both exact in float32, then √(−2 log u1)·cos 2πu2
   * ({@link VectorMath#log}, {@link VectorMath#cos2pi}): within a few float32 ulps of the float64 value
   * (bounded in {@code SimdDraNormalTest}). Two passes, radius then angle, because one loop holding both
   * polynomials and both hashes exceeds C2's inlining node budget and boxes every vector.
   */
  static void zetaRow(int[] keys, float[] state, float[] zeta, int off, int g1, int start, int end) {
    radiusRow(keys, zeta, off, g1, start, end);
    angleRow(keys, state, zeta, off, g1 + Rng.GOLDEN32, start, end);
  }

  /** √(−2 log u1) of draw g1 (= n·GOLDEN32) into {@code out}. */
  static void radiusRow(int[] keys, float[] out, int off, int g1, int start, int end) {
    for (int j = start; j < end; j += L) {
      IntVector top = QSimdPasses.bits(IntVector.fromArray(I, keys, j), g1).lanewise(VectorOperators.LSHR, 8);
      FloatVector u1 = ((FloatVector) top.add(1).convertShape(VectorOperators.I2F, F, 0)).mul(0x1p-24f);
      VectorMath.log(u1).mul(-2f).sqrt().intoArray(out, off + j);
    }
  }

  /** {@code out} ← out·cos 2πu2 (draw g2), or 0 where state &lt; 0. */
  static void angleRow(int[] keys, float[] state, float[] out, int off, int g2, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector c = VectorMath.cos2pi(QSimdPasses.uniform(IntVector.fromArray(I, keys, j), g2));
      VectorMask<Float> idle = FloatVector.fromArray(F, state, j).compare(VectorOperators.LT, 0f);
      FloatVector.fromArray(F, out, off + j).mul(c).blend(0f, idle).intoArray(out, off + j);
    }
  }

  /** logits[a] = β(q̄ + ζσ) (noisy), q/α (soft Q) or βq (softmax Q) in the lane's state. */
  static void logits(Batch b, int[] idx, int start, int end) {
    DraParams p = b.params();
    int aa = b.actions(), bp = b.padded;
    switch (p.model()) {
      case DRA, EQUAL_PRECISION -> {
        for (int a = 0; a < aa; a++) {
          noisyLogits(b.q, b.sigma, b.zeta, b.logits, idx, a * bp, p.beta(), start, end);
        }
      }
      case SOFT_Q -> {
        for (int a = 0; a < aa; a++) {
          scaledLogits(b.q, b.logits, idx, a * bp, 1f / p.alpha(), start, end);
        }
      }
      default -> {
        for (int a = 0; a < aa; a++) {
          scaledLogits(b.q, b.logits, idx, a * bp, p.beta(), start, end);
        }
      }
    }
  }

  static void noisyLogits(float[] q, float[] sigma, float[] zeta, float[] out, int[] idx, int off, float beta,
      int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector m = FloatVector.fromArray(F, q, off, idx, j);
      FloatVector sd = FloatVector.fromArray(F, sigma, off, idx, j);
      FloatVector z = FloatVector.fromArray(F, zeta, off + j);
      z.fma(sd, m).mul(beta).intoArray(out, off + j);
    }
  }

  static void scaledLogits(float[] q, float[] out, int[] idx, int off, float scale, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector.fromArray(F, q, off, idx, j).mul(scale).intoArray(out, off + j);
    }
  }

  static void gatherRow(float[] table, int off, int[] idx, float[] out, int outOff, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector.fromArray(F, table, off, idx, j).intoArray(out, outOff + j);
    }
  }

  /** weights[a] = exp(logits[a] − max); sum into {@code sums} row 0. */
  static void softmaxWeights(float[] logits, float[] weights, float[] sums, int aa, int bp, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector max = FloatVector.fromArray(F, logits, j);
      for (int a = 1; a < aa; a++) {
        max = max.max(FloatVector.fromArray(F, logits, a * bp + j));
      }
      FloatVector sum = F.zero().reinterpretAsFloats();
      for (int a = 0; a < aa; a++) {
        FloatVector w = VectorMath.exp(FloatVector.fromArray(F, logits, a * bp + j).sub(max));
        w.intoArray(weights, a * bp + j);
        sum = sum.add(w);
      }
      sum.intoArray(sums, j);
    }
  }

  /**
   * Inverse-CDF sampling on the unnormalised weights (u·Σw against the running sum, the reference's
   * u against the running sum of π), or the forced action; writes the action (−1 where not acting) and
   * π of it.
   */
  static void choose(float[] weights, float[] sums, float[] uniform, float[] forced, float[] state, float[] act,
      float[] prob, int aa, int bp, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector sum = FloatVector.fromArray(F, sums, j);
      FloatVector a;
      if (forced != null) {
        a = FloatVector.fromArray(F, forced, j);
      } else {
        FloatVector threshold = FloatVector.fromArray(F, uniform, j).mul(sum);
        FloatVector cum = F.zero().reinterpretAsFloats();
        a = FloatVector.broadcast(F, aa - 1);
        VectorMask<Float> decided = F.maskAll(false);
        for (int x = 0; x < aa - 1; x++) {
          cum = cum.add(FloatVector.fromArray(F, weights, x * bp + j));
          VectorMask<Float> now = threshold.compare(VectorOperators.LT, cum).andNot(decided);
          a = a.blend((float) x, now);
          decided = decided.or(now);
        }
      }
      FloatVector w = FloatVector.fromArray(F, weights, j);
      for (int x = 1; x < aa; x++) {
        w = w.blend(FloatVector.fromArray(F, weights, x * bp + j), a.compare(VectorOperators.EQ, (float) x));
      }
      VectorMask<Float> active = FloatVector.fromArray(F, state, j).compare(VectorOperators.GE, 0f);
      a.blend(-1f, active.not()).intoArray(act, j);
      w.div(sum).blend(0f, active.not()).intoArray(prob, j);
    }
  }

  static void remember(float[] state, float[] act, float[] lastState, float[] lastAction, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector.fromArray(F, state, j).intoArray(lastState, j);
      FloatVector.fromArray(F, act, j).intoArray(lastAction, j);
    }
  }

  /**
   * ψ = q̄(s,a) − Σ π q̄(s,·) ({@code logits} rows now hold q̄(s,·)); g(s,a') += β ζ_a' (1[a'=a] − π_a') ψ.
   * Lanes that do not act have ζ = 0, so they add exactly 0 to their own row 0.
   */
  static void advantageScores(Batch b, int start, int end) {
    int aa = b.actions(), bp = b.padded;
    advantage(b.logits, b.weights, b.values, b.actF, b.uniform, aa, bp, start, end); // ψ into uniform row
    for (int x = 0; x < aa; x++) {
      addScore(b.grad, b.rowIdx, b.zeta, b.weights, b.values, b.actF, b.uniform, x, bp, b.params().beta(), start,
          end);
    }
  }

  static void advantage(float[] qs, float[] weights, float[] sums, float[] act, float[] psiOut, int aa, int bp,
      int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector a = FloatVector.fromArray(F, act, j);
      FloatVector v = F.zero().reinterpretAsFloats();
      FloatVector qa = F.zero().reinterpretAsFloats();
      for (int x = 0; x < aa; x++) {
        FloatVector qx = FloatVector.fromArray(F, qs, x * bp + j);
        v = FloatVector.fromArray(F, weights, x * bp + j).fma(qx, v);
        qa = qa.blend(qx, a.compare(VectorOperators.EQ, (float) x));
      }
      qa.sub(v.div(FloatVector.fromArray(F, sums, j))).intoArray(psiOut, j);
    }
  }

  static void addScore(float[] grad, int[] idx, float[] zeta, float[] weights, float[] sums, float[] act,
      float[] psi, int x, int bp, float beta, int start, int end) {
    int off = x * bp;
    for (int j = start; j < end; j += L) {
      FloatVector pi = FloatVector.fromArray(F, weights, off + j).div(FloatVector.fromArray(F, sums, j));
      FloatVector ind = F.zero().reinterpretAsFloats().blend(1f,
          FloatVector.fromArray(F, act, j).compare(VectorOperators.EQ, (float) x));
      FloatVector g = FloatVector.fromArray(F, zeta, off + j).mul(beta).mul(ind.sub(pi))
          .mul(FloatVector.fromArray(F, psi, j));
      FloatVector.fromArray(F, grad, off, idx, j).add(g).intoArray(grad, off, idx, j);
    }
  }

  /** ψ = RETURN: keep the step's state and score vector for {@link #endRollout}. */
  static void returnScores(Batch b, int start, int end) {
    int aa = b.actions(), bp = b.padded, t = b.step;
    float beta = b.params().beta();
    System.arraycopy(b.stateF, start, b.stepState, t * bp + start, end - start);
    for (int x = 0; x < aa; x++) {
      keepScore(b.stepScore, (t * aa + x) * bp, b.zeta, b.weights, b.values, b.actF, x, bp, beta, start, end);
    }
  }

  static void keepScore(float[] out, int outOff, float[] zeta, float[] weights, float[] sums, float[] act, int x,
      int bp, float beta, int start, int end) {
    int off = x * bp;
    for (int j = start; j < end; j += L) {
      FloatVector pi = FloatVector.fromArray(F, weights, off + j).div(FloatVector.fromArray(F, sums, j));
      FloatVector ind = F.zero().reinterpretAsFloats().blend(1f,
          FloatVector.fromArray(F, act, j).compare(VectorOperators.EQ, (float) x));
      FloatVector.fromArray(F, zeta, off + j).mul(beta).mul(ind.sub(pi)).intoArray(out, outOff + j);
    }
  }

  // -------------------------------------------------------------------------------------------- learn

  @Override
  public void learn(DraBatch batch, float[] rewards, int[] nextStates, int nextDecision, Parallel parallel) {
    Batch b = own(batch);
    b.checkRewards(rewards);
    b.checkStates("nextStates", nextStates);
    if (nextDecision < 0) {
      throw new IllegalArgumentException("nextDecision = " + nextDecision + "; allowed: >= 0");
    }
    System.arraycopy(rewards, 0, b.rewardF, 0, b.agents());
    b.stateArg = nextStates;
    b.decision = nextDecision;
    b.blewUp = false;
    parallel.forEachBlock(b.blocks(), b.learnTask);
    b.stateArg = null;
    if (b.blewUp) {
      for (int e = 0; e < b.q.length; e++) {
        if (!Float.isFinite(b.q[e])) {
          throw new NumericalBlowUpException("q̄(" + e / b.padded + ")", e % b.padded, nextDecision, b.q[e]);
        }
      }
    }
  }

  static void learnBlock(Batch b, int blk) {
    int start = blk * BLOCK, end = Math.min(b.padded, start + BLOCK);
    DraParams p = b.params();
    int aa = b.actions(), bp = b.padded;
    boolean bootstrap = p.gamma() > 0;
    if (bootstrap) {
      drawDecision(b, b.stateArg, b.learnKeysPadded, b.decision, start, end, b.nextF, b.nextIdx, false);
      logits(b, b.nextIdx, start, end);
      for (int a = 0; a < aa; a++) {
        gatherRow(b.q, a * bp, b.nextIdx, b.values, a * bp, start, end);
      }
      switch (p.model()) {
        case DRA, EQUAL_PRECISION -> {
          softmaxWeights(b.logits, b.weights, b.uniform, aa, bp, start, end);
          expectedNext(b.weights, b.uniform, b.values, b.probF, aa, bp, start, end);
        }
        case SOFT_Q -> softNext(b.logits, b.probF, aa, bp, p.alpha(), start, end);
        default -> maxNext(b.values, b.probF, aa, bp, start, end);
      }
    }
    for (int i = start; i < end; i++) {
      int s = (int) b.lastState[i], a = (int) b.lastAction[i];
      b.pairIdx[i] = a < 0 ? i : (s * aa + a) * bp + i;
    }
    if (qUpdate(b.q, b.pairIdx, b.lastAction, b.rewardF, b.probF, b.nextF, p.gamma(), p.learningRate(), bootstrap,
        start, end)) {
      b.blewUp = true;
    }
  }

  /** Σ_a π_a q̄(s', a) into {@code out}. */
  static void expectedNext(float[] weights, float[] sums, float[] qs, float[] out, int aa, int bp, int start,
      int end) {
    for (int j = start; j < end; j += L) {
      FloatVector v = F.zero().reinterpretAsFloats();
      for (int x = 0; x < aa; x++) {
        v = FloatVector.fromArray(F, weights, x * bp + j).fma(FloatVector.fromArray(F, qs, x * bp + j), v);
      }
      v.div(FloatVector.fromArray(F, sums, j)).intoArray(out, j);
    }
  }

  /** v(s') = α log Σ exp(q/α) = α (m + log Σ exp(q/α − m)), m = max q/α ({@code logits} hold q/α). */
  static void softNext(float[] logits, float[] out, int aa, int bp, float alpha, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector max = FloatVector.fromArray(F, logits, j);
      for (int a = 1; a < aa; a++) {
        max = max.max(FloatVector.fromArray(F, logits, a * bp + j));
      }
      FloatVector sum = F.zero().reinterpretAsFloats();
      for (int a = 0; a < aa; a++) {
        sum = sum.add(VectorMath.exp(FloatVector.fromArray(F, logits, a * bp + j).sub(max)));
      }
      sum.lanewise(VectorOperators.LOG).add(max).mul(alpha).intoArray(out, j);
    }
  }

  static void maxNext(float[] qs, float[] out, int aa, int bp, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector max = FloatVector.fromArray(F, qs, j);
      for (int a = 1; a < aa; a++) {
        max = max.max(FloatVector.fromArray(F, qs, a * bp + j));
      }
      max.intoArray(out, j);
    }
  }

  /**
   * q̄(s,a) ← q̄(s,a) + α_q (target − q̄(s,a)) at the lane's remembered (s, a), target = r (+ γ·next when
   * s' is not terminal); forgets the decision. Returns true when a lane's new value is not finite.
   */
  private static boolean qUpdate(float[] q, int[] pair, float[] lastAction, float[] reward, float[] next,
      float[] nextState, float gamma, float rate, boolean bootstrap, int start, int end) {
    // non-finite values are detected by a float accumulator (x·0 is NaN exactly when x is not finite):
    // a loop-carried VectorMask can be boxed by C2, a loop-carried FloatVector is kept in a register
    FloatVector poison = F.zero().reinterpretAsFloats();
    for (int j = start; j < end; j += L) {
      VectorMask<Float> active = FloatVector.fromArray(F, lastAction, j).compare(VectorOperators.GE, 0f);
      FloatVector target = FloatVector.fromArray(F, reward, j);
      if (bootstrap) {
        VectorMask<Float> goesOn = FloatVector.fromArray(F, nextState, j).compare(VectorOperators.GE, 0f);
        target = target.add(FloatVector.fromArray(F, next, j).mul(gamma), goesOn);
      }
      FloatVector old = FloatVector.fromArray(F, q, 0, pair, j);
      FloatVector updated = target.sub(old).fma(FloatVector.broadcast(F, rate), old);
      FloatVector kept = old.blend(updated, active);
      poison = poison.add(kept.mul(0f));
      kept.intoArray(q, 0, pair, j);
      FloatVector.fromArray(F, lastAction, j).blend(-1f, active).intoArray(lastAction, j);
    }
    return Float.isNaN(poison.reduceLanes(VectorOperators.ADD));
  }

  // ----------------------------------------------------------------------------------------- rollouts

  @Override
  public void rolloutReward(DraBatch batch, float[] rewards, Parallel parallel) {
    Batch b = own(batch);
    b.checkRolloutPhase();
    b.checkRewards(rewards);
    if (b.params().psi() != DraParams.Psi.RETURN || b.rolloutStep() == 0) {
      return;
    }
    int off = (b.rolloutStep() - 1) * b.padded;
    for (int i = 0; i < b.agents(); i++) {
      b.stepReward[off + i] = b.stepState[off + i] >= 0 ? rewards[i] : 0f;
    }
  }

  @Override
  public void endRollout(DraBatch batch, Parallel parallel) {
    Batch b = own(batch);
    b.checkRolloutPhase();
    if (b.params().psi() == DraParams.Psi.RETURN) {
      b.step = b.rolloutStep();
      parallel.forEachBlock(b.blocks(), b.endTask);
      Arrays.fill(b.stepReward, 0f);
    }
    b.rolloutStep(0);
    b.rolloutCount(b.rolloutCount() + 1);
  }

  /** Backwards over the kept steps: ret = r_t + γ ret; g(s_t, ·) += e_t ret (ret kept in {@code values} row 0). */
  static void endBlock(Batch b, int blk) {
    int start = blk * BLOCK, end = Math.min(b.padded, start + BLOCK);
    int aa = b.actions(), bp = b.padded;
    Arrays.fill(b.values, start, end, 0f);
    for (int t = b.step - 1; t >= 0; t--) {
      for (int i = start; i < end; i++) {
        b.rowIdx[i] = Math.max((int) b.stepState[t * bp + i], 0) * aa * bp + i;
      }
      discount(b.values, b.stepReward, t * bp, b.params().gamma(), start, end);
      for (int x = 0; x < aa; x++) {
        addKept(b.grad, b.rowIdx, b.stepScore, (t * aa + x) * bp, x * bp, b.values, start, end);
      }
    }
  }

  static void discount(float[] ret, float[] reward, int off, float gamma, int start, int end) {
    for (int j = start; j < end; j += L) {
      FloatVector.fromArray(F, ret, j).fma(FloatVector.broadcast(F, gamma), FloatVector.fromArray(F, reward, off + j))
          .intoArray(ret, j);
    }
  }

  /** Lanes that did not act at that step kept a score of 0, so they add exactly 0. */
  static void addKept(float[] grad, int[] idx, float[] score, int scoreOff, int off, float[] ret, int start,
      int end) {
    for (int j = start; j < end; j += L) {
      FloatVector g = FloatVector.fromArray(F, score, scoreOff + j).mul(FloatVector.fromArray(F, ret, j));
      FloatVector.fromArray(F, grad, off, idx, j).add(g).intoArray(grad, off, idx, j);
    }
  }

  @Override
  public void updateSigma(DraBatch batch, Parallel parallel) {
    Batch b = own(batch);
    DraParams p = b.params();
    if (p.model() != DraParams.Model.DRA) {
      return;
    }
    float inv = b.rolloutCount() > 0 ? 1f / b.rolloutCount() : 0f;
    boolean bad = sigmaStep(b.sigma, b.grad, inv, p.lambda(), 1f / (p.sigmaBase() * p.sigmaBase()), p.sigmaRate(),
        p.sigmaMin(), p.sigmaBase());
    if (bad) {
      for (int e = 0; e < b.sigma.length; e++) {
        if (!Float.isFinite(b.sigma[e])) {
          throw new NumericalBlowUpException("σ(" + e / b.padded + ")", e % b.padded, -1, b.sigma[e]);
        }
      }
    }
    b.rolloutCount(0);
  }

  /**
   * σ ← clip(σ + α_σ(g/N − λ(σ/σ_base² − 1/σ)), σ_min, σ_base) over the whole table (padding lanes
   * included: they stay at σ_init's clip and are never read). Non-finite σ are left in place and reported.
   */
  static boolean sigmaStep(float[] sigma, float[] grad, float invCount, float lambda, float invBase2, float rate,
      float lo, float hi) {
    FloatVector poison = F.zero().reinterpretAsFloats(); // see qUpdate
    boolean cost = lambda > 0f;
    for (int j = 0; j < sigma.length; j += L) {
      FloatVector s = FloatVector.fromArray(F, sigma, j);
      FloatVector step = FloatVector.fromArray(F, grad, j).mul(invCount);
      if (cost) {
        step = step.sub(s.mul(invBase2).sub(s.broadcast(1f).div(s)).mul(lambda));
      }
      FloatVector updated = step.fma(FloatVector.broadcast(F, rate), s);
      poison = poison.add(updated.mul(0f));
      VectorMask<Float> finite = updated.test(VectorOperators.IS_FINITE);
      updated = updated.blend(lo, updated.compare(VectorOperators.LT, lo));
      updated = updated.blend(hi, updated.compare(VectorOperators.GT, hi));
      updated.blend(s, finite.not()).intoArray(sigma, j);
      F.zero().reinterpretAsFloats().intoArray(grad, j);
    }
    return Float.isNaN(poison.reduceLanes(VectorOperators.ADD));
  }
}
