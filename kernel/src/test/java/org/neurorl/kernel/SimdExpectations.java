package org.neurorl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jdk.incubator.vector.FloatVector;
import org.neurorl.kernel.simd.SimdSpecies;

/** Shared guards: the SIMD path was expected (Surefire sets neurorl.test.expectSimd) and has the pinned width. */
public final class SimdExpectations {
  private SimdExpectations() {}

  public static boolean expected() {
    return Boolean.getBoolean("neurorl.test.expectSimd");
  }

  /** Loads the SIMD class of a kernel, failing the test when it was expected and is missing. */
  public static <K> K load(Class<K> kind, String className) {
    try {
      K k = Kernels.simd(kind, className);
      String pinned = System.getProperty(Kernels.BITS_PROPERTY);
      int want = pinned == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(pinned);
      assertEquals(want, SimdSpecies.BITS, "SIMD width in use");
      return k;
    } catch (IllegalStateException e) {
      if (expected()) {
        fail("the SIMD implementation " + className + " was expected but did not load: " + e.getMessage());
      }
      throw new org.opentest4j.TestAbortedException("SIMD path unavailable: " + e.getMessage());
    }
  }
}
