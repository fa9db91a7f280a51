/** Instance networks: this host's slice of the cluster's instance subnet and the addresses leased from it. */
package io.spew.impl.network;
