/**
 * Batched environments over flat arrays, in Gymnasium's words ({@code reset}, {@code step},
 * observation, reward, terminated, truncated): the tasks of MODELS.md §5 —
 * {@link org.neurorl.env.BernoulliBandit} (k-armed; independent, correlated or fixed probabilities),
 * {@link org.neurorl.env.ReversalBandit}, {@link org.neurorl.env.CueActionTask},
 * {@link org.neurorl.env.WisconsinCardSort}, {@link org.neurorl.env.CuedTMaze} and
 * {@link org.neurorl.env.AssociativeRecall}; and, for the tabular agents of the DRA study (MODELS.md §4b, int
 * states instead of observation vectors), {@link org.neurorl.env.MemoryTask} and
 * {@link org.neurorl.env.GridMaze}. Every slot draws from its own counter-based stream, so a
 * slot plays the same episode whichever batch it is simulated in.
 */
package org.neurorl.env;
