package io.spew.benchmarks;

import io.spew.Spew;
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
 * {@code .tar} against {@code tar -xf} alone. On ext4 without a journal, extracting right after
 * deleting a large tree is several times slower (the freed inodes are reused slowly), so nothing is
 * deleted until every measurement is done: each Spew import goes into a fresh data directory (a new
 * engine), each baseline into a fresh directory, Spew and the baseline alternate, and the machine
 * syncs and rests between rounds.
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
        try {
            Path gnupg = Files.createDirectories(work.resolve("gnupg"));
            Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path tar = makeRootfsTar(work, out);
            shell(work, "gpg --homedir gnupg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key"
                    + " 'Bench <bench@example.org>' rsa3072 sign never");
            shell(work, "gpg --homedir gnupg --export --armor > key.asc");
            shell(work, "zstd -q -3 -k rootfs.tar -o rootfs.tar.zst && gzip -6 -k rootfs.tar");
            for (String file : List.of("rootfs.tar", "rootfs.tar.zst", "rootfs.tar.gz")) {
                shell(work, "gpg --homedir gnupg --batch --detach-sign --armor -o " + file + ".asc " + file);
                out.printf(Locale.ROOT, "import: %s is %.1f MB%n", file, Files.size(work.resolve(file)) / 1e6);
            }
            int rounds = quick ? 1 : 3;
            importInto(work, "warm-up", work.resolve("rootfs.tar.zst"));
            double zst = measure(work, "rootfs.tar.zst", true, rounds, out);
            double gz = measure(work, "rootfs.tar.gz", true, rounds, out);
            double plain = measure(work, "rootfs.tar", false, rounds, out);
            return List.of(new Ratio("import-zst", zst, "gpg --verify + tar -xf"),
                    new Ratio("import-gz", gz, "gpg --verify + tar -xf"), new Ratio("import-tar", plain, "tar -xf"));
        } finally {
            shell(work, "gpgconf --homedir gnupg --kill gpg-agent || true");
            Trees.delete(work);
        }
    }

    private double measure(Path work, String file, boolean verify, int rounds, PrintStream out)
            throws Exception {
        double[] spewSeconds = new double[rounds];
        double[] baselineSeconds = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            spewSeconds[round] = importInto(work, round + "-" + file, work.resolve(file));

            Path target = Files.createDirectory(work.resolve("tar-" + round + "-" + file));
            String command = (verify ? "gpg --homedir gnupg --batch --verify " + file + ".asc " + file + " 2>/dev/null && " : "")
                    + "tar -xf " + file + " -C " + target.getFileName();
            long start = System.nanoTime();
            shell(work, command);
            baselineSeconds[round] = (System.nanoTime() - start) / 1e9;

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

    /** Imports into a new data directory, trusting the run's key first; returns the seconds the import took. */
    private static double importInto(Path work, String name, Path archive) throws IOException {
        try (Spew spew = SpewEngine.builder().dataDirectory(work.resolve("data-" + name)).start()) {
            spew.trust().add(Files.readAllBytes(work.resolve("key.asc")));
            long start = System.nanoTime();
            spew.builds().importBuild(new BuildImport(archive, null, false, "rootfs", "1", null), ImportProgress.NONE);
            return (System.nanoTime() - start) / 1e9;
        }
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
