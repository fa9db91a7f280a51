package io.spew.cli;

import io.spew.daemon.api.DaemonInfo;
import java.io.PrintWriter;

/** How {@code spew daemon status} and {@code spew daemon start} show a running daemon. */
final class DaemonStatus {
    private DaemonStatus() {}

    static void print(PrintWriter out, DaemonInfo info) {
        out.println("daemon     running");
        out.println("pid        " + info.pid());
        out.println("listen     " + info.listen());
        out.println("data dir   " + info.dataDir());
        out.println("version    " + info.version());
        out.println("instances  " + info.instances() + " (" + info.active() + " active)");
        out.flush();
    }
}
