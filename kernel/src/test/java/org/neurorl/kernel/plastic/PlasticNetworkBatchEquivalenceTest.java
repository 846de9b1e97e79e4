package org.neurorl.kernel.plastic;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD network against the reference over 100-step episodes on the grid N ∈ {1, 3, 17, 48} ×
 * B ∈ {1, 3, 32} (several agent blocks, a partial last block, one agent), at the default SIMD width;
 * the width-sensitive subset runs at every width in {@link PlasticNetworkEquivalenceTest}, whose
 * tolerance (and its justification) this class shares.
 */
class PlasticNetworkBatchEquivalenceTest {
  static Stream<Arguments> grid() {
    List<Arguments> cases = new ArrayList<>();
    for (int n : new int[] {1, 3, 17, 48}) {
      for (int b : new int[] {1, 3, 32}) {
        if (b != 3) { // B = 3 is in PlasticNetworkEquivalenceTest
          cases.add(Arguments.of(n, b));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "N={0} B={1}")
  @MethodSource("grid")
  void gradientsAgreeWithTheReference(int n, int batch) {
    PlasticNetwork simd = PlasticNetworkFixture.network("simd", PlasticNetworkEquivalenceTest.I, n,
        PlasticNetworkEquivalenceTest.A);
    PlasticNetwork ref = new ReferencePlasticNetwork(PlasticNetworkEquivalenceTest.I, n,
        PlasticNetworkEquivalenceTest.A, PlasticNetworkFixture.RULE);
    float[] params = PlasticNetworkFixture.parameters(ref, 0.9, 100 + n);
    PlasticNetworkEquivalenceTest.compare(simd, ref, params, batch);
  }
}
