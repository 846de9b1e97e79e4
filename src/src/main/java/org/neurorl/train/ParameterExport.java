package org.neurorl.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurorl.kernel.train.ParameterLayout;
import org.neurorl.sim.Json;
import org.neurorl.sim.Npy;

/**
 * Trained parameters in a format other tools read: one float32 {@code .npy} file per tensor (C order,
 * the tensor's shape; {@code np.load("Wx.npy")}) plus {@code manifest.json}:
 *
 * <pre>
 * {
 *   "format": "neurorl-parameters/1",
 *   "network": "lstm", "inputs": 3, "hidden": 48, "actions": 2,
 *   "dtype": "float32", "parameterCount": 10179, "updates": 625, "episodes": 20000,
 *   "tensors": [ {"name": "Wx", "shape": [192, 3], "offset": 0, "file": "Wx.npy"}, ... ],
 *   "config": { the A2cConfig that trained them }
 * }
 * </pre>
 *
 * Tensors are listed in the order of the flat parameter vector ({@code offset} is the position of
 * element 0); concatenating the flattened arrays in that order gives the vector back.
 */
public final class ParameterExport {
  public static final String FORMAT = "neurorl-parameters/1";
  public static final String MANIFEST = "manifest.json";

  private ParameterExport() {}

  /** Parameters read back from an export. */
  public record Loaded(String network, A2cConfig config, ParameterLayout layout, float[] parameters, int updates) {
    @Override
    public float[] parameters() {
      return parameters.clone();
    }
  }

  /** Writes one {@code .npy} per tensor and the manifest into {@code dir} (each file atomically). */
  public static void write(Path dir, String network, A2cConfig config, ParameterLayout layout, float[] parameters,
      int updates) throws IOException {
    if (parameters.length != layout.size()) {
      throw new IllegalArgumentException("parameters.length = " + parameters.length + "; allowed: exactly "
          + layout.size() + " (the layout's size)");
    }
    Files.createDirectories(dir);
    List<Map<String, Object>> tensors = new ArrayList<>();
    for (ParameterLayout.Tensor t : layout.tensors()) {
      String file = fileName(t.name());
      Npy.write(dir.resolve(file), Arrays.copyOfRange(parameters, t.offset(), t.offset() + t.size()), t.shape());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("shape", t.shape());
      m.put("offset", t.offset());
      m.put("file", file);
      tensors.add(m);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", FORMAT);
    manifest.put("network", network);
    manifest.put("inputs", config.inputs());
    manifest.put("hidden", config.hidden());
    manifest.put("actions", config.actions());
    manifest.put("dtype", "float32");
    manifest.put("parameterCount", layout.size());
    manifest.put("updates", updates);
    manifest.put("episodes", (long) updates * config.batch());
    manifest.put("tensors", tensors);
    manifest.put("config", config);
    Json.writeAtomically(dir.resolve(MANIFEST), manifest);
  }

  /** Reads an export written by {@link #write}; checks every file against the manifest. */
  public static Loaded read(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException("no " + MANIFEST + " in " + dir + " (expected a neurorl parameter export)");
    }
    JsonNode m = Json.MAPPER.readTree(manifestFile.toFile());
    if (!FORMAT.equals(m.path("format").asText())) {
      throw new IOException(manifestFile + ": format " + m.path("format") + "; allowed: " + FORMAT);
    }
    A2cConfig config = Json.MAPPER.treeToValue(m.get("config"), A2cConfig.class);
    ParameterLayout.Builder builder = ParameterLayout.builder();
    List<float[]> values = new ArrayList<>();
    for (JsonNode t : m.get("tensors")) {
      int[] shape = Json.MAPPER.treeToValue(t.get("shape"), int[].class);
      String name = t.get("name").asText();
      Npy.Array a = Npy.read(dir.resolve(t.get("file").asText()));
      if (!Arrays.equals(a.shape(), shape) || !a.descr().equals("<f4")) {
        throw new IOException(dir.resolve(t.get("file").asText()) + ": " + a.descr() + Arrays.toString(a.shape())
            + " does not match the manifest's <f4" + Arrays.toString(shape) + " for tensor " + name);
      }
      builder.add(name, shape);
      values.add(a.floats());
    }
    ParameterLayout layout = builder.build();
    float[] parameters = new float[layout.size()];
    for (int i = 0; i < values.size(); i++) {
      ParameterLayout.Tensor t = layout.tensors().get(i);
      System.arraycopy(values.get(i), 0, parameters, t.offset(), t.size());
    }
    return new Loaded(m.get("network").asText(), config, layout, parameters, m.path("updates").asInt());
  }

  private static String fileName(String tensor) {
    return tensor.replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy";
  }
}
