package io.spew.runtime.noop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's group from {@code /proc/PID/stat}. */
final class ProcessGroups {
    private ProcessGroups() {}

    /** Whether the process leads its process group (its pgid is its pid). */
    static boolean leadsGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the command name in parentheses: state, ppid, pgrp.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]) == pid;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
