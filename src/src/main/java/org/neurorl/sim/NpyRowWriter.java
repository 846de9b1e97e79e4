package org.neurorl.sim;

import java.io.Closeable;
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
 * Streams a 2-D float64 {@code .npy} array (rows × columns, C order) to disk a block of rows at a time,
 * so memory does not grow with the number of rows. The header is written with a fixed size (128 bytes)
 * and rewritten on {@link #close()} with the number of rows actually written (fewer than planned when
 * a run stopped early). Written to a temporary name and renamed on close: a reader never sees half a
 * file; {@link #abandon()} deletes it instead.
 */
public final class NpyRowWriter implements Closeable {
  private static final int HEADER_BYTES = 128;
  private final Path file;
  private final Path tmp;
  private final FileChannel channel;
  private final int columns;
  private ByteBuffer buffer = ByteBuffer.allocate(0);
  private long rows;
  private boolean closed;

  public NpyRowWriter(Path file, int columns) throws IOException {
    if (columns < 1) {
      throw new IllegalArgumentException("columns = " + columns + "; allowed: 1 or more");
    }
    this.file = file;
    this.columns = columns;
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    this.tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
    channel.write(header(0), 0);
    channel.position(HEADER_BYTES);
  }

  private ByteBuffer header(long rowCount) {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rowCount + ", " + columns + "), }";
    int pad = HEADER_BYTES - 10 - dict.length() - 1;
    if (pad < 0) {
      throw new IllegalStateException("npy header too long: " + dict);
    }
    String text = dict + " ".repeat(pad) + "\n";
    ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    head.putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII)).flip();
    return head;
  }

  /** Appends {@code count} rows from {@code data[row * columns + column]}. */
  public void append(double[] data, int count) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    int values = Math.multiplyExact(count, columns);
    if (data.length < values) {
      throw new IllegalArgumentException("data.length = " + data.length + "; allowed: >= " + values);
    }
    if (buffer.capacity() < values * Double.BYTES) {
      buffer = ByteBuffer.allocate(values * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    buffer.clear();
    buffer.asDoubleBuffer().put(data, 0, values);
    buffer.limit(values * Double.BYTES);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    rows += count;
  }

  public long rows() {
    return rows;
  }

  /** Writes the final header and renames the file into place. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      channel.write(header(rows), 0);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Closes and deletes the temporary file (an error stopped the run before anything useful was written). */
  public void abandon() throws IOException {
    if (!closed) {
      closed = true;
      channel.close();
    }
    Files.deleteIfExists(tmp);
  }
}
