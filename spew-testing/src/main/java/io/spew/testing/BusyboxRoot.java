package io.spew.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** A minimal root file system made in a test: busybox-static, a link per applet, and {@code /run.sh}. */
public final class BusyboxRoot {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRoot() {}

    /** Makes the root in {@code root}, whose {@code /run.sh} runs {@code script} under {@code /bin/sh}. */
    public static Path make(Path root, String script) throws IOException, InterruptedException {
        for (String directory : List.of("bin", "usr/bin", "etc", "tmp", "proc", "sys", "dev", "run", "var", "root")) {
            Files.createDirectories(root.resolve(directory));
        }
        Files.copy(BUSYBOX, root.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : applets()) {
            Path link = root.resolve("bin").resolve(applet);
            if (!applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Files.writeString(root.resolve("etc/os-release"), "ID=busybox\nNAME=busybox\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Path run = root.resolve("run.sh");
        Files.writeString(run, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static List<String> applets() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("busybox --list failed: " + out);
        }
        return out.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.contains("/")).toList();
    }
}
