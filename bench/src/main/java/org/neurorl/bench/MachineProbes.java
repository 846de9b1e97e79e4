package org.neurorl.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.simd.SimdSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The machine's limits, measured in Java in the same run as the kernels so that roofline fractions
 * compare like with like (same JVM, same vector width, same moment of a shared machine).
 *
 * <p>One benchmark operation is one pass over the working set (bandwidth), one block of
 * {@link #FMA_ITERATIONS} × {@link #FMA_CHAINS} vector FMAs (peak), or {@link #CLOCK_ADDS} dependent
 * adds (clock). {@link #unitsPerOp} turns a score in ops/s into bytes/s, flop/s or cycles/s; the
 * report ({@link Report}) uses it, so the counting rule lives in one place:
 * <ul>
 *   <li>read-modify-write {@code a[i] = a[i]·s + t}: every byte is read once and written once,
 *       2 × working set per pass;</li>
 *   <li>triad {@code a = b + s·c} over three arrays that share the working set: STREAM counting,
 *       each array moved once (1 × working set per pass; the write-allocate read of {@code a} that
 *       the hardware also performs is not counted, as in STREAM);</li>
 *   <li>FMA: 2 flop per lane per FMA;</li>
 *   <li>clock: a chain of dependent scalar {@code long} adds retires one add per cycle, so adds/s is
 *       the clock rate.</li>
 * </ul>
 * Each thread of a {@code @Threads(2)} method owns its arrays ({@link Scope#Thread}); JMH sums the
 * threads' throughputs, so a two-thread score is the machine's figure.
 *
 * <p>The loops are kept out of line ({@code DONT_INLINE}): inlined into JMH's measurement loop the
 * sixteen-accumulator FMA loop exceeded what C2 would compile without boxing (megabytes per op seen).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class MachineProbes {
  /** Working-set size that sits in L2 (2 MiB per core here; 1 MiB leaves room for the rest). */
  public static final long L2_BYTES = 1L << 20;
  /**
   * Working-set size that must come from main memory. The L3 here is 300 MiB (shared with other
   * guests), so 1 GiB per thread, not 512 MiB, is needed to be sure most lines miss it.
   */
  public static final long MEMORY_BYTES = 1L << 30;
  /** Independent FMA accumulator chains: covers 4-cycle latency × 2 FMA ports with room to spare. */
  public static final int FMA_CHAINS = 16;
  /** FMA loop iterations per operation (each does {@link #FMA_CHAINS} vector FMAs). */
  public static final int FMA_ITERATIONS = 4096;
  /** Dependent adds per clock operation. */
  public static final int CLOCK_ADDS = 1 << 16;

  private static final VectorSpecies<Float> F = SimdSpecies.F;

  /** Per-thread arrays for the bandwidth probes, sized by {@code bytes}. */
  @State(Scope.Thread)
  public static class Arrays {
    /** Working set in bytes per thread; {@link #L2_BYTES} and {@link #MEMORY_BYTES}. */
    @Param({"1048576", "1073741824"})
    public long bytes;

    float[] rmw;
    float[] a;
    float[] b;
    float[] c;
    boolean triad;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
      // Allocate only what the running method touches: two 1 GiB sets per thread would not fit
      // comfortably next to the other sessions on this machine.
      triad = params.getBenchmark().contains("triad");
      if (triad) {
        int n = Math.toIntExact(bytes / 3 / Float.BYTES);
        a = filled(n, 0f);
        b = filled(n, 1f);
        c = filled(n, 2f);
      } else {
        rmw = filled(Math.toIntExact(bytes / Float.BYTES), 0.5f);
      }
    }

    private static float[] filled(int n, float v) {
      float[] x = new float[n];
      java.util.Arrays.fill(x, v);
      return x;
    }
  }

  /** Per-thread FMA accumulators' inputs (fields, so C2 cannot fold them). */
  @State(Scope.Thread)
  public static class FmaInputs {
    float seed = 0.25f;
    float multiplier = 0.9999f;
    float addend = 1e-4f;
  }

  /** The clock chain's addends, indexed with a mask so C2 can neither vectorise nor fold the sum. */
  @State(Scope.Thread)
  public static class ClockInputs {
    final long[] addends = {1, 3, 5, 7, 11, 13, 17, 19};
  }

  /** In-place read-modify-write pass: {@code a[i] = a[i]·s + t} (fixed point 1, no denormals). */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static float readModifyWrite(float[] a, float s, float t) {
    int i = 0;
    int bound = F.loopBound(a.length);
    FloatVector vs = FloatVector.broadcast(F, s);
    FloatVector vt = FloatVector.broadcast(F, t);
    for (; i < bound; i += F.length()) {
      FloatVector.fromArray(F, a, i).fma(vs, vt).intoArray(a, i);
    }
    for (; i < a.length; i++) {
      a[i] = Math.fma(a[i], s, t);
    }
    return a[a.length - 1];
  }

  /** STREAM triad: {@code a = b + s·c}. */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static float triad(float[] a, float[] b, float[] c, float s) {
    int i = 0;
    int n = a.length;
    int bound = F.loopBound(n);
    FloatVector vs = FloatVector.broadcast(F, s);
    for (; i < bound; i += F.length()) {
      FloatVector.fromArray(F, c, i).fma(vs, FloatVector.fromArray(F, b, i)).intoArray(a, i);
    }
    for (; i < n; i++) {
      a[i] = Math.fma(c[i], s, b[i]);
    }
    return a[n - 1];
  }

  /**
   * {@link #FMA_CHAINS} independent chains {@code acc = acc·m + t}, {@code iterations} times; returns
   * the sum of the accumulators so nothing is dead. The chains converge to {@code t/(1-m)} (no
   * overflow, no denormals).
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static float fmaChains(float seed, float m, float t, int iterations) {
    FloatVector vm = FloatVector.broadcast(F, m);
    FloatVector vt = FloatVector.broadcast(F, t);
    FloatVector a0 = FloatVector.broadcast(F, seed);
    FloatVector a1 = a0.add(vt);
    FloatVector a2 = a1.add(vt);
    FloatVector a3 = a2.add(vt);
    FloatVector a4 = a3.add(vt);
    FloatVector a5 = a4.add(vt);
    FloatVector a6 = a5.add(vt);
    FloatVector a7 = a6.add(vt);
    FloatVector a8 = a7.add(vt);
    FloatVector a9 = a8.add(vt);
    FloatVector a10 = a9.add(vt);
    FloatVector a11 = a10.add(vt);
    FloatVector a12 = a11.add(vt);
    FloatVector a13 = a12.add(vt);
    FloatVector a14 = a13.add(vt);
    FloatVector a15 = a14.add(vt);
    for (int k = 0; k < iterations; k++) {
      a0 = a0.fma(vm, vt);
      a1 = a1.fma(vm, vt);
      a2 = a2.fma(vm, vt);
      a3 = a3.fma(vm, vt);
      a4 = a4.fma(vm, vt);
      a5 = a5.fma(vm, vt);
      a6 = a6.fma(vm, vt);
      a7 = a7.fma(vm, vt);
      a8 = a8.fma(vm, vt);
      a9 = a9.fma(vm, vt);
      a10 = a10.fma(vm, vt);
      a11 = a11.fma(vm, vt);
      a12 = a12.fma(vm, vt);
      a13 = a13.fma(vm, vt);
      a14 = a14.fma(vm, vt);
      a15 = a15.fma(vm, vt);
    }
    FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
        .add(a8.add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15));
    return s.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code adds} dependent scalar adds into one {@code long}. The addend comes from a masked array
   * index, which C2 can neither hoist (so no {@code x + n·y} closed form) nor vectorise (not a
   * linear address), so the chain's latency, one cycle per add, is the time.
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  public static long addChain(long[] addends, int adds) {
    long x = 0;
    int mask = addends.length - 1;
    for (int k = 0; k < adds; k++) {
      x += addends[k & mask];
    }
    return x;
  }

  @Benchmark
  @Threads(1)
  public void rmw1T(Arrays s, Blackhole bh) {
    bh.consume(readModifyWrite(s.rmw, 0.999f, 0.001f));
  }

  @Benchmark
  @Threads(2)
  public void rmw2T(Arrays s, Blackhole bh) {
    bh.consume(readModifyWrite(s.rmw, 0.999f, 0.001f));
  }

  @Benchmark
  @Threads(1)
  public void triad1T(Arrays s, Blackhole bh) {
    bh.consume(triad(s.a, s.b, s.c, 0.5f));
  }

  @Benchmark
  @Threads(2)
  public void triad2T(Arrays s, Blackhole bh) {
    bh.consume(triad(s.a, s.b, s.c, 0.5f));
  }

  @Benchmark
  @Threads(1)
  public void fma1T(FmaInputs s, Blackhole bh) {
    bh.consume(fmaChains(s.seed, s.multiplier, s.addend, FMA_ITERATIONS));
  }

  @Benchmark
  @Threads(2)
  public void fma2T(FmaInputs s, Blackhole bh) {
    bh.consume(fmaChains(s.seed, s.multiplier, s.addend, FMA_ITERATIONS));
  }

  @Benchmark
  @Threads(1)
  public void clock(ClockInputs s, Blackhole bh) {
    bh.consume(addChain(s.addends, CLOCK_ADDS));
  }

  /** What one operation of {@code method} is worth: bytes (bandwidth), flop (FMA) or cycles (clock). */
  public static double unitsPerOp(String method, long bytes, int lanes) {
    return switch (method) {
      case "rmw1T", "rmw2T" -> 2.0 * bytes;
      // three arrays of floor(bytes/3/4) floats each, each moved once
      case "triad1T", "triad2T" -> 3.0 * Float.BYTES * (bytes / 3 / Float.BYTES);
      case "fma1T", "fma2T" -> 2.0 * lanes * FMA_CHAINS * (double) FMA_ITERATIONS;
      case "clock" -> CLOCK_ADDS;
      default -> throw new IllegalArgumentException("method = " + method
          + "; allowed: rmw1T, rmw2T, triad1T, triad2T, fma1T, fma2T, clock");
    };
  }
}
