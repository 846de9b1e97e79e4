package org.neurorl.nativeblas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the OpenBLAS shared libraries bundled in {@code org.bytedeco:openblas:linux-x86_64} from the
 * class path into a per-user cache folder, once.
 *
 * <p>Several processes may start at once (a sweep launching many JVMs). Each library is written under
 * a unique temporary name in the same folder and then renamed atomically onto its final name, so a
 * reader sees either no file or a whole one. A file already present is reused only when its size
 * equals the bundled resource's; otherwise it is replaced the same way.
 */
final class LibraryCache {
  /** The bundled libraries in the order they must be loaded (each needs the ones before it). */
  static final List<String> BUNDLED_ORDER =
      List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

  static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";

  private LibraryCache() {}

  /** The cache folder: {@code $XDG_CACHE_HOME/neurorl/<tag>} or {@code ~/.cache/neurorl/<tag>}. */
  static Path cacheFolder(String tag) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("neurorl").resolve(tag);
  }

  /**
   * Extracts the bundled libraries (if needed) and returns their paths in load order.
   *
   * @throws IOException when a library is not on the class path or cannot be written
   */
  static List<Path> extractBundled(ClassLoader loader, Path folder) throws IOException {
    Files.createDirectories(folder);
    List<Path> out = new ArrayList<>();
    for (String name : BUNDLED_ORDER) {
      URL url = loader.getResource(RESOURCE_DIR + name);
      if (url == null) {
        throw new IOException("resource " + RESOURCE_DIR + name + " is not on the class path"
            + " (org.bytedeco:openblas:linux-x86_64 missing?)");
      }
      out.add(extractOne(url, folder.resolve(name)));
    }
    return out;
  }

  private static Path extractOne(URL url, Path target) throws IOException {
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    long expected = connection.getContentLengthLong();
    if (expected > 0 && Files.isRegularFile(target) && Files.size(target) == expected) {
      return target;
    }
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
    try {
      long written;
      try (InputStream in = connection.getInputStream()) {
        written = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      if (expected > 0 && written != expected) {
        throw new IOException("short copy of " + url + ": " + written + " of " + expected + " bytes");
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the cache folder " + target.getParent()
            + " does not support atomic renames; point neurorl.openblas.path at an installed OpenBLAS", e);
      }
      return target;
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
