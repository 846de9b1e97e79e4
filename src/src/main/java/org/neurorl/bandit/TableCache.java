package org.neurorl.bandit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Where the precomputed tables live on disk and how they are written: to a temporary file in the
 * same folder, then renamed over the final name, so a reader never sees half a file even when two
 * processes build the same table at once. Every file ends with a CRC-32 of everything before it; a
 * file that fails its check, or whose header does not match what is asked for, is ignored and rebuilt.
 */
final class TableCache {
  private TableCache() {}

  /** {@code ~/.cache/neurorl}, or the folder named by the system property {@code neurorl.cache}. */
  static Path defaultFolder() {
    String configured = System.getProperty("neurorl.cache");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "neurorl");
  }

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  interface Reader<T> {
    /** Returns the table, or null when the header does not match what was asked for. */
    T read(DataInputStream in) throws IOException;
  }

  static void write(Path file, Writer writer) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
      try {
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(temp);
            DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16))) {
          writer.write(out);
          out.flush();
          // the checksum covers everything above; it is written past the checked stream
          new DataOutputStream(raw).writeLong(crc.getValue());
        }
        try {
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write table cache " + file, e);
    }
  }

  /** The table in {@code file}, or null if it is missing, corrupt, or for other parameters. */
  static <T> T read(Path file, Reader<T> reader) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      long size = Files.size(file);
      if (size < Long.BYTES) {
        return null;
      }
      CRC32 crc = new CRC32();
      T table;
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        InputStream bounded = new BoundedInputStream(raw, size - Long.BYTES);
        DataInputStream in = new DataInputStream(new CheckedInputStream(bounded, crc));
        table = reader.read(in);
        if (table == null || in.read() != -1) {
          return null;
        }
        long stored = new DataInputStream(raw).readLong();
        if (stored != crc.getValue()) {
          return null;
        }
      }
      return table;
    } catch (IOException | RuntimeException e) {
      // a damaged or foreign file is not an error: the caller rebuilds it
      return null;
    }
  }

  /** Reads at most {@code limit} bytes, leaving the rest (the checksum) in the underlying stream. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
