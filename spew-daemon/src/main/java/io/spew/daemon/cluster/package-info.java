/**
 * The daemon's side of a cluster: the key and settings kept in {@code cluster/}, the join token, and the
 * settings the engine's {@code jgroups} transport gets from them.
 */
package io.spew.daemon.cluster;
