/** Hosts: the members of the cluster and their facts. */
package io.spew.host;
