package org.neurorl.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, little-endian float64 or float32, C order) so a NumPy user
 * loads results with {@code np.load}, and reads them back. Written to a temporary name, then renamed.
 */
public final class Npy {
  private Npy() {}

  /** Writes {@code data} (row-major) with the given shape, as float64. */
  public static void write(Path file, double[] data, int... shape) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(checkCount(data.length, shape) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    body.asDoubleBuffer().put(data);
    write(file, "<f8", body, shape);
  }

  /** Writes {@code data} (row-major) with the given shape, as float32 (bit for bit, no rounding). */
  public static void write(Path file, float[] data, int... shape) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(checkCount(data.length, shape) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    body.asFloatBuffer().put(data);
    write(file, "<f4", body, shape);
  }

  private static int checkCount(int length, int[] shape) {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (count != length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + count
          + " values; data.length = " + length);
    }
    return length;
  }

  /** An array read back: its dtype descriptor, shape and values (float32 values widened exactly). */
  public record Array(String descr, int[] shape, double[] data) {
    /** The values as float32 (exact for a {@code <f4} file). */
    public float[] floats() {
      float[] f = new float[data.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) data[i];
      }
      return f;
    }
  }

  /**
   * Reads a little-endian float32 or float64, C-order {@code .npy} file (version 1 or 2), as written by
   * this class or by {@code np.save}.
   */
  public static Array read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    if (buf.remaining() < 10) {
      throw new IOException(file + ": not a .npy file (too short)");
    }
    buf.get(magic);
    if ((magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(file + ": not a .npy file (bad magic)");
    }
    int major = buf.get();
    buf.get();
    int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
    byte[] headerBytes = new byte[headerLength];
    buf.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.US_ASCII);
    java.util.regex.Matcher descr = java.util.regex.Pattern.compile("'descr':\\s*'([^']*)'").matcher(header);
    java.util.regex.Matcher order = java.util.regex.Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
    java.util.regex.Matcher shapeText = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
    if (!descr.find() || !order.find() || !shapeText.find()) {
      throw new IOException(file + ": unreadable .npy header " + header.trim());
    }
    if (order.group(1).equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported; save with C order");
    }
    java.util.List<Integer> dims = new java.util.ArrayList<>();
    for (String d : shapeText.group(1).split(",")) {
      if (!d.isBlank()) {
        dims.add(Integer.parseInt(d.trim()));
      }
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    double[] data = new double[Math.toIntExact(count)];
    switch (descr.group(1)) {
      case "<f4" -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = buf.getFloat();
        }
      }
      case "<f8" -> buf.asDoubleBuffer().get(data);
      default -> throw new IOException(file + ": dtype " + descr.group(1) + " is not supported; allowed: <f4, <f8");
    }
    return new Array(descr.group(1), shape, data);
  }

  private static void write(Path file, String descr, ByteBuffer body, int[] shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = 10 + dict.length() + 1; // magic(6) + version(2) + header length(2) + dict + '\n'
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    head.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).flip();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(head);
        while (body.hasRemaining()) {
          ch.write(body);
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
