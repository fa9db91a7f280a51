/**
 * Instance networks: this host's slice of the instance subnet (assigned through the cluster's replicated state in
 * a cluster), the addresses leased from it, and the routes to the other hosts' slices.
 */
package io.spew.impl.network;
