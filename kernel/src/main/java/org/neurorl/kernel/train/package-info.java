/**
 * Training recurrent networks by backpropagation through time: the contract between networks and
 * trainers ({@link org.neurorl.kernel.train.RecurrentNetwork}, {@link org.neurorl.kernel.train.ParameterLayout}),
 * and the optimizers and gradient clipping of the A2C trainer, all over one flat float32 parameter
 * vector so that checkpoints and exports treat every network alike.
 */
package org.neurorl.kernel.train;
