/**
 * The DRA-versus-maximum-entropy study (issue 5): runs of the {@code org.neurorl.kernel.dra} agents on the
 * two-alternative memory task and the grid maze ({@link org.neurorl.dra.MemoryRun},
 * {@link org.neurorl.dra.MazeRun}), maximum-likelihood fits of each model to the other's choices
 * ({@link org.neurorl.dra.GridFit}), and the report ({@link org.neurorl.dra.DraStudy},
 * {@link org.neurorl.dra.DraReport}) behind {@code neurorl dra}.
 */
package org.neurorl.dra;
