/**
 * Simulations over many agents: a run described as data ({@link org.neurorl.sim.SimulationSpec}, a
 * JSON document that repeats the run exactly), streamed statistics, and the summary.
 */
package org.neurorl.sim;
