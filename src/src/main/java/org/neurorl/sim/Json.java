package org.neurorl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** JSON reading and atomic writing (temporary file, then rename: a reader never sees half a file). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** Writes {@code value} as JSON to {@code file} atomically. */
  public static void writeAtomically(Path file, Object value) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      MAPPER.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a simulation spec from a file holding either the spec itself or a result that embeds it under
   * {@code "spec"} (so a run repeats from its own output).
   */
  public static SimulationSpec readSpec(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read the spec " + file + ": " + e.getMessage(), e);
    }
    JsonNode node = root.has("spec") ? root.get("spec") : root;
    try {
      return MAPPER.treeToValue(node, SimulationSpec.class);
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new IllegalArgumentException("spec " + file + ": " + cause.getMessage(), e);
    }
  }
}
