/**
 * Benchmarks and their report. JMH benchmarks of every kernel (reference and SIMD), machine-limit
 * probes written in Java ({@link org.neurorl.bench.MachineProbes}), the cost of an OpenBLAS downcall
 * ({@link org.neurorl.bench.BlasCallBenchmark}), a single-call latency harness
 * ({@link org.neurorl.bench.LatencyHarness}), and {@link org.neurorl.bench.BenchMain}, which runs a
 * planned pass through the JMH Runner API and writes {@code results/kernels-<date>.json} and the
 * tables of {@code results/README.md} ({@link org.neurorl.bench.Report}).
 */
package org.neurorl.bench;
