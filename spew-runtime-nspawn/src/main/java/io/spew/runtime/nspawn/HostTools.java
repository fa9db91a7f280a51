package io.spew.runtime.nspawn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the nspawn runtime needs of the host, found where it looks: systemd-nspawn on the path,
 * overlayfs in the kernel, root, and whether systemd-machined runs (then it registers containers,
 * and limits are properties of their scopes).
 *
 * @param path the directories searched for systemd-nspawn
 * @param filesystems the kernel's file systems ({@code /proc/filesystems})
 * @param status the process status ({@code /proc/self/status}), for the effective uid
 * @param systemdRun the directory that exists when systemd runs the host ({@code /run/systemd/system})
 */
record HostTools(List<Path> path, Path filesystems, Path status, Path systemdRun) {
    /** systemd-machined's name on the system bus. */
    static final String MACHINED = "org.freedesktop.machine1";
    static final String NO_OVERLAY = "overlayfs not supported by this kernel (no 'overlay' in /proc/filesystems;"
            + " try modprobe overlay)";

    static HostTools system() {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        List<Path> directories = new ArrayList<>();
        for (String directory : (path + ":/usr/bin:/bin").split(":")) {
            if (!directory.isEmpty()) {
                directories.add(Path.of(directory));
            }
        }
        return new HostTools(directories, Path.of("/proc/filesystems"), Path.of("/proc/self/status"),
                Path.of("/run/systemd/system"));
    }

    Optional<Path> nspawn() {
        return tool("systemd-nspawn");
    }

    /** The first executable of that name on the path. */
    Optional<Path> tool(String name) {
        return path.stream().map(directory -> directory.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    boolean overlay() {
        try {
            return Files.readAllLines(filesystems).stream().anyMatch(line -> line.trim().endsWith("overlay"));
        } catch (IOException e) {
            return false;
        }
    }

    boolean root() {
        try {
            return Files.readAllLines(status).stream().filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether systemd-machined can register containers: systemd runs the host ({@code systemdRun} exists,
     * as {@code sd_booted()} asks) and the system bus has {@code org.freedesktop.machine1}, running or
     * activatable (asked with {@code busctl}, which comes with systemd). A directory such as
     * {@code /run/systemd/machines} proves nothing: nspawn makes it on hosts without machined too.
     */
    boolean machined() {
        if (!Files.isDirectory(systemdRun)) {
            return false;
        }
        Optional<Path> busctl = tool("busctl");
        return busctl.isPresent() && busNames(busctl.get()).contains(MACHINED);
    }

    /** The names on the system bus, running or activatable; empty when the bus cannot be asked. */
    private static List<String> busNames(Path busctl) {
        try {
            Process process = new ProcessBuilder(busctl.toString(), "--system", "--no-pager", "--no-legend",
                    "--timeout=2", "list").redirectErrorStream(true).start();
            process.getOutputStream().close();
            List<String> names = new ArrayList<>();
            try (var output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                output.lines().map(String::strip).filter(line -> !line.isEmpty())
                        .forEach(line -> names.add(line.split("\\s+")[0]));
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            return process.exitValue() == 0 ? names : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * What is missing, joined with "; ", or empty. Overlayfs is not required: without it, instances
     * run on copies of their build's rootfs ({@link #overlay()} tells the runtime).
     */
    String missing() {
        List<String> missing = new ArrayList<>();
        if (nspawn().isEmpty()) {
            missing.add("systemd-nspawn not installed: install systemd-container (apt-get install systemd-container)");
        }
        if (!root()) {
            missing.add("not root: runtime nspawn mounts and runs containers, run the daemon as root");
        }
        return String.join("; ", missing);
    }
}
