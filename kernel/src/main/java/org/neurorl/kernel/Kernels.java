package org.neurorl.kernel;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Chooses, once per kernel kind, between the SIMD implementation and the plain reference, as Lucene's
 * {@code VectorizationProvider} does.
 *
 * <p>The SIMD classes live in {@code org.neurorl.kernel.simd} and are loaded reflectively, and only
 * after checking that {@code jdk.incubator.vector} is readable: no class that touches the incubator
 * module is linked before that check. Otherwise the reference is used and one log line says why.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@value #IMPL_PROPERTY} = {@code auto} (default), {@code simd} (fail if it cannot load) or
 *       {@code reference};</li>
 *   <li>{@value #BITS_PROPERTY} = 128, 256 or 512 pins the SIMD width (default: the preferred species
 *       of the machine), so tests can run every width on one machine.</li>
 * </ul>
 */
public final class Kernels {
  public static final String IMPL_PROPERTY = "neurorl.kernel";
  public static final String BITS_PROPERTY = "neurorl.simd.bits";
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final System.Logger LOG = System.getLogger("org.neurorl.kernel");
  private static final ConcurrentHashMap<String, Boolean> LOGGED = new ConcurrentHashMap<>();

  private Kernels() {}

  /** What the process is configured to use: "auto", "simd" or "reference". */
  public static String requestedImplementation() {
    String v = System.getProperty(IMPL_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    if (!v.equals("auto") && !v.equals("simd") && !v.equals("reference")) {
      throw new IllegalArgumentException(
          "-D" + IMPL_PROPERTY + "=" + v + " is not allowed; use auto, simd or reference");
    }
    return v;
  }

  /** Why the SIMD path is unavailable in this JVM, or empty when it is available. */
  public static Optional<String> simdUnavailableReason() {
    Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
    if (module.isEmpty()) {
      return Optional.of(VECTOR_MODULE + " is not in the boot layer (start the JVM with --add-modules "
          + VECTOR_MODULE + ")");
    }
    if (!Kernels.class.getModule().canRead(module.get())) {
      return Optional.of(VECTOR_MODULE + " is not readable by " + Kernels.class.getModule());
    }
    return Optional.empty();
  }

  /**
   * Returns the kernel of the given kind: the SIMD class {@code simdClassName} (which must have a public
   * no-argument constructor and implement {@code kind}) when the Vector API is available and not
   * switched off, else {@code reference.get()}.
   *
   * @throws IllegalStateException when {@value #IMPL_PROPERTY}=simd but the SIMD class cannot load
   */
  public static <K> K select(Class<K> kind, String simdClassName, Supplier<? extends K> reference) {
    String requested = requestedImplementation();
    if (requested.equals("reference")) {
      logOnce(kind, "neurorl: " + kind.getSimpleName() + " uses the plain reference (-D" + IMPL_PROPERTY
          + "=reference)");
      return reference.get();
    }
    try {
      return simd(kind, simdClassName);
    } catch (IllegalStateException e) {
      if (requested.equals("simd")) {
        throw e;
      }
      logOnce(kind, "neurorl: " + kind.getSimpleName() + " uses the plain reference: " + e.getMessage());
      return reference.get();
    }
  }

  /**
   * Loads the SIMD implementation or throws {@link IllegalStateException} saying why it cannot. Tests
   * use this to fail when the fast path was expected but is not there.
   */
  public static <K> K simd(Class<K> kind, String simdClassName) {
    Optional<String> reason = simdUnavailableReason();
    if (reason.isPresent()) {
      throw new IllegalStateException(reason.get());
    }
    try {
      Class<?> c = Class.forName(simdClassName, true, Kernels.class.getClassLoader());
      return kind.cast(c.getConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot load " + simdClassName + ": " + cause, e);
    }
  }

  private static void logOnce(Class<?> kind, String message) {
    if (LOGGED.putIfAbsent(kind.getName(), Boolean.TRUE) == null) {
      LOG.log(System.Logger.Level.INFO, message);
    }
  }
}
