/**
 * OpenBLAS and LAPACKE through {@code java.lang.foreign}: finding the library (bundled or named by the
 * user), extracting it safely into a per-user cache, and typed downcalls. Nothing here knows a model.
 */
package org.neurorl.nativeblas;
