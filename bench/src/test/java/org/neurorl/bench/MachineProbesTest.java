package org.neurorl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.neurorl.kernel.simd.SimdSpecies;

class MachineProbesTest {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void readModifyWriteMatchesScalarFmaIncludingTail() {
    // 37 floats: two full 16-lane vectors and a scalar tail at 512 bits; fma is exact per element,
    // so vector and scalar paths give identical floats
    float[] a = new float[37];
    float[] want = new float[37];
    for (int i = 0; i < a.length; i++) {
      a[i] = want[i] = i * 0.25f - 3f;
      want[i] = Math.fma(want[i], 0.999f, 0.001f);
    }
    MachineProbes.readModifyWrite(a, 0.999f, 0.001f);
    for (int i = 0; i < a.length; i++) {
      assertEquals(want[i], a[i], 0f, "element " + i);
    }
  }

  @Test
  void triadMatchesScalarFma() {
    int n = 41;
    float[] a = new float[n];
    float[] b = new float[n];
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      b[i] = i;
      c[i] = 2f * i - 1f;
    }
    MachineProbes.triad(a, b, c, 0.5f);
    for (int i = 0; i < n; i++) {
      assertEquals(Math.fma(c[i], 0.5f, b[i]), a[i], 0f, "element " + i);
    }
  }

  @Test
  void fmaChainsConvergeToFixedPointAndAddChainSums() {
    // acc -> acc·m + t converges to t/(1-m) = 1 for every chain and lane: the sum is chains × lanes
    float sum = MachineProbes.fmaChains(0.25f, 0.5f, 0.5f, 200);
    assertEquals(MachineProbes.FMA_CHAINS * SimdSpecies.F.length(), sum, 1e-3f);
    long[] addends = {1, 3, 5, 7, 11, 13, 17, 19};
    assertEquals(1000 / 8 * 76 + 1 + 3 + 5 + 7 + 11 + 13 + 17 + 19 - 76 + 0,
        MachineProbes.addChain(addends, 1000) - 0, "1000 adds cycle the 8 addends 125 times");
  }

  @Test
  void probeLoopsDoNotAllocateOnceCompiled() {
    // Boxing of vectors (a C2 inlining failure) shows as kilobytes per call; compiled loops allocate
    // nothing. Each loop is warmed up alone with its real trip counts until C2 has compiled it.
    float[] a = new float[4096];
    float[] b = new float[4096];
    float[] c = new float[4096];
    long[] addends = {1, 3, 5, 7, 11, 13, 17, 19};
    assertNoAllocation("readModifyWrite", () -> MachineProbes.readModifyWrite(a, 0.999f, 0.001f));
    assertNoAllocation("triad", () -> MachineProbes.triad(a, b, c, 0.5f));
    assertNoAllocation("fmaChains",
        () -> MachineProbes.fmaChains(0.25f, 0.9999f, 1e-4f, MachineProbes.FMA_ITERATIONS));
    assertNoAllocation("addChain", () -> MachineProbes.addChain(addends, 4096));
  }

  private static void assertNoAllocation(String name, java.util.function.DoubleSupplier loop) {
    double sink = 0;
    for (int i = 0; i < 5_000; i++) {
      sink += loop.getAsDouble();
    }
    long before = allocated();
    for (int i = 0; i < 1_000; i++) {
      sink += loop.getAsDouble();
    }
    long bytes = allocated() - before;
    assertTrue(Double.isFinite(sink));
    // a few KB of slack for the measurement itself; one boxed vector per iteration would be MBs
    assertTrue(bytes < 8_192, name + " allocated " + bytes + " bytes in 1000 calls (boxing?)");
  }

  @Test
  void unitsPerOpCountsReadAndWrite() {
    assertEquals(2.0 * 1024, MachineProbes.unitsPerOp("rmw2T", 1024, 16));
    assertEquals(3.0 * 4 * 85, MachineProbes.unitsPerOp("triad1T", 1024, 16)); // 85 floats per array
    assertEquals(2.0 * 16 * MachineProbes.FMA_CHAINS * MachineProbes.FMA_ITERATIONS,
        MachineProbes.unitsPerOp("fma1T", 0, 16));
    assertEquals(MachineProbes.CLOCK_ADDS, MachineProbes.unitsPerOp("clock", 0, 16));
  }
}
