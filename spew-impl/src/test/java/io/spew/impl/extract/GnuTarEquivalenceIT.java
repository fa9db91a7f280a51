package io.spew.impl.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A root filesystem as a real build has it, archived by GNU tar, extracts to the very tree GNU tar
 * extracts from it (told to leave out the device nodes, which Spew skips): types, modes with set-user-ID and
 * friends, numeric owners, contents, link targets, hard-link groups, modification times, extended
 * attributes (trusted.* dropped by both). Needs root: owners, device nodes, capabilities.
 */
class GnuTarEquivalenceIT {
    private static final String LONG_DIRECTORY = "usr/share/doc/" + "a-rather-long-directory-name-".repeat(5);
    private static final String LONG_FILE = "and-a-file-whose-name-alone-is-more-than-one-hundred-bytes-long-"
            + "which-ustar-cannot-hold-in-its-name-field.txt";
    /** cap_setuid and cap_net_raw, permitted and effective: a value with bytes of 0x80 and more. */
    private static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0};

    @TempDir
    static Path work;

    private static Path stage;

    @BeforeAll
    static void stageRootFilesystem() throws Exception {
        // CI runs as root: there, not being root is a failure, not a skip.
        assertThat("true".equals(System.getenv("CI")) && Syscalls.LIBC.geteuid() != 0).as("CI must run as root")
                .isFalse();
        assumeTrue(Syscalls.LIBC.geteuid() == 0, "needs root");
        stage = Files.createDirectory(work.resolve("stage"));
        String script = String.join("\n", "set -e", "cd '" + stage + "'",
                "mkdir -p usr/bin usr/sbin usr/lib/x86_64-linux-gnu usr/share/zoneinfo etc/ssl/private dev run tmp"
                        + " var/empty home/user '" + LONG_DIRECTORY + "' usr/share/doc/café",
                "printf 'TZif2 pretend UTC\\n' > usr/share/zoneinfo/UTC",
                "head -c 1048576 /dev/urandom > usr/lib/x86_64-linux-gnu/libc.so.6",
                "printf '#!/bin/sh\\necho busybox\\n' > usr/bin/busybox && chmod 755 usr/bin/busybox",
                "ln usr/bin/busybox usr/bin/ls && ln usr/bin/busybox usr/sbin/init",
                "ln -s usr/bin bin && ln -s usr/sbin sbin && ln -s usr/lib lib",
                "ln -s /usr/share/zoneinfo/UTC etc/localtime",
                "ln -s /run/systemd/resolve/stub-resolv.conf etc/resolv.conf",
                "ln -s ../../bin/busybox usr/sbin/relative-up",
                "printf 'su\\n' > usr/bin/su && chmod 4755 usr/bin/su",
                "printf 'wall\\n' > usr/bin/wall && chown 0:5 usr/bin/wall && chmod 2755 usr/bin/wall",
                "printf 'both\\n' > usr/bin/both && chmod 6711 usr/bin/both",
                "printf 'ping\\n' > usr/bin/ping && chmod 755 usr/bin/ping",
                "printf 'key\\n' > etc/ssl/private/key.pem && chown 0:101 etc/ssl/private/key.pem"
                        + " && chmod 0640 etc/ssl/private/key.pem && chmod 0710 etc/ssl/private",
                "printf '' > etc/empty && chmod 0000 etc/empty",
                "printf 'odd\\n' > etc/odd && chmod 0604 etc/odd && chown 65534:65534 etc/odd",
                "chmod 1777 tmp && chmod 0555 var/empty && chown 1000:1000 home/user && chmod 0700 home/user",
                "printf 'profile\\n' > home/user/.profile && chown 1000:1000 home/user/.profile",
                "printf 'long\\n' > '" + LONG_DIRECTORY + "/" + LONG_FILE + "'",
                "printf 'ünïcödé\\n' > usr/share/doc/café/ünïcödé.txt",
                "mkfifo -m 0600 run/initctl",
                "mknod -m 0666 dev/null c 1 3 && mknod -m 0660 dev/sda b 8 0 && mknod -m 0600 dev/console c 5 1",
                "touch -h -d '2021-03-04 05:06:07.123456789' etc/localtime usr/bin/su",
                "touch -d '1999-12-31 23:59:59' etc/odd",
                "find . -depth -type d -exec touch -d '2020-01-02 03:04:05.5' {} +");
        run(List.of("bash", "-c", script));
        setXattr("usr/bin/busybox", "user.comment", "made by the test".getBytes(StandardCharsets.UTF_8));
        setXattr("usr/bin/busybox", "user.binary", new byte[] {0, 1, (byte) 0xff, (byte) 0x80, '\n', '='});
        setXattr("usr/bin/busybox", "trusted.overlay.origin", "y".getBytes(StandardCharsets.UTF_8));
        setXattr("usr/bin/ping", "security.capability", CAPABILITY);
        setXattr("etc", "user.directory", "d".getBytes(StandardCharsets.UTF_8));
        setXattr("etc", "trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8));
        run(List.of("touch", "-d", "2020-01-02 03:04:05.5", stage.resolve("etc").toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"posix", "gnu"})
    void extractsTheTreeGnuTarExtracts(String format) throws Exception {
        Path archive = work.resolve("rootfs-" + format + ".tar");
        List<String> create = new ArrayList<>(List.of("tar", "--numeric-owner", "--format=" + format, "-C",
                stage.toString(), "-cf", archive.toString()));
        if (format.equals("posix")) {
            create.addAll(1, List.of("--xattrs", "--xattrs-include=*"));
        }
        create.add(".");
        run(create);

        Path spew = privateDirectory("spew-" + format);
        ExtractionReport report;
        try (InputStream in = Decompressors.open(Files.newInputStream(archive), archive.getFileName().toString())) {
            report = new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, spew);
        }
        Path gnu = privateDirectory("gnu-" + format);
        run(List.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--xattrs-exclude=trusted.*",
                "--exclude=./dev/*", "-xpf", archive.toString(), "-C", gnu.toString()));

        TreeSnapshot expected = TreeSnapshot.of(gnu);
        TreeSnapshot actual = TreeSnapshot.of(spew);
        assertThat(actual.files()).as(actual.differencesFrom(expected)).isEqualTo(expected.files());
        assertThat(actual.hardLinkGroups()).isEqualTo(expected.hardLinkGroups())
                .contains(java.util.Set.of("usr/bin/busybox", "usr/bin/ls", "usr/sbin/init"));
        assertThat(report.skippedDevices()).isEqualTo(3);
        assertThat(report.fifos()).isEqualTo(1);
        assertThat(report.hardLinks()).isEqualTo(2);
        assertThat(report.symlinks()).isEqualTo(6);
        assertThat(Files.readSymbolicLink(spew.resolve("etc/localtime"))).hasToString("/usr/share/zoneinfo/UTC");
        assertThat(Files.readSymbolicLink(spew.resolve("bin"))).hasToString("usr/bin");
        assertThat(spew.resolve("dev")).isEmptyDirectory();
        if (format.equals("posix")) {
            Map<String, String> busybox = TreeSnapshot.xattrs(spew.resolve("usr/bin/busybox"));
            assertThat(busybox).containsEntry("user.binary", "0001ff800a3d")
                    .doesNotContainKey("trusted.overlay.origin");
            assertThat(TreeSnapshot.xattrs(spew.resolve("usr/bin/ping"))).containsKey("security.capability");
            assertThat(TreeSnapshot.xattrs(spew.resolve("etc"))).containsKey("user.directory")
                    .doesNotContainKey("trusted.overlay.opaque");
        }
    }

    @Test
    void compressedWithEveryToolTheTreeIsTheSame() throws Exception {
        Path archive = work.resolve("rootfs-compressed.tar");
        run(List.of("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", stage.toString(), "-cf",
                archive.toString(), "."));
        TreeSnapshot plain = null;
        for (String tool : List.of("cat", "gzip", "xz", "zstd", "bzip2")) {
            Path compressed = work.resolve("rootfs." + tool);
            Process process = new ProcessBuilder(tool.equals("cat") ? List.of("cat", archive.toString())
                    : List.of(tool, "-c", archive.toString())).redirectOutput(compressed.toFile()).start();
            assertThat(process.waitFor()).isZero();
            Path root = privateDirectory("compressed-" + tool);
            try (InputStream in = Decompressors.open(Files.newInputStream(compressed), "rootfs.tar")) {
                new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, root);
            }
            TreeSnapshot snapshot = TreeSnapshot.of(root);
            if (plain == null) {
                plain = snapshot;
            }
            assertThat(snapshot).as(tool).isEqualTo(plain);
        }
    }

    private static Path privateDirectory(String name) throws IOException {
        return Files.createDirectory(work.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void setXattr(String path, String name, byte[] value) {
        int result = Syscalls.LIBC.lsetxattr(stage.resolve(path).toString(), name, value, value.length, 0);
        assertThat(result).as("lsetxattr " + name + " on " + path + ": errno " + Syscalls.errno()).isZero();
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
    }
}
