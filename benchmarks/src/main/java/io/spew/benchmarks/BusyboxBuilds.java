package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;

/** Signed busybox builds made and imported for a benchmark: {@code NAME@1}, its {@code /run.sh} a script given. */
final class BusyboxBuilds {
    private BusyboxBuilds() {}

    /**
     * Makes, signs and imports the build {@code name@1}: busybox-static with links for {@code applets}, {@code
     * /run.sh} running {@code script}, padded with {@code megabytes} of random data; returns its rootfs.
     */
    static Path importBuild(Spew spew, Path work, String name, long megabytes, List<String> applets, String script)
            throws Exception {
        Path root = work.resolve(name + "-rootfs");
        for (String directory : List.of("bin", "usr", "etc", "tmp", "proc", "sys", "dev", "run", "var")) {
            Files.createDirectories(root.resolve(directory));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : applets) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("etc/os-release"), "ID=busybox\n");
        Path run = Files.writeString(root.resolve("run.sh"), "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (megabytes > 0) {
            byte[] block = new byte[1 << 20];
            new Random(megabytes).nextBytes(block);
            try (var pad = Files.newOutputStream(root.resolve("usr/pad"))) {
                for (long written = 0; written < megabytes; written++) {
                    block[0] = (byte) written;
                    pad.write(block);
                }
            }
        }
        CreatedBuild created = spew.builds().create(new BuildCreate(root, name, "1", work.resolve(name + ".tar.zst"), null, false));
        spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null, null),
                ImportProgress.NONE);
        return work.resolve("data/builds").resolve(spew.builds().get(name).id().sha256()).resolve("rootfs");
    }
}
