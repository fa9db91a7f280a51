/**
 * Cluster transports (the local one-host transport and the choice among transports), the placement of
 * instances over hosts, and the instances of other hosts: reported, listed, and acted on through them.
 */
package io.spew.impl.cluster;
