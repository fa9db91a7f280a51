package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A host run by systemd, for tests on machines whose PID 1 is not systemd: this machine's own root file
 * system booted with {@code systemd-nspawn --boot} over an overlay (lower: {@code /}; upper and work: the
 * test's directory), so the host's installed systemd, machined, Java and project are all there and nothing
 * written in it reaches the host. It has a network of its own (loopback only) and boots to
 * {@code basic.target}, where D-Bus starts machined on demand. The directories given are bound at the same
 * paths. nspawn and its container live in a cgroup made for them, removed by {@link #close}, which powers
 * the host off (ending every process in it), unmounts the overlay and removes that cgroup.
 */
final class SystemdHost implements AutoCloseable {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    /** Units that would empty or hide /tmp, where the bound test directories are. */
    private static final List<String> MASKED = List.of("tmp.mount", "systemd-tmpfiles-setup.service",
            "systemd-tmpfiles-clean.timer", "systemd-tmpfiles-clean.service");

    private final Path merged;
    private final List<Path> cgroups;
    private final Process nspawn;
    private long init;

    private SystemdHost(Path merged, List<Path> cgroups, Process nspawn) {
        this.merged = merged;
        this.cgroups = cgroups;
        this.nspawn = nspawn;
    }

    /** Boots the host as machine {@code name} in {@code directory}, binding {@code binds}, and waits for systemd. */
    static SystemdHost boot(Path directory, String name, List<Path> binds) throws IOException, InterruptedException {
        Path upper = Files.createDirectories(directory.resolve("upper"));
        Path work = Files.createDirectories(directory.resolve("work"));
        Path merged = Files.createDirectories(directory.resolve("merged"));
        Path units = Files.createDirectories(upper.resolve("etc/systemd/system"));
        for (String unit : MASKED) {
            Files.createSymbolicLink(units.resolve(unit), Path.of("/dev/null"));
        }
        exec("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=/,upperdir=" + upper + ",workdir=" + work, merged.toString());
        List<Path> cgroups = cgroupsFor(name);
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "for group in \"$@\"; do [ \"$group\" = -- ] && break; echo $$ > \"$group/cgroup.procs\"; shift; done;"
                        + " shift; exec \"$@\"", "sh"));
        cgroups.forEach(group -> command.add(group.toString()));
        command.addAll(List.of("--", "systemd-nspawn", "--boot", "--quiet", "--directory=" + merged, "--machine=" + name,
                "--register=no", "--keep-unit", "--private-network", "--console=passive"));
        binds.forEach(bind -> command.add("--bind=" + bind));
        command.add("systemd.unit=basic.target");
        Process nspawn = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("boot.log").toFile()).start();
        SystemdHost host = new SystemdHost(merged, cgroups, nspawn);
        try {
            host.awaitSystemd(directory.resolve("boot.log"));
            return host;
        } catch (IOException | RuntimeException | Error e) {
            host.close();
            throw e;
        }
    }

    /** The pid (on this machine) of the host's systemd, PID 1 inside it. */
    long init() {
        return init;
    }

    /** The command prefix that runs its arguments inside the host, in every namespace of its PID 1. */
    List<String> enter() {
        return List.of("nsenter", "-t", Long.toString(init), "-a", "--");
    }

    /** Runs a command inside the host and returns its output; it must succeed. */
    String run(String... command) throws IOException, InterruptedException {
        List<String> entered = new ArrayList<>(enter());
        entered.addAll(List.of(command));
        return exec(entered.toArray(String[]::new));
    }

    private void awaitSystemd(Path log) throws IOException {
        boolean up = eventually(Duration.ofSeconds(90), () -> {
            if (!nspawn.isAlive()) {
                return true;
            }
            if (init == 0) {
                init = pidOneOf(nspawn.toHandle()).orElse(0L);
                return false;
            }
            try {
                String state = run("sh", "-c", "systemctl is-system-running || true").strip();
                return state.equals("running") || state.equals("degraded");
            } catch (IOException | AssertionError e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        if (!up || !nspawn.isAlive()) {
            throw new AssertionError("systemd did not boot in the container within 90 s:\n" + Files.readString(log, UTF_8));
        }
    }

    /** The descendant of nspawn that is PID 1 of its own pid namespace (its last {@code NSpid} is 1). */
    private static Optional<Long> pidOneOf(ProcessHandle nspawn) {
        return nspawn.descendants().map(ProcessHandle::pid).filter(pid -> {
            try {
                return Files.readAllLines(Path.of("/proc", pid.toString(), "status"), UTF_8).stream()
                        .anyMatch(line -> line.startsWith("NSpid:") && line.matches("NSpid:\\s+\\d+\\s+1"));
            } catch (IOException e) {
                return false;
            }
        }).findFirst();
    }

    /** A cgroup of its own in each hierarchy nspawn sets up for a booted container (name=systemd and unified). */
    private static List<Path> cgroupsFor(String name) throws IOException {
        List<Path> groups = new ArrayList<>();
        if (Files.exists(CGROUPS.resolve("cgroup.controllers"))) {
            groups.add(CGROUPS.resolve(name));
        } else {
            for (String hierarchy : List.of("systemd", "unified")) {
                if (Files.exists(CGROUPS.resolve(hierarchy).resolve("cgroup.procs"))) {
                    groups.add(CGROUPS.resolve(hierarchy).resolve(name));
                }
            }
        }
        for (Path group : groups) {
            Files.createDirectories(group);
        }
        return groups;
    }

    @Override
    public void close() throws IOException {
        try {
            nspawn.destroy(); // nspawn powers the container off on SIGTERM
            if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            eventually(Duration.ofSeconds(10), () -> {
                try {
                    exec("umount", merged.toString());
                    return true;
                } catch (IOException | AssertionError e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Path group : cgroups) {
                removeGroups(group);
            }
        }
    }

    /** Removes a cgroup and the groups under it, deepest first (only directories: their files go with them). */
    private static void removeGroups(Path group) throws IOException {
        if (!Files.exists(group)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(group)) {
            for (Path directory : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(directory);
            }
        }
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
