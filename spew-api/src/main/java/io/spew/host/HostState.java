package io.spew.host;

import java.util.Locale;

/** The state of a cluster member as its peers see it. */
public enum HostState {
    UP, SUSPECT, LOST;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
