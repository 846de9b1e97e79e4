package org.neurorl.kernel.dra;

import java.util.List;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.Rng;
import org.neurorl.kernel.SimdExpectations;

/**
 * Shared pieces of the DRA kernel tests: the two implementations, parameter sets of the four models,
 * and a synthetic random task whose transitions are a pure function of (agent, step, state, action), so
 * two implementations that choose the same actions see the same states and rewards.
 */
final class DraFixture {
  private DraFixture() {}

  static DraKernel reference() {
    return new ReferenceDra();
  }

  static DraKernel simd() {
    return SimdExpectations.load(DraKernel.class, "org.neurorl.kernel.simd.SimdDra");
  }

  static List<DraParams> models(float gamma) {
    return List.of(
        DraParams.dra(3f, 0.3f, gamma, 1f, 0.05f, 0.2f, 0.1f, 2, DraParams.Psi.ADVANTAGE),
        DraParams.dra(3f, 0.3f, gamma, 1f, 0.05f, 0.2f, 0.1f, 2, DraParams.Psi.RETURN),
        DraParams.equalPrecision(3f, 0.3f, gamma, 1f, 0.05f).withSigmaInit(0.4f),
        DraParams.softQ(0.4f, 0.3f, gamma),
        DraParams.softmaxQ(3f, 0.3f, gamma));
  }

  /** The synthetic task: state of agent i at step t (−1 = episode over) and the reward of (s, a). */
  static final class Task {
    final int agents, states, actions;
    final int key;
    final int[] state;

    Task(int agents, int states, int actions, long seed) {
      this.agents = agents;
      this.states = states;
      this.actions = actions;
      this.key = Rng.key(seed, -7);
      this.state = new int[agents];
    }

    void reset(int t) {
      for (int i = 0; i < agents; i++) {
        // every 7th agent sits out the episode now and then: exercises "not acting" lanes
        state[i] = (i % 7 == 3 && t % 3 == 0) ? -1 : (int) (Rng.uniform(key, i * 7919 + t * 104729) * states);
      }
    }

    float reward(int i, int t, int s, int a) {
      return s < 0 ? 0f : ((s + a) % 3 == 0 ? 1f : 0f) + Rng.uniform(key ^ 0x55, i * 31 + t * 1009 + a) - 0.5f;
    }

    int next(int i, int t, int s, int a) {
      if (s < 0) {
        return -1;
      }
      float u = Rng.uniform(key ^ 0x77, i * 131 + t * 3571 + s * 17 + a);
      return u < 0.25f ? -1 : (int) (u * 4096) % states;
    }
  }

  /**
   * Plays {@code episodes} episodes of at most {@code steps} learning steps, each followed (DRA) by
   * N_traj rollouts of at most {@code steps} steps and a σ update. Records every action taken.
   */
  static int[] drive(DraKernel kernel, DraBatch batch, Task task, int episodes, int steps, Parallel parallel) {
    int b = batch.agents();
    int[] act = new int[b], next = new int[b], all = new int[episodes * steps * (1 + 2 * 2) * b];
    float[] reward = new float[b], prob = new float[b];
    int decision = 0, rolloutDecision = 0, w = 0;
    DraParams p = batch.params();
    for (int e = 0; e < episodes; e++) {
      task.reset(e);
      for (int t = 0; t < steps; t++) {
        kernel.act(batch, DraKernel.Phase.LEARN, decision, task.state, null, act, prob, parallel);
        for (int i = 0; i < b; i++) {
          reward[i] = task.reward(i, e * steps + t, task.state[i], act[i]);
          next[i] = t == steps - 1 ? -1 : task.next(i, e * steps + t, task.state[i], act[i]);
        }
        kernel.learn(batch, reward, next, decision + 1, parallel);
        decision++;
        System.arraycopy(act, 0, all, w, b);
        w += b;
        System.arraycopy(next, 0, task.state, 0, b);
      }
      if (p.model() == DraParams.Model.DRA) {
        for (int r = 0; r < p.rollouts(); r++) {
          task.reset(e * 31 + r + 1000);
          for (int t = 0; t < steps; t++) {
            kernel.act(batch, DraKernel.Phase.ROLLOUT, rolloutDecision++, task.state, null, act, null, parallel);
            for (int i = 0; i < b; i++) {
              reward[i] = task.reward(i, 5000 + t, task.state[i], act[i]);
              next[i] = t == steps - 1 ? -1 : task.next(i, 5000 + e * steps + t, task.state[i], act[i]);
            }
            kernel.rolloutReward(batch, reward, parallel);
            System.arraycopy(act, 0, all, w, b);
            w += b;
            System.arraycopy(next, 0, task.state, 0, b);
          }
          kernel.endRollout(batch, parallel);
        }
        kernel.updateSigma(batch, parallel);
      }
    }
    return java.util.Arrays.copyOf(all, w);
  }
}
