package org.neurorl.bench;

import java.util.List;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.lstm.LstmKernel;
import org.neurorl.kernel.lstm.LstmParams;
import org.neurorl.kernel.lstm.LstmState;
import org.neurorl.kernel.plastic.PlasticRnnKernel;
import org.neurorl.kernel.plastic.PlasticRnnState;
import org.neurorl.kernel.plastic.PlasticRnnWeights;
import org.neurorl.kernel.plastic.PlasticityRule;
import org.neurorl.kernel.qlearn.LatentQKernel;
import org.neurorl.kernel.qlearn.QBatch;
import org.neurorl.kernel.qlearn.QParams;
import org.neurorl.kernel.qlearn.TabularQKernel;

/**
 * The kernels' single-agent calls for {@link LatencyHarness}, written against the kernel APIs: one
 * plastic step and one LSTM step at N = 128 (B = 1, serial pool), and one latent-Q and one tabular-Q
 * trial (one agent, two arms, a new episode every 100 trials outside the timed call). Each subject uses
 * the implementation {@code create()} selects, named in the subject.
 */
public final class KernelLatencySubjects implements LatencySubject.Provider {
  private static final int N = 128;
  private static final int INPUTS = 4;
  private static final int ACTIONS = 2;
  private static final int TRIALS_PER_EPISODE = 100;

  @Override
  public List<LatencySubject> subjects() {
    return List.of(plastic(), lstm(), latentQ(), tabularQ());
  }

  private static void requireFinite(String what, float[] v) {
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalStateException(what + " produced " + x);
      }
    }
  }

  static LatencySubject plastic() {
    PlasticRnnKernel k = PlasticRnnKernel.create();
    // recurrent gain 1/sqrt(N) keeps the network out of the chaotic regime (VECTOR-API-NOTES)
    PlasticRnnWeights w = PlasticRnnWeights.random(N, INPUTS, ACTIONS, (float) (1 / Math.sqrt(N)), 0.1f, 7L);
    PlasticRnnState s = k.newState(w, PlasticityRule.modulated(0.1f, 0.1f, 0.1f, 1f), 1);
    float[] x = {1f, 0f, 0.5f, 0.25f};
    float[] logits = new float[ACTIONS];
    float[] values = new float[1];
    Parallel pool = Parallel.serial();
    return new LatencySubject() {
      @Override
      public String name() {
        return "plastic step N=" + N + " B=1 (" + k.implementation() + ")";
      }

      @Override
      public void call() {
        k.step(s, x, logits, values, pool);
      }

      @Override
      public void check() {
        requireFinite("plastic step logits", logits);
        requireFinite("plastic step value", values);
      }
    };
  }

  static LatencySubject lstm() {
    LstmKernel k = LstmKernel.create();
    LstmParams p = LstmParams.random(INPUTS, N, ACTIONS, 7L, (float) (1 / Math.sqrt(N)));
    LstmState s = k.newState(p, 1);
    float[] x = {1f, 0f, 0.5f, 0.25f};
    float[] logits = new float[ACTIONS];
    float[] values = new float[1];
    Parallel pool = Parallel.serial();
    return new LatencySubject() {
      @Override
      public String name() {
        return "LSTM step N=" + N + " B=1 (" + k.implementation() + ")";
      }

      @Override
      public void call() {
        k.step(p, s, x, logits, values, pool);
      }

      @Override
      public void check() {
        requireFinite("LSTM step logits", logits);
        requireFinite("LSTM step value", values);
      }
    };
  }

  static LatencySubject latentQ() {
    LatentQKernel k = LatentQKernel.create();
    QBatch b = k.newBatch(1, 1, 2, ACTIONS, QParams.softmax(0.1f, 5f, QParams.DEFAULT_LATENT_INIT_SCALE), 7L);
    return trial("latent Q trial, 1 agent (" + k.implementation() + ")", b, () -> k.run(b, 1, Parallel.serial()));
  }

  static LatencySubject tabularQ() {
    TabularQKernel k = TabularQKernel.create();
    QBatch b = k.newBatch(1, 1, ACTIONS, QParams.softmax(0.1f, 5f, 0f), 7L);
    return trial("tabular Q trial, 1 agent (" + k.implementation() + ")", b, () -> k.run(b, 1, Parallel.serial()));
  }

  private static LatencySubject trial(String name, QBatch b, Runnable oneTrial) {
    // the fixed bandit of the tests: arms at 0.25 and 0.75
    float[] p = new float[b.probabilitiesLength()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % ACTIONS == 0 ? 0.25f : 0.75f;
    }
    b.setRewardProbabilities(p);
    return new LatencySubject() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void call() {
        oneTrial.run();
      }

      @Override
      public void untimed() {
        if (b.trial() >= TRIALS_PER_EPISODE) {
          b.reset((b.episode() + 1) % QBatch.MAX_EPISODES);
        }
      }

      @Override
      public void check() {
        double[] q = new double[b.valuesLength()];
        b.values(q);
        for (double v : q) {
          if (!Double.isFinite(v)) {
            throw new IllegalStateException(name + " produced Q = " + v);
          }
        }
      }
    };
  }
}
