/**
 * Batched environments over flat arrays, in Gymnasium's words ({@code reset}, {@code step},
 * observation, reward, terminated, truncated): the tasks of MODELS.md §5.
 */
package org.neurorl.env;
