/**
 * Figures of the bandit laboratory (Wang et al. 2018, Fig. 1c and 1d): cumulative regret of several
 * agents on the same episodes, the probability of choosing the better arm, and action heat maps. Each
 * figure is a PNG drawn with XChart and written next to the numbers behind it (CSV and JSON), so a
 * reader can check or re-plot every point. The numbers come from the project's own runners
 * ({@link org.neurorl.bandit.BanditRunner}, {@link org.neurorl.sim.BanditSimulation}) and kernels.
 */
package org.neurorl.plot;
