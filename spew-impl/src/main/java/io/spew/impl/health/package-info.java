/** Health checks: probes ({@code tcp}, {@code http}, {@code exec}) of running instances and their verdicts. */
package io.spew.impl.health;
