package org.neurorl.cli;

/**
 * Reads the SIMD width without linking the Vector API classes into the caller: the species class is
 * touched reflectively, only after {@link org.neurorl.kernel.Kernels#simdUnavailableReason()} said
 * the module is there.
 */
final class SimdWidth {
  private SimdWidth() {}

  static String describe() {
    try {
      Class<?> c = Class.forName("org.neurorl.kernel.simd.SimdSpecies");
      return c.getField("BITS").getInt(null) + "-bit float vectors";
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unavailable (" + e + ")";
    }
  }
}
