package org.neurorl.kernel.simd;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vectorised pieces of the LSTM's forward step for training and of its backward pass through time
 * (the equations are in {@link org.neurorl.kernel.lstm.ReferenceLstmNetwork}). Each method is one
 * short loop nest on purpose: a long method full of vector code exceeds what C2 inlines and every
 * vector is then boxed (see VECTOR-API-NOTES.md). Every element is computed by the same sequence of
 * float operations whichever worker runs it, so results do not depend on the thread count.
 */
final class SimdLstmBackward {
  private static final VectorSpecies<Float> F = SimdSpecies.F;
  private static final int L = F.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private SimdLstmBackward() {}

  /**
   * {@code c[cAt + j] = Σ_k a[aAt + k·aStride] · b[bAt + k·ldb + j]} for j in [0, n): one output row of a
   * product, vectors of the row held in registers while k runs, every element the same fused chain over k
   * in increasing order (the pure-Java twin of an sgemm row, used below the size where a downcall pays).
   */
  static void productRow(MemorySegment a, long aAt, long aStride, int k, MemorySegment b, long bAt, long ldb,
      int n, MemorySegment c, long cAt) {
    int j = 0;
    for (; j + 4 * L <= n; j += 4 * L) {
      FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
      for (int kk = 0; kk < k; kk++) {
        FloatVector ak = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, aAt + kk * aStride));
        long at = (bAt + kk * ldb + j) * Float.BYTES;
        s0 = FloatVector.fromMemorySegment(F, b, at, ORDER).fma(ak, s0);
        s1 = FloatVector.fromMemorySegment(F, b, at + (long) L * Float.BYTES, ORDER).fma(ak, s1);
        s2 = FloatVector.fromMemorySegment(F, b, at + 2L * L * Float.BYTES, ORDER).fma(ak, s2);
        s3 = FloatVector.fromMemorySegment(F, b, at + 3L * L * Float.BYTES, ORDER).fma(ak, s3);
      }
      long out = (cAt + j) * Float.BYTES;
      s0.intoMemorySegment(c, out, ORDER);
      s1.intoMemorySegment(c, out + (long) L * Float.BYTES, ORDER);
      s2.intoMemorySegment(c, out + 2L * L * Float.BYTES, ORDER);
      s3.intoMemorySegment(c, out + 3L * L * Float.BYTES, ORDER);
    }
    productRowTail(a, aAt, aStride, k, b, bAt, ldb, j, n, c, cAt);
  }

  /** {@code z[from..to) = σ(z)} in place (flat float indices): every gate of a block of agents in one pass. */
  static void sigmoidInPlace(MemorySegment z, long from, long to) {
    long r = from;
    for (long bound = from + F.loopBound(to - from); r < bound; r += L) {
      long at = r * Float.BYTES;
      VectorMath.sigmoid(FloatVector.fromMemorySegment(F, z, at, ORDER)).intoMemorySegment(z, at, ORDER);
    }
    for (; r < to; r++) {
      z.setAtIndex(JAVA_FLOAT, r, VectorMath.sigmoidScalar(z.getAtIndex(JAVA_FLOAT, r)));
    }
  }

  /**
   * {@code out = W h + bias} for the A policy rows and then {@code value = wv · h + bv}, each dot product's
   * lanes summed by a fixed tree (lane l with l + L/2, then l + L/4, ...), so the same bits in interpreted
   * and compiled code. Returns 0 when every output is finite, else NaN.
   */
  static float heads(MemorySegment xh, long hAt, int n, float[] wpi, float[] bpi, int actions, float[] logits,
      int logitsAt, float[] wv, float bv, float[] values, int agent, float[] lanes) {
    float flag = 0f;
    for (int act = 0; act < actions; act++) {
      float l = dot(wpi, act * n, xh, hAt, n, lanes) + bpi[act];
      logits[logitsAt + act] = l;
      flag += l * 0f;
    }
    float v = dot(wv, 0, xh, hAt, n, lanes) + bv;
    values[agent] = v;
    return flag + v * 0f;
  }

  private static float dot(float[] w, int wAt, MemorySegment xh, long hAt, int n, float[] lanes) {
    FloatVector acc = FloatVector.zero(F);
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      acc = FloatVector.fromArray(F, w, wAt + u)
          .fma(FloatVector.fromMemorySegment(F, xh, (hAt + u) * Float.BYTES, ORDER), acc);
    }
    acc.intoArray(lanes, 0);
    for (int width = L / 2; width >= 1; width /= 2) {
      for (int l = 0; l < width; l++) {
        lanes[l] += lanes[l + width];
      }
    }
    float s = lanes[0];
    for (; u < n; u++) {
      s = Math.fma(w[wAt + u], xh.getAtIndex(JAVA_FLOAT, hAt + u), s);
    }
    return s;
  }

  /**
   * Four output rows at once: {@code c[cAt + i·ldc + j] = Σ_k a[aAt + i·aRowStride + k·aStride] · b[bAt + k·ldb + j]}
   * for i in [0, 4), j in [0, n). Each vector of b loaded feeds four rows (register blocking), so the loop is
   * bound by the fused multiply-adds rather than by loads. Every element is the same fused chain over k in
   * increasing order as in {@link #productRow}, so a row gets the same bits whichever of the two computes it.
   */
  static void productRows4(MemorySegment a, long aAt, long aRowStride, long aStride, int k, MemorySegment b,
      long bAt, long ldb, int n, MemorySegment c, long cAt, long ldc) {
    long a0 = aAt, a1 = aAt + aRowStride, a2 = aAt + 2 * aRowStride, a3 = aAt + 3 * aRowStride;
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00,
          s31 = s00;
      for (int kk = 0; kk < k; kk++) {
        long at = (bAt + kk * ldb + j) * Float.BYTES;
        FloatVector b0 = FloatVector.fromMemorySegment(F, b, at, ORDER);
        FloatVector b1 = FloatVector.fromMemorySegment(F, b, at + (long) L * Float.BYTES, ORDER);
        long ak = kk * aStride;
        FloatVector x0 = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, a0 + ak));
        FloatVector x1 = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, a1 + ak));
        FloatVector x2 = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, a2 + ak));
        FloatVector x3 = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, a3 + ak));
        s00 = b0.fma(x0, s00);
        s01 = b1.fma(x0, s01);
        s10 = b0.fma(x1, s10);
        s11 = b1.fma(x1, s11);
        s20 = b0.fma(x2, s20);
        s21 = b1.fma(x2, s21);
        s30 = b0.fma(x3, s30);
        s31 = b1.fma(x3, s31);
      }
      long out = (cAt + j) * Float.BYTES, lb = (long) L * Float.BYTES, row = ldc * Float.BYTES;
      s00.intoMemorySegment(c, out, ORDER);
      s01.intoMemorySegment(c, out + lb, ORDER);
      s10.intoMemorySegment(c, out + row, ORDER);
      s11.intoMemorySegment(c, out + row + lb, ORDER);
      s20.intoMemorySegment(c, out + 2 * row, ORDER);
      s21.intoMemorySegment(c, out + 2 * row + lb, ORDER);
      s30.intoMemorySegment(c, out + 3 * row, ORDER);
      s31.intoMemorySegment(c, out + 3 * row + lb, ORDER);
    }
    if (j < n) {
      for (int i = 0; i < 4; i++) {
        productRowTail(a, aAt + i * aRowStride, aStride, k, b, bAt, ldb, j, n, c, cAt + i * ldc);
      }
    }
  }

  /** Columns [from, n) of one output row, as {@link #productRow} computes them. */
  private static void productRowTail(MemorySegment a, long aAt, long aStride, int k, MemorySegment b, long bAt,
      long ldb, int from, int n, MemorySegment c, long cAt) {
    int j = from;
    for (; j + L <= n; j += L) {
      FloatVector s0 = FloatVector.zero(F);
      for (int kk = 0; kk < k; kk++) {
        FloatVector ak = FloatVector.broadcast(F, a.getAtIndex(JAVA_FLOAT, aAt + kk * aStride));
        s0 = FloatVector.fromMemorySegment(F, b, (bAt + kk * ldb + j) * Float.BYTES, ORDER).fma(ak, s0);
      }
      s0.intoMemorySegment(c, (cAt + j) * Float.BYTES, ORDER);
    }
    for (; j < n; j++) {
      float s = 0f;
      for (int kk = 0; kk < k; kk++) {
        s = Math.fma(a.getAtIndex(JAVA_FLOAT, aAt + kk * aStride), b.getAtIndex(JAVA_FLOAT, bAt + kk * ldb + j), s);
      }
      c.setAtIndex(JAVA_FLOAT, cAt + j, s);
    }
  }

  /**
   * {@code rows} output rows by {@link #productRows4} in fours and {@link #productRow} for the rest
   * (row i of A at {@code aAt + i·aRowStride}, of C at {@code cAt + i·ldc}).
   */
  static void product(int rows, MemorySegment a, long aAt, long aRowStride, long aStride, int k, MemorySegment b,
      long bAt, long ldb, int n, MemorySegment c, long cAt, long ldc) {
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      productRows4(a, aAt + i * aRowStride, aRowStride, aStride, k, b, bAt, ldb, n, c, cAt + i * ldc, ldc);
    }
    for (; i < rows; i++) {
      productRow(a, aAt + i * aRowStride, aStride, k, b, bAt, ldb, n, c, cAt + i * ldc);
    }
  }

  /**
   * One agent's cell and hidden update from its gates at {@code gAt}, given as {@code [σ(z_i); σ(z_f);
   * σ(2 z_g); σ(z_o)]}: the candidate {@code g = tanh z_g = 2σ(2z_g) − 1} is computed and written back
   * in place (so the stored gates are {@code [i; f; g; o]}), then
   * {@code c_t = f·c_{t−1} + i·g} (c_{t−1} = 0 when {@code prevAt < 0}), {@code tanh(c_t)} kept for the
   * backward pass, {@code h_t = o·tanh(c_t)} written into the agent's next xh row at {@code hAt}. Returns 0
   * when every c and h is finite, else NaN (each value times 0 summed: ±∞·0 and NaN·0 are NaN).
   */
  static float cell(MemorySegment g, long gAt, float[] cells, int prevAt, int cAt, float[] tanhC,
      MemorySegment xh, long hAt, int n) {
    FloatVector bad = FloatVector.zero(F);
    long nb = (long) n * Float.BYTES;
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      long gu = (gAt + u) * Float.BYTES;
      FloatVector i = FloatVector.fromMemorySegment(F, g, gu, ORDER);
      FloatVector f = FloatVector.fromMemorySegment(F, g, gu + nb, ORDER);
      FloatVector gg = FloatVector.fromMemorySegment(F, g, gu + 2 * nb, ORDER).fma(2f, -1f);
      FloatVector o = FloatVector.fromMemorySegment(F, g, gu + 3 * nb, ORDER);
      gg.intoMemorySegment(g, gu + 2 * nb, ORDER);
      FloatVector cp = prevAt < 0 ? FloatVector.zero(F) : FloatVector.fromArray(F, cells, prevAt + u);
      FloatVector c = f.fma(cp, i.mul(gg));
      FloatVector tc = VectorMath.tanh(c);
      FloatVector h = o.mul(tc);
      c.intoArray(cells, cAt + u);
      tc.intoArray(tanhC, cAt + u);
      h.intoMemorySegment(xh, (hAt + u) * Float.BYTES, ORDER);
      bad = bad.add(c.mul(0f)).add(h.mul(0f));
    }
    // the lanes are 0 or NaN, so the order of this sum cannot change the answer
    float flag = bad.reduceLanes(VectorOperators.ADD);
    for (; u < n; u++) {
      float i = g.getAtIndex(JAVA_FLOAT, gAt + u);
      float f = g.getAtIndex(JAVA_FLOAT, gAt + n + u);
      float gg = Math.fma(g.getAtIndex(JAVA_FLOAT, gAt + 2 * n + u), 2f, -1f);
      float o = g.getAtIndex(JAVA_FLOAT, gAt + 3 * n + u);
      g.setAtIndex(JAVA_FLOAT, gAt + 2 * n + u, gg);
      float cp = prevAt < 0 ? 0f : cells[prevAt + u];
      float c = Math.fma(f, cp, i * gg);
      float tc = VectorMath.tanhScalar(c);
      float h = o * tc;
      cells[cAt + u] = c;
      tanhC[cAt + u] = tc;
      xh.setAtIndex(JAVA_FLOAT, hAt + u, h);
      flag += c * 0f + h * 0f;
    }
    return flag;
  }

  /**
   * One agent's δh at step t: {@code dh[0..n) = δh_carried + Σ_k δlogit_k · Wpi[k, ·] + δvalue · wv}, the
   * carried part read from the recurrence's product at {@code carriedAt} (skipped when {@code carriedAt < 0},
   * after the last step). Terms are added in the order carried, policy rows, value.
   */
  static void hiddenDelta(MemorySegment carried, long carriedAt, float[] dLogits, int dlAt, int actions,
      float[] wpi, float dValue, float[] wv, float[] dh, int n) {
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      FloatVector s = carriedAt < 0 ? FloatVector.zero(F)
          : FloatVector.fromMemorySegment(F, carried, (carriedAt + u) * Float.BYTES, ORDER);
      for (int k = 0; k < actions; k++) {
        s = FloatVector.fromArray(F, wpi, k * n + u).fma(FloatVector.broadcast(F, dLogits[dlAt + k]), s);
      }
      s = FloatVector.fromArray(F, wv, u).fma(FloatVector.broadcast(F, dValue), s);
      s.intoArray(dh, u);
    }
    for (; u < n; u++) {
      float s = carriedAt < 0 ? 0f : carried.getAtIndex(JAVA_FLOAT, carriedAt + u);
      for (int k = 0; k < actions; k++) {
        s = Math.fma(wpi[k * n + u], dLogits[dlAt + k], s);
      }
      dh[u] = Math.fma(wv[u], dValue, s);
    }
  }

  /**
   * One agent's gate pre-activation deltas at step t from δh ({@code dh}) and the δc carried from step t+1
   * ({@code dc} at {@code dcAt}, replaced by the δc carried to step t−1):
   *
   * <pre>
   *   δc = δc_carried + δh·o·(1 − tanh²c);  δz = [δc·g·i(1−i), δc·c_{t−1}·f(1−f), δc·i·(1−g²), δh·tanh c·o(1−o)]
   *   δc_carried ← δc·f
   * </pre>
   */
  static void gateDeltas(MemorySegment g, long gAt, float[] cells, int prevAt, float[] tanhC, int cAt,
      float[] dh, float[] dc, int dcAt, MemorySegment dz, long dzAt, int n) {
    long nb = (long) n * Float.BYTES;
    int u = 0;
    for (int bound = F.loopBound(n); u < bound; u += L) {
      long gu = (gAt + u) * Float.BYTES;
      FloatVector i = FloatVector.fromMemorySegment(F, g, gu, ORDER);
      FloatVector f = FloatVector.fromMemorySegment(F, g, gu + nb, ORDER);
      FloatVector gg = FloatVector.fromMemorySegment(F, g, gu + 2 * nb, ORDER);
      FloatVector o = FloatVector.fromMemorySegment(F, g, gu + 3 * nb, ORDER);
      FloatVector tc = FloatVector.fromArray(F, tanhC, cAt + u);
      FloatVector cp = prevAt < 0 ? FloatVector.zero(F) : FloatVector.fromArray(F, cells, prevAt + u);
      FloatVector d = FloatVector.fromArray(F, dh, u);
      FloatVector one = FloatVector.broadcast(F, 1f);
      FloatVector c = d.mul(o).fma(one.sub(tc.mul(tc)), FloatVector.fromArray(F, dc, dcAt + u));
      long out = (dzAt + u) * Float.BYTES;
      c.mul(gg).mul(i.mul(one.sub(i))).intoMemorySegment(dz, out, ORDER);
      c.mul(cp).mul(f.mul(one.sub(f))).intoMemorySegment(dz, out + nb, ORDER);
      c.mul(i).mul(one.sub(gg.mul(gg))).intoMemorySegment(dz, out + 2 * nb, ORDER);
      d.mul(tc).mul(o.mul(one.sub(o))).intoMemorySegment(dz, out + 3 * nb, ORDER);
      c.mul(f).intoArray(dc, dcAt + u);
    }
    for (; u < n; u++) {
      float i = g.getAtIndex(JAVA_FLOAT, gAt + u);
      float f = g.getAtIndex(JAVA_FLOAT, gAt + n + u);
      float gg = g.getAtIndex(JAVA_FLOAT, gAt + 2 * n + u);
      float o = g.getAtIndex(JAVA_FLOAT, gAt + 3 * n + u);
      float tc = tanhC[cAt + u];
      float cp = prevAt < 0 ? 0f : cells[prevAt + u];
      float d = dh[u];
      float c = Math.fma(d * o, 1f - tc * tc, dc[dcAt + u]);
      dz.setAtIndex(JAVA_FLOAT, dzAt + u, c * gg * (i * (1f - i)));
      dz.setAtIndex(JAVA_FLOAT, dzAt + n + u, c * cp * (f * (1f - f)));
      dz.setAtIndex(JAVA_FLOAT, dzAt + 2 * n + u, c * i * (1f - gg * gg));
      dz.setAtIndex(JAVA_FLOAT, dzAt + 3 * n + u, d * tc * (o * (1f - o)));
      dc[dcAt + u] = c * f;
    }
  }

  /**
   * {@code sums[sumsAt + 0..n) += Σ_m rows[at + m·ld + 0..n)} over {@code m} in [0, count), m increasing: column sums
   * (the bias gradients) in a fixed order.
   */
  static void columnSums(MemorySegment rows, long at, long ld, int count, int n, float[] sums, int sumsAt) {
    int j = 0;
    for (int bound = F.loopBound(n); j < bound; j += L) {
      FloatVector s = FloatVector.fromArray(F, sums, sumsAt + j);
      for (int m = 0; m < count; m++) {
        s = s.add(FloatVector.fromMemorySegment(F, rows, (at + m * ld + j) * Float.BYTES, ORDER));
      }
      s.intoArray(sums, sumsAt + j);
    }
    for (; j < n; j++) {
      float s = sums[sumsAt + j];
      for (int m = 0; m < count; m++) {
        s += rows.getAtIndex(JAVA_FLOAT, at + m * ld + j);
      }
      sums[sumsAt + j] = s;
    }
  }
}
