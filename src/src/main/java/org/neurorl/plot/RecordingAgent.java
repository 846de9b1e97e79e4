package org.neurorl.plot;

import org.neurorl.agent.BatchAgent;

/**
 * A {@link BatchAgent} that plays exactly like the agent it wraps and shows every chosen action batch to
 * a {@link Sink}, with the trial number within the episode. It lets a figure see per-trial choices of
 * agents run by {@link org.neurorl.bandit.BanditRunner}, which streams only regret.
 */
public final class RecordingAgent implements BatchAgent {
  /** Told the actions of every slot at each trial (the array is reused: copy what you keep). */
  @FunctionalInterface
  public interface Sink {
    void actions(int trial, int[] actions);
  }

  private final BatchAgent inner;
  private final Sink sink;
  private int trial;

  public RecordingAgent(BatchAgent inner, Sink sink) {
    if (inner == null || sink == null) {
      throw new IllegalArgumentException("inner agent and sink must not be null");
    }
    this.inner = inner;
    this.sink = sink;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int batchSize() {
    return inner.batchSize();
  }

  @Override
  public int actionCount() {
    return inner.actionCount();
  }

  @Override
  public void reset(long episode) {
    inner.reset(episode);
    trial = 0;
  }

  @Override
  public void act(float[] observations, int[] actions) {
    inner.act(observations, actions);
    sink.actions(trial, actions);
  }

  @Override
  public void observe(int[] actions, float[] rewards, boolean[] done) {
    inner.observe(actions, rewards, done);
    trial++;
    // the bandit's episodes end together (same length in every slot), so one counter serves the batch
    if (done != null && done.length > 0 && done[0]) {
      trial = 0;
    }
  }
}
