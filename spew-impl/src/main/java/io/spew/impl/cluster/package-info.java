/** Cluster transports: the local one-host transport and the choice among transports. */
package io.spew.impl.cluster;
