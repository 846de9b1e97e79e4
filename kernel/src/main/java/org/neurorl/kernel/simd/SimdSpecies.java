package org.neurorl.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.neurorl.kernel.Kernels;

/**
 * The species every SIMD kernel uses, fixed once per JVM as {@code static final} constants so C2
 * treats them as constants (a species held in an instance field defeats intrinsification and boxes
 * every vector). {@code -Dneurorl.simd.bits=128|256|512} pins a narrower width, which is how the tests
 * run every width the machine has: one Surefire execution per width.
 */
public final class SimdSpecies {
  /** The float species of the chosen width. */
  public static final VectorSpecies<Float> F;
  /** The int species with the same lane count as {@link #F}. */
  public static final VectorSpecies<Integer> I;
  /** Width in bits. */
  public static final int BITS;

  static {
    int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    String pinned = System.getProperty(Kernels.BITS_PROPERTY);
    int bits = preferred;
    if (pinned != null && !pinned.isBlank()) {
      int b;
      try {
        b = Integer.parseInt(pinned.trim());
      } catch (NumberFormatException e) {
        b = -1;
      }
      if (b != 128 && b != 256 && b != 512) {
        throw new IllegalArgumentException(
            "-D" + Kernels.BITS_PROPERTY + "=" + pinned + " is not allowed; use 128, 256 or 512");
      }
      if (b > preferred) {
        throw new IllegalArgumentException("-D" + Kernels.BITS_PROPERTY + "=" + b
            + " is wider than this machine's widest vector (" + preferred + " bits)");
      }
      bits = b;
    }
    BITS = bits;
    F = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    I = VectorSpecies.of(int.class, VectorShape.forBitSize(bits));
  }

  private SimdSpecies() {}
}
