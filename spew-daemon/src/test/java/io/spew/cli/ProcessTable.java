package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What {@code /proc} says about processes: alive (a zombie is not), their group, who has an id. */
final class ProcessTable {
    private static final Path PROC = Paths.get("/proc");

    private ProcessTable() {}

    /** Whether {@code pid} exists and is not a zombie (nothing reaps orphans in some containers). */
    static boolean isAlive(long pid) {
        return stat(pid).map(fields -> !fields[0].equals("Z") && !fields[0].equals("X")).orElse(false);
    }

    /** The process group of a live process. */
    static Optional<Long> processGroup(long pid) {
        return stat(pid).map(fields -> Long.parseLong(fields[2]));
    }

    /** The live processes of a process group. */
    static List<Long> liveMembersOf(long processGroup) {
        List<Long> members = new ArrayList<>();
        for (long pid : pids()) {
            if (isAlive(pid) && processGroup(pid).orElse(-1L) == processGroup) {
                members.add(pid);
            }
        }
        return members;
    }

    /**
     * Kills (SIGKILL) every live process whose environment names an instance of that data
     * directory, whatever happened to its daemon: a test leaves nothing running.
     */
    static void killInstancesOf(Path dataDirectory) {
        Set<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> instances = Files.newDirectoryStream(dataDirectory.resolve("instances"))) {
            instances.forEach(directory -> ids.add(directory.getFileName().toString()));
        } catch (IOException e) {
            return;
        }
        for (long pid : processesOf(ids)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The live processes whose environment names one of these instances ({@code SPEW_INSTANCE_ID}). */
    static List<Long> processesOf(Collection<String> instanceIds) {
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            String environment = environment(pid);
            if (instanceIds.stream().anyMatch(id -> environment.contains("\0SPEW_INSTANCE_ID=" + id + "\0"))) {
                found.add(pid);
            }
        }
        return found;
    }

    private static String environment(long pid) {
        try {
            return "\0" + new String(Files.readAllBytes(PROC.resolve(pid + "/environ")), UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name: state, ppid, pgrp, ... */
    private static Optional<String[]> stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(pid + "/stat"), UTF_8);
            return Optional.of(text.substring(text.lastIndexOf(')') + 2).trim().split(" "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            entries.forEach(entry -> pids.add(Long.parseLong(entry.getFileName().toString())));
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return pids;
    }
}
