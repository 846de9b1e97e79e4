package org.neurorl.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * An explicit pool of worker threads for batched kernels: work is cut into a fixed number of blocks
 * that does not depend on the thread count, and each block is computed by exactly one worker, so
 * results are bit-identical whatever the number of threads. The caller's thread works too.
 *
 * <p>There is no hidden global pool: a caller creates one (usually one per process, sized to the
 * cores) and passes it to the kernels; {@link #serial()} runs everything on the caller's thread.
 * Kernels keep per-worker scratch buffers indexed by the worker number they are handed.
 */
public final class Parallel implements AutoCloseable {
  /** A block of work: {@code worker} in [0, threads) owns its scratch; {@code block} says what to do. */
  @FunctionalInterface
  public interface BlockTask {
    void run(int worker, int block);
  }

  private static final Parallel SERIAL = new Parallel(1);
  /** How long a waiting thread spins before it parks: a few hand-offs' worth, far below a time slice. */
  private static final long SPIN_NANOS = 20_000;

  private final int threads;
  private final Thread[] workers;
  private final AtomicInteger nextBlock = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile BlockTask task;
  private volatile int blocks;
  private volatile long generation;
  private volatile boolean closed;
  private volatile Thread caller;

  private Parallel(int threads) {
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    for (int w = 1; w < threads; w++) {
      final int id = w;
      Thread t = new Thread(() -> workerLoop(id), "neurorl-worker-" + w);
      t.setDaemon(true);
      workers[w - 1] = t;
      t.start();
    }
  }

  /** Runs every block on the caller's thread. */
  public static Parallel serial() {
    return SERIAL;
  }

  /** A pool of {@code threads} workers including the caller (so {@code threads - 1} new threads). */
  public static Parallel of(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads = " + threads + "; allowed: 1 to 1024");
    }
    return threads == 1 ? SERIAL : new Parallel(threads);
  }

  /** One worker per available processor. */
  public static Parallel ofAvailableProcessors() {
    return of(Runtime.getRuntime().availableProcessors());
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task} for blocks {@code 0 .. blocks-1} and returns when all are done. Not reentrant:
   * one call at a time per pool; except that {@link #serial()} (any one-thread pool) runs on the
   * caller's thread without taking a lock, so workers of another pool may each run a
   * serial kernel call at the same time.
   */
  public void forEachBlock(int blocks, BlockTask task) {
    if (blocks < 0) {
      throw new IllegalArgumentException("blocks = " + blocks + "; allowed: 0 or more");
    }
    if (closed) {
      throw new IllegalStateException("this Parallel pool is closed");
    }
    if (threads == 1) {
      for (int b = 0; b < blocks; b++) {
        task.run(0, b);
      }
      return;
    }
    handOut(blocks, task);
  }

  private synchronized void handOut(int blocks, BlockTask task) {
    if (blocks <= 1) {
      for (int b = 0; b < blocks; b++) {
        task.run(0, b);
      }
      return;
    }
    this.task = task;
    this.blocks = blocks;
    this.caller = Thread.currentThread();
    failure.set(null);
    nextBlock.set(0);
    pending.set(workers.length);
    generation++; // publishes the fields above to the workers
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
    drain(0);
    // The other workers usually finish within microseconds of the caller: spin a little (bounded in
    // time, so a loaded machine does not lose a core to it), then sleep until the last one wakes us.
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (pending.get() > 0) {
      if (System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 200_000);
      }
    }
    this.task = null;
    Throwable f = failure.get();
    if (f != null) {
      if (f instanceof RuntimeException r) {
        throw r;
      }
      if (f instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(f);
    }
  }

  private void drain(int worker) {
    BlockTask t = task;
    int n = blocks;
    for (int b = nextBlock.getAndIncrement(); b < n; b = nextBlock.getAndIncrement()) {
      if (failure.get() != null) {
        return;
      }
      try {
        t.run(worker, b);
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }
  }

  private void workerLoop(int id) {
    long seen = 0;
    while (!closed) {
      long g = generation;
      if (g == seen) {
        // Kernels are called back to back: spin for a bounded time (not a count: PAUSE takes 10 to 140
        // cycles depending on the processor), then park until the caller unparks us.
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (generation == seen && !closed && System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        }
        if (generation == seen && !closed) {
          // untimed: an idle pool (or one its owner forgot to close) then costs no CPU at all; the
          // caller unparks every worker when it hands out work, and close() does too
          LockSupport.park(this);
        }
        continue;
      }
      seen = g;
      drain(id);
      if (pending.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  @Override
  public void close() {
    if (this == SERIAL) {
      return;
    }
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }
}
