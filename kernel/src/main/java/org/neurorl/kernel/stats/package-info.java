/** Hot loops of a simulation's bookkeeping: per-trial regret curves over blocks of agents. */
package org.neurorl.kernel.stats;
