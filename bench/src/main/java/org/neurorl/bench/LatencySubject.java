package org.neurorl.bench;

import java.util.List;

/**
 * One call a front end makes, one at a time (a single agent, B = 1), for {@link LatencyHarness}.
 * Implementations hold everything the call needs (kernel, state, inputs, outputs) so that
 * {@link #call()} is exactly the call being timed.
 */
public interface LatencySubject {
  /** Human name, e.g. {@code "plastic step N=128 B=1 (simd-512)"}. */
  String name();

  /** The timed call. */
  void call();

  /**
   * Untimed bookkeeping after each call (for example starting the next episode after 100 trials), so
   * that what a front end does between calls does not land in the histogram.
   */
  default void untimed() {}

  /**
   * Cheap validity check run after the timed calls (for example: the outputs are finite), so a broken
   * kernel cannot look fast. Throws {@link IllegalStateException} when the outputs are wrong.
   */
  default void check() {}

  /**
   * A source of subjects. {@link LatencyHarness} loads the class named
   * {@link LatencyHarness#KERNEL_SUBJECTS} (public, no-argument constructor) when it is on the class path;
   * that class builds the kernels' subjects against their APIs.
   */
  interface Provider {
    List<LatencySubject> subjects();
  }
}
