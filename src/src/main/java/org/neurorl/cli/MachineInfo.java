package org.neurorl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neurorl.kernel.Kernels;
import org.neurorl.nativeblas.OpenBlas;

/** The machine and JDK a result was produced on, for the JSON outputs. */
final class MachineInfo {
  private MachineInfo() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", Runtime.version().toString());
    m.put("javaVendor", System.getProperty("java.vendor"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("kernels", Kernels.requestedImplementation());
    m.put("simd", Kernels.simdUnavailableReason().isEmpty() ? SimdWidth.describe() : "none");
    m.put("openblas", OpenBlas.get().map(OpenBlas::config).orElse("not loaded"));
    return m;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | SecurityException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }
}
