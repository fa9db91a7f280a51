package io.spew.impl.extract;

import java.util.Map;

/**
 * What extraction sets on a file besides its content: numeric owner, exact mode (set-user-ID,
 * set-group-ID and sticky bits included), modification time, extended attributes.
 */
record EntryAttributes(int uid, int gid, int mode, long seconds, int nanos, Map<String, byte[]> xattrs) {
    /** A directory made because an entry lies below it: root's, 0755, time left as it is. */
    static final EntryAttributes IMPLICIT_DIRECTORY = new EntryAttributes(0, 0, 0755, 0, -1, Map.of());

    EntryAttributes {
        xattrs = Map.copyOf(xattrs);
    }

    /** Whether a modification time is to be set. */
    boolean hasTime() {
        return nanos >= 0;
    }
}
