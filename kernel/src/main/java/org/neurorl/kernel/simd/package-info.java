/**
 * The float32 Vector API implementations of the kernels, loaded reflectively by
 * {@link org.neurorl.kernel.Kernels} only after {@code jdk.incubator.vector} was found readable. Every
 * class here uses the {@code static final} species of {@link org.neurorl.kernel.simd.SimdSpecies}.
 * Methods are kept small, one per loop nest and branch-free per configuration: a method C2 does not
 * inline, or one that deoptimises to C1 after a new shape, boxes every vector (2–10× slower).
 *
 * <p>The training networks ({@code SimdPlasticNetwork}) are loaded the same way, through a public
 * no-argument {@code Factory} class.
 */
package org.neurorl.kernel.simd;
