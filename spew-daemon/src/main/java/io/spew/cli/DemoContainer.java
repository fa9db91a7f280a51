package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.daemon.api.CreateBuildRequest;
import io.spew.daemon.api.ImportBuildRequest;
import io.spew.daemon.client.DaemonClient;
import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The container part of {@code spew demo}: a root file system made from busybox-static (installed
 * when missing and root), packed and signed with {@code spew build create}, imported, and run under
 * the {@code nspawn} runtime. Where nspawn cannot run, it says why and the demo goes on without it.
 */
final class DemoContainer {
    static final String APPLIANCE = "hello-box";
    static final String INSTANCE = "hello-box-1";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String RUN_SH = "#!/bin/sh\n"
            + "while true; do echo \"hello from $(hostname), a container of busybox $(busybox | head -1 | cut -d' ' -f2)\"; sleep 2; done\n";
    private static final String APPLIANCE_YAML = "name: " + APPLIANCE + "\nruntime: nspawn\nbuild: demo-busybox@1\n";

    private DemoContainer() {}

    /** Why the container part cannot run here, or null if it can. */
    static String unavailable() {
        Probe probe = new NspawnRuntimeFactory().probe(null);
        if (!probe.passed()) {
            return probe.reason();
        }
        if (!Files.isExecutable(BUSYBOX) || !isStatic()) {
            String installed = install();
            if (installed != null) {
                return installed;
            }
        }
        return null;
    }

    /** Makes, signs and imports the build, applies the appliance; returns the build. */
    static Build prepare(DaemonClient client, PrintWriter out) {
        Path work = null;
        try {
            work = Files.createTempDirectory("spew-demo-");
            Path root = makeRoot(work.resolve("rootfs"));
            Path archive = work.resolve("demo-busybox-1.tar.zst");
            var created = client.createBuild(new CreateBuildRequest(root.toString(), "demo-busybox", "1",
                    archive.toString(), null, false));
            out.println("    made     " + created.id() + " signed by " + created.signerFingerprint());
            Build build = client.importBuild(new ImportBuildRequest(created.archive().toString(),
                    created.signature().toString(), false, "demo-busybox", "1", null, null, null, null), (read, total) -> {});
            client.apply("spew demo (hello-box)", APPLIANCE_YAML);
            return build;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot make the demo's busybox root: " + e.getMessage());
        } finally {
            delete(work);
        }
    }

    private static Path makeRoot(Path root) throws IOException {
        for (String directory : List.of("bin", "usr/bin", "etc", "tmp", "proc", "sys", "dev", "run", "var", "root")) {
            Files.createDirectories(root.resolve(directory));
        }
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "echo", "sleep", "hostname", "head", "cut", "cat", "ls", "ps")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("etc/os-release"), "ID=busybox\nNAME=\"spew demo busybox\"\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Path run = root.resolve("run.sh");
        Files.writeString(run, RUN_SH);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static boolean isStatic() {
        try (var in = Files.newInputStream(BUSYBOX)) {
            byte[] header = in.readNBytes(64 * 1024);
            // A static binary has no program interpreter (no PT_INTERP, so no "ld-linux" path).
            return !new String(header, StandardCharsets.ISO_8859_1).contains("/lib64/ld-linux")
                    && !new String(header, StandardCharsets.ISO_8859_1).contains("/lib/ld-linux");
        } catch (IOException e) {
            return false;
        }
    }

    /** Installs busybox-static with apt-get; returns why it could not, or null. */
    private static String install() {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return "no static busybox at " + BUSYBOX + ": install busybox-static";
        }
        try {
            Process process = new ProcessBuilder("/usr/bin/apt-get", "install", "-y", "-qq", "busybox-static")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "installing busybox-static took too long: install it (apt-get install busybox-static)";
            }
            if (process.exitValue() != 0 || !Files.isExecutable(BUSYBOX)) {
                return "installing busybox-static failed: install it (apt-get install busybox-static)";
            }
            return null;
        } catch (IOException e) {
            return "cannot run apt-get: install busybox-static";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while installing busybox-static";
        }
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left in the temp directory
                }
            });
        } catch (IOException e) {
            // left in the temp directory
        }
    }

}
