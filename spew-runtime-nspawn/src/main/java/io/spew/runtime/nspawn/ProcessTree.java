package io.spew.runtime.nspawn;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads parent links from {@code /proc}: the kernel here may lack {@code /proc/PID/task/TID/children}. */
final class ProcessTree {
    private static final String STUB_INIT = "(sd-stubinit)";
    private static final String NSPAWN = "systemd-nspawn";
    private ProcessTree() {}

    /** The first child of {@code parent} found, or empty. */
    static OptionalLong child(long parent) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (parentOf(process) == parent) {
                    return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * The container's init: the child of nspawn that is pid 1 of a pid namespace of its own (nspawn
     * has other children while it sets the container up).
     */
    static OptionalLong containerInit(long nspawn) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (parentOf(process) == nspawn && isNamespaceInit(process)) {
                    return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static boolean isNamespaceInit(Path process) {
        try {
            for (String line : Files.readAllLines(process.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
                    return pids.length > 1 && pids[pids.length - 1].equals("1");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * The inits of containers whose environment holds {@code variable} (such as
     * {@code SPEW_INSTANCE_ID=…}): pid 1 of their namespace, in a container of systemd-nspawn.
     */
    static java.util.List<Long> containerInits(String variable) {
        java.util.List<Long> inits = new java.util.ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String environment = "\0" + new String(Files.readAllBytes(process.resolve("environ")),
                            java.nio.charset.StandardCharsets.UTF_8);
                    if (environment.contains("\0" + variable + "\0") && environment.contains("\0container=systemd-nspawn\0")
                            && isNamespaceInit(process)) {
                        inits.add(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return inits;
        }
        return inits;
    }

    /**
     * The command of the container nspawn runs with {@code --as-pid2}, once it runs: the child of the
     * container's init after that init became nspawn's stub init, and after the child executed the
     * command. Before, the init's children are nspawn's own helpers, which a signal would break.
     */
    static OptionalLong command(long nspawn) {
        OptionalLong init = containerInit(nspawn);
        if (init.isEmpty() || !STUB_INIT.equals(comm(init.getAsLong()))) {
            return OptionalLong.empty();
        }
        OptionalLong command = child(init.getAsLong());
        if (command.isEmpty()) {
            return command;
        }
        String name = comm(command.getAsLong());
        return name.isEmpty() || STUB_INIT.equals(name) || NSPAWN.equals(name) ? OptionalLong.empty() : command;
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether some process has {@code argument} as one of its arguments. */
    static boolean anyWithArgument(String argument) {
        byte[] wanted = argument.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    byte[] commandLine = Files.readAllBytes(process.resolve("cmdline"));
                    int start = 0;
                    for (int i = 0; i <= commandLine.length; i++) {
                        if (i == commandLine.length || commandLine[i] == 0) {
                            if (java.util.Arrays.equals(commandLine, start, i, wanted, 0, wanted.length)) {
                                return true;
                            }
                            start = i + 1;
                        }
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static long parentOf(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
