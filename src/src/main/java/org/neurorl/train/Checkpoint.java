package org.neurorl.train;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.neurorl.kernel.train.Optimizer;
import org.neurorl.sim.Json;

/**
 * Everything a training run needs to continue exactly where it stopped: the config, the updates done,
 * the parameters and the optimizer state (raw float32 bits, so a resumed run is bit-identical to an
 * uninterrupted one), and the learning curve so far.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): the magic {@code NEURORL-A2C}, a version int,
 * the config as UTF-8 JSON (length-prefixed), the network name, the update counter, the parameters, the
 * optimizer's kind, step count and arrays, then the curve as UTF-8 JSON. Written to a temporary file in
 * the same directory, synced, then renamed over the old one: a reader sees the old or the new
 * checkpoint, never half of one.
 */
public record Checkpoint(A2cConfig config, String network, int updates, float[] parameters,
    Optimizer.State optimizer, List<UpdateStats> curve) {

  private static final String MAGIC = "NEURORL-A2C";
  private static final int VERSION = 1;

  public Checkpoint {
    parameters = parameters.clone();
    curve = List.copyOf(curve);
  }

  @Override
  public float[] parameters() {
    return parameters.clone();
  }

  /** Writes this checkpoint to {@code file} atomically. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        bytes(out, Json.MAPPER.writeValueAsBytes(config));
        out.writeUTF(network);
        out.writeInt(updates);
        floats(out, parameters);
        out.writeUTF(optimizer.kind());
        out.writeLong(optimizer.steps());
        floats(out, optimizer.first());
        floats(out, optimizer.second());
        bytes(out, Json.MAPPER.writeValueAsBytes(curve));
        out.flush();
        fos.getFD().sync();
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a checkpoint written by {@link #write}. */
  public static Checkpoint read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      String magic = in.readUTF();
      int version = in.readInt();
      if (!MAGIC.equals(magic) || version != VERSION) {
        throw new IOException(file + " is not a neurorl A2C checkpoint (version " + VERSION + ")");
      }
      A2cConfig config = Json.MAPPER.readValue(bytes(in), A2cConfig.class);
      String network = in.readUTF();
      int updates = in.readInt();
      float[] parameters = floats(in);
      String kind = in.readUTF();
      long steps = in.readLong();
      float[] first = floats(in);
      float[] second = floats(in);
      List<UpdateStats> curve = Json.MAPPER.readValue(bytes(in), new TypeReference<List<UpdateStats>>() {});
      return new Checkpoint(config, network, updates, parameters, new Optimizer.State(kind, steps, first, second),
          curve);
    } catch (java.io.EOFException e) {
      throw new IOException(file + " is truncated: not a complete checkpoint", e);
    }
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 30) {
      throw new IOException("corrupt checkpoint: block length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void floats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float f : a) {
      out.writeInt(Float.floatToRawIntBits(f));
    }
  }

  private static float[] floats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 30) {
      throw new IOException("corrupt checkpoint: array length " + n);
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = Float.intBitsToFloat(in.readInt());
    }
    return a;
  }

}
