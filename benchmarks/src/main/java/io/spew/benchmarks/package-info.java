/** Benchmarks that run Spew's real work beside its baseline and print ratios. */
package io.spew.benchmarks;
