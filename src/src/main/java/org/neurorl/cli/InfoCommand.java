package org.neurorl.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.neurorl.kernel.Kernels;
import org.neurorl.nativeblas.OpenBlas;
import picocli.CommandLine.Command;

/** Prints what this JVM will use: kernels, SIMD width, OpenBLAS, cores. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Show the JDK, the kernel implementations and SIMD width in use, and the OpenBLAS found.")
public final class InfoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("java        " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    System.out.println("cores       " + Runtime.getRuntime().availableProcessors());
    Optional<String> simdReason = Kernels.simdUnavailableReason();
    System.out.println("kernels     " + Kernels.requestedImplementation()
        + simdReason.map(r -> " (SIMD unavailable: " + r + ")").orElse(""));
    System.out.println("simd        " + (simdReason.isEmpty() ? SimdWidth.describe() : "none"));
    Optional<OpenBlas> blas = OpenBlas.get();
    System.out.println("openblas    " + blas.map(b -> b.config() + " from " + b.source())
        .orElse("not loaded: " + OpenBlas.failure()));
    return 0;
  }
}
