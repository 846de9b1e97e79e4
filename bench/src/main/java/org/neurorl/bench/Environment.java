package org.neurorl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurorl.kernel.simd.SimdSpecies;
import org.neurorl.nativeblas.OpenBlas;

/** What a number in {@code results/} was measured on: machine, JDK, OpenBLAS, vector width, command. */
public final class Environment {
  private Environment() {}

  /** Environment facts, in a stable order, ready for JSON. */
  public static Map<String, Object> collect(String command) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("date", LocalDate.now().toString());
    e.put("timestamp", OffsetDateTime.now().toString());
    e.put("command", command);
    e.put("cpuModel", cpuInfo("model name").orElse("unknown"));
    e.put("cpuMHzReported", cpuInfo("cpu MHz").orElse("unknown"));
    e.put("cores", Runtime.getRuntime().availableProcessors());
    e.put("l2Cache", read("/sys/devices/system/cpu/cpu0/cache/index2/size").orElse("unknown"));
    e.put("l3Cache", read("/sys/devices/system/cpu/cpu0/cache/index3/size").orElse("unknown"));
    e.put("memTotal", meminfo().orElse("unknown"));
    e.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    e.put("javaVersion", System.getProperty("java.version"));
    e.put("javaVendor", System.getProperty("java.vendor"));
    e.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    e.put("jvmArgs", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    Optional<OpenBlas> blas = OpenBlas.get();
    e.put("openblasConfig", blas.map(OpenBlas::config).orElse("not loaded: " + OpenBlas.failure()));
    e.put("openblasSource", blas.map(OpenBlas::source).orElse(null));
    e.put("openblasThreads", blas.map(OpenBlas::numThreads).orElse(null));
    e.put("simdBits", SimdSpecies.BITS);
    e.put("floatLanes", SimdSpecies.F.length());
    return e;
  }

  /** First value of {@code key} in /proc/cpuinfo. */
  static Optional<String> cpuInfo(String key) {
    try {
      return parseCpuInfo(Files.readAllLines(Path.of("/proc/cpuinfo")), key);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<String> parseCpuInfo(List<String> lines, String key) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
        return Optional.of(line.substring(colon + 1).trim());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> meminfo() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
          .map(l -> l.substring("MemTotal:".length()).trim()).findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> read(String path) {
    try {
      return Optional.of(Files.readString(Path.of(path)).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
