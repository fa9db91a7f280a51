/** The {@code jgroups} cluster transport: JGroups over TCP, every message sealed with the cluster key. */
package io.spew.distrib.jgroups;
