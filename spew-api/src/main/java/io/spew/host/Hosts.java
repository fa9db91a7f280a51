package io.spew.host;

import java.util.List;

/** The hosts of the cluster this host belongs to (just itself without a cluster). */
public interface Hosts {
    /** Every member, the local one first. */
    List<Host> list();

    /** The host this engine runs on. */
    Host local();
}
