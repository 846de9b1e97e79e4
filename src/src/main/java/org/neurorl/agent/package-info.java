/**
 * Agents that act and learn on a batch of environments over flat arrays ({@link
 * org.neurorl.agent.BatchAgent}); the fast learners delegate their trials to the kernels.
 */
package org.neurorl.agent;
