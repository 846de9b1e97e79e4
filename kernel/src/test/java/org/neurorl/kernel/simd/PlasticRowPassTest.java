package org.neurorl.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row passes of {@link SimdPlasticNetwork} unrolled for a padded width of three vectors must give
 * exactly the bits of the generic loops (the network picks one or the other by N and the vector width,
 * and the gradient must not depend on which). Random antisymmetric states with some entries at the clip,
 * h with ReLU zeros, padding left at 0 as the network keeps it. Re-run at 256 and 128 bits.
 */
@Tag("simd-width")
class PlasticRowPassTest {
  static final int L = SimdPlasticNetwork.L;
  static final int NP = SimdPlasticNetwork.NP3;

  /** Offsets into the test arrays (the unrolled passes take offsets like the generic ones). */
  static final int OFF = 2 * NP;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void unrolledPassesGiveTheGenericBits(int missing) {
    // n = 3L, a little less, and the smallest n with three padded vectors (2L + 1): padding columns 0
    int n = missing == 2 ? 2 * L + 1 : NP - missing;
    SplittableRandom rnd = new SplittableRandom(17 + missing);
    float c = 0.3f;
    int slot = 2 * n * NP;
    float[] st = new float[3 * slot];
    float[] h = new float[OFF + NP], e = new float[OFF + NP];
    float[] alpha = new float[n * NP], alphaT = new float[n * NP];
    for (int i = 0; i < n; i++) {
      h[OFF + i] = rnd.nextDouble() < 0.4 ? 0f : (float) rnd.nextDouble();
      e[OFF + i] = (float) rnd.nextDouble();
      for (int j = 0; j < n; j++) {
        alpha[i * NP + j] = (float) rnd.nextGaussian() * 0.3f;
        alphaT[j * NP + i] = alpha[i * NP + j];
      }
      for (int j = i + 1; j < n; j++) {
        float ev = (float) rnd.nextGaussian() * 0.2f;
        float du = (float) rnd.nextGaussian() * 0.3f;
        du = Math.abs(du) > c ? Math.copySign(c, du) : du;
        st[2 * i * NP + j] = ev;
        st[2 * j * NP + i] = -ev;
        st[2 * i * NP + NP + j] = du;
        st[2 * j * NP + NP + i] = -du;
      }
    }
    float[] st3 = st.clone(), pre = new float[OFF + NP], pre3 = new float[OFF + NP];
    SimdPlasticNetwork.forwardRows(st, 0, slot, alphaT, h, e, OFF, n, NP, 0.9f, 0.1f, 0.95f, 0.07f, c, pre, OFF);
    SimdPlasticNetwork.forwardRows3(st3, 0, slot, alphaT, h, e, OFF, n, NP, 0.9f, 0.1f, 0.95f, 0.07f, c, pre3, OFF);
    assertArrayEquals(st, st3, "forward state");
    assertArrayEquals(pre, pre3, "forward plastic input");

    float[] seg = new float[slot], seg3 = new float[slot];
    SimdPlasticNetwork.recomputeRows(st, slot, seg, 0, h, e, OFF, n, NP, 0.8f, 0.2f, 0.9f, -0.05f, c);
    SimdPlasticNetwork.recomputeRows3(st, slot, seg3, 0, h, e, OFF, n, NP, 0.8f, 0.2f, 0.9f, -0.05f, c);
    assertArrayEquals(seg, seg3, "recomputed state");

    float[] pAdj = new float[n * NP], sAdj = new float[n * NP], dAlpha = new float[n * NP];
    float[] adj = new float[4 * NP];
    for (int i = 0; i < n; i++) {
      adj[i] = (float) rnd.nextGaussian();
      for (int j = 0; j < n; j++) {
        pAdj[i * NP + j] = (float) rnd.nextGaussian();
        sAdj[i * NP + j] = (float) rnd.nextGaussian();
        dAlpha[i * NP + j] = (float) rnd.nextGaussian();
      }
    }
    float[] pAdj3 = pAdj.clone(), sAdj3 = sAdj.clone(), dAlpha3 = dAlpha.clone();
    float[] red = new float[2 * L], red3 = new float[2 * L], cols = new float[3 * NP], cols3 = new float[3 * NP];
    SimdPlasticNetwork.backwardRows(seg, 0, alpha, alphaT, pAdj, sAdj, dAlpha, h, e, OFF, adj, n, NP, 0.9f, 0.8f,
        0.03f, c, red, cols);
    SimdPlasticNetwork.backwardRows3(seg, 0, alpha, alphaT, pAdj3, sAdj3, dAlpha3, h, e, OFF, adj, n, NP, 0.9f,
        0.8f, 0.03f, c, red3, cols3);
    assertArrayEquals(pAdj, pAdj3, "P");
    assertArrayEquals(sAdj, sAdj3, "S");
    assertArrayEquals(dAlpha, dAlpha3, "alpha gradient");
    assertArrayEquals(cols, cols3, "column products");
    assertArrayEquals(red, red3, "dM lanes");
  }
}
