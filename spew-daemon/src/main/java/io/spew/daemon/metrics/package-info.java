/** The daemon's metrics in Prometheus' text format ({@code /metrics}) and the request timing behind them. */
package io.spew.daemon.metrics;
