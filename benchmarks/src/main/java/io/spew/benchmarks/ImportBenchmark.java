package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.build.Build;
import io.spew.build.BuildImport;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code import}: a root filesystem of about 200 MB in 20,000 files taken from {@code /usr}, as
 * {@code .tar.zst}, {@code .tar.gz} and {@code .tar}, signed by a GnuPG key made for the run. Spew's
 * import (verify and extract) against {@code gpg --verify SIG FILE && tar -xf FILE}, and plain
 * {@code .tar} against {@code tar -xf} alone. Each round runs Spew then the baseline into fresh
 * directories and deletes both outside the timings, then syncs and rests: so both start from the
 * same state of the file system (on ext4 without a journal, extracting right after deleting a large
 * tree is much slower, and alternating puts that cost on both alike).
 */
final class ImportBenchmark implements Benchmark {
    private static final long TARGET_BYTES = 200L << 20;
    private static final int TARGET_FILES = 20_000;

    @Override
    public String name() {
        return "import";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "spew-import-");
        try (Spew spew = SpewEngine.builder().dataDirectory(work.resolve("data")).start()) {
            Path gnupg = Files.createDirectories(work.resolve("gnupg"));
            Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path tar = makeRootfsTar(work, out);
            shell(work, "gpg --homedir gnupg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key"
                    + " 'Bench <bench@example.org>' rsa3072 sign never");
            shell(work, "gpg --homedir gnupg --export --armor > key.asc");
            spew.trust().add(Files.readAllBytes(work.resolve("key.asc")));
            shell(work, "zstd -q -3 -k rootfs.tar -o rootfs.tar.zst && gzip -6 -k rootfs.tar");
            for (String file : List.of("rootfs.tar", "rootfs.tar.zst", "rootfs.tar.gz")) {
                shell(work, "gpg --homedir gnupg --batch --detach-sign --armor -o " + file + ".asc " + file);
                out.printf(Locale.ROOT, "import: %s is %.1f MB%n", file, Files.size(work.resolve(file)) / 1e6);
            }
            int rounds = quick ? 1 : 3;
            importOnce(spew, work.resolve("rootfs.tar.zst"));
            double zst = measure(spew, work, "rootfs.tar.zst", true, rounds, out);
            double gz = measure(spew, work, "rootfs.tar.gz", true, rounds, out);
            double plain = measure(spew, work, "rootfs.tar", false, rounds, out);
            return List.of(new Ratio("import-zst", zst, "gpg --verify + tar -xf"),
                    new Ratio("import-gz", gz, "gpg --verify + tar -xf"), new Ratio("import-tar", plain, "tar -xf"));
        } finally {
            shell(work, "gpgconf --homedir gnupg --kill gpg-agent || true");
            Trees.delete(work);
        }
    }

    private double measure(Spew spew, Path work, String file, boolean verify, int rounds, PrintStream out)
            throws Exception {
        double[] spewSeconds = new double[rounds];
        double[] baselineSeconds = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            Build build = importOnce(spew, work.resolve(file));
            spewSeconds[round] = (System.nanoTime() - start) / 1e9;

            Path target = Files.createDirectory(work.resolve("tar-" + round + "-" + file));
            String command = (verify ? "gpg --homedir gnupg --batch --verify " + file + ".asc " + file + " 2>/dev/null && " : "")
                    + "tar -xf " + file + " -C " + target.getFileName();
            start = System.nanoTime();
            shell(work, command);
            baselineSeconds[round] = (System.nanoTime() - start) / 1e9;

            spew.builds().remove(build.id().toString());
            Trees.delete(target);
            shell(work, "sync");
            Thread.sleep(2000);
        }
        Arrays.sort(spewSeconds);
        Arrays.sort(baselineSeconds);
        double spewMedian = spewSeconds[rounds / 2];
        double baselineMedian = baselineSeconds[rounds / 2];
        out.printf(Locale.ROOT, "import: %s: Spew %.2f s, %s %.2f s (medians of %d)%n", file, spewMedian,
                verify ? "gpg --verify + tar -xf" : "tar -xf", baselineMedian, rounds);
        return spewMedian / baselineMedian;
    }

    private static Build importOnce(Spew spew, Path archive) {
        return spew.builds().importBuild(new BuildImport(archive, null, false, "rootfs", "1", null), ImportProgress.NONE);
    }

    /** A tar of files from /usr: about 200 MB in 20,000 files, symlinks included, written by GNU tar. */
    private static Path makeRootfsTar(Path work, PrintStream out) throws Exception {
        List<String> files = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(Path.of("/usr"))) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (files.size() >= TARGET_FILES) {
                    break;
                }
                if (Files.isSymbolicLink(path)) {
                    files.add(path.toString().substring(1));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(path)) {
                    long size = Files.size(path);
                    if (bytes + size <= TARGET_BYTES && size < (16L << 20)) {
                        bytes += size;
                        files.add(path.toString().substring(1));
                    }
                }
            }
        }
        Files.write(work.resolve("files.txt"), files);
        shell(work, "tar -C / -cf rootfs.tar --no-recursion -T files.txt");
        out.printf(Locale.ROOT, "import: rootfs of %d entries, %.1f MB of files%n", files.size(), bytes / 1e6);
        return work.resolve("rootfs.tar");
    }

    private static void shell(Path directory, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IOException("failed: " + command);
        }
    }
}
