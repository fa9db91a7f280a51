package io.spew.daemon.client;

import java.util.List;

/** How the daemon's JVM is started. */
public final class DaemonJvm {
    /**
     * The daemon's JVM options: one GC thread, and a young generation small enough that the memory it touches
     * tracks what the daemon keeps (about 1.5 KiB of heap per instance) rather than its garbage; the old
     * generation gives memory back after a collection.
     */
    public static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn12m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

    private DaemonJvm() {}
}
