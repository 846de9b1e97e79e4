/**
 * Meta-reinforcement learning: advantage actor-critic through time (A2C-SPEC.md) training a recurrent
 * network ({@link org.neurorl.kernel.train.RecurrentNetwork}) on episodes of the two-armed bandit
 * (Wang et al. 2018), with atomic checkpoints that resume bit for bit and a {@code .npy} + JSON export
 * of the trained parameters.
 */
package org.neurorl.train;
