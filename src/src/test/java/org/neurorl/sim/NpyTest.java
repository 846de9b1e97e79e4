package org.neurorl.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @Test
  void float64AndFloat32RoundTripExactly(@TempDir Path dir) throws IOException {
    double[] d = {1.0 / 3, -2.5e-300, Double.MAX_VALUE, 0, 7, 8};
    Npy.write(dir.resolve("d.npy"), d, 2, 3);
    Npy.Array a = Npy.read(dir.resolve("d.npy"));
    assertEquals("<f8", a.descr());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(d, a.data());
    float[] f = {Float.MIN_VALUE, 1f / 3, -0f, 1e30f};
    Npy.write(dir.resolve("f.npy"), f, 4);
    Npy.Array b = Npy.read(dir.resolve("f.npy"));
    assertEquals("<f4", b.descr());
    assertArrayEquals(new int[] {4}, b.shape());
    assertArrayEquals(f, b.floats());
    // header padded so the data starts at a multiple of 64 bytes, as the format asks
    byte[] raw = Files.readAllBytes(dir.resolve("f.npy"));
    assertEquals(0, (raw.length - 4 * Float.BYTES) % 64);
  }

  @Test
  void notAnNpyFileIsRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("x.npy"), "hello, this is text");
    IOException e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("x.npy")));
    assertEquals(dir.resolve("x.npy") + ": not a .npy file (bad magic)", e.getMessage());
  }
}
