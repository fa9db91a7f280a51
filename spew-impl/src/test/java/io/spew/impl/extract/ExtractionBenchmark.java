package io.spew.impl.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures, does not assert: {@link SafeExtractor} through {@link Decompressors} against GNU
 * {@code tar -xf}, on a tree of about 220 MB and 19,000 entries copied from this machine's /usr, as
 * .tar, .tar.gz and .tar.zst. Run with {@code -Dtest=ExtractionBenchmark -Dspew.benchmark=true}.
 * Each run extracts into a directory of a fresh name (on ext4 without a journal, extracting right
 * after deleting a previous extraction is much slower), nothing is deleted until all runs are done,
 * every run starts after a sync and a pause, Spew and tar alternate and swap who goes first every
 * round. Spew runs once per format before the timed rounds: a JVM's first run compiles.
 */
@EnabledIfSystemProperty(named = "spew.benchmark", matches = "true")
class ExtractionBenchmark {
    private static final Path WORK = Path.of(System.getProperty("spew.benchmark.dir", "/var/tmp/spew-extract-bench"));
    private static final List<String> SOURCES = List.of("usr/lib/python3.11", "usr/lib/python3", "usr/share/perl",
            "usr/share/zoneinfo", "usr/lib/node_modules", "usr/share/vim", "usr/share/i18n", "usr/lib/systemd",
            "usr/share/man/man3", "usr/share/man/man2", "usr/share/man/man5", "usr/share/man/man7",
            "usr/share/man/man8", "usr/share/mime", "usr/share/X11", "usr/share/bash-completion",
            "usr/share/locale/es", "usr/share/locale/ja", "usr/share/locale/it", "usr/share/locale/de",
            "usr/share/locale/fr");
    private static final int ROUNDS = Integer.getInteger("spew.benchmark.rounds", 6);

    @Test
    void extractAgainstGnuTar() throws Exception {
        Files.createDirectories(WORK);
        Path tar = WORK.resolve("tree.tar");
        if (!Files.exists(tar)) {
            List<String> command = new ArrayList<>(List.of("tar", "-C", "/", "-cf", tar.toString()));
            command.addAll(SOURCES);
            run(command);
            run(List.of("sh", "-c", "gzip -6 -c " + tar + " > " + tar + ".gz && zstd -q -3 -T0 -f " + tar));
        }
        Map<String, Path> archives = new LinkedHashMap<>();
        archives.put("tar", tar);
        archives.put("tar.gz", WORK.resolve("tree.tar.gz"));
        archives.put("tar.zst", WORK.resolve("tree.tar.zst"));
        System.out.printf(Locale.ROOT, "archive: %d bytes tar, %d gz, %d zst%n", Files.size(tar),
                Files.size(archives.get("tar.gz")), Files.size(archives.get("tar.zst")));
        Map<String, List<Double>> spew = new LinkedHashMap<>();
        Map<String, List<Double>> gnu = new LinkedHashMap<>();
        List<Path> made = new ArrayList<>();
        for (Path archive : archives.values()) { // the first run of a JVM compiles, as the daemon's first import does
            Path warmUp = WORK.resolve("warm-up-" + System.nanoTime());
            Files.createDirectory(warmUp);
            made.add(warmUp);
            settle();
            System.out.printf(Locale.ROOT, "first run in this JVM: %.3f s%n", spew(archive, warmUp));
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Path> archive : archives.entrySet()) {
                String format = archive.getKey();
                Path spewDir = WORK.resolve("spew-" + format + "-" + round + "-" + System.nanoTime());
                Path tarDir = WORK.resolve("gnu-" + format + "-" + round + "-" + System.nanoTime());
                Files.createDirectory(spewDir);
                Files.createDirectory(tarDir);
                made.add(spewDir);
                made.add(tarDir);
                settle();
                boolean spewFirst = round % 2 == 0;
                if (spewFirst) {
                    spew.computeIfAbsent(format, f -> new ArrayList<>()).add(spew(archive.getValue(), spewDir));
                    settle();
                    gnu.computeIfAbsent(format, f -> new ArrayList<>()).add(gnuTar(archive.getValue(), tarDir));
                } else {
                    gnu.computeIfAbsent(format, f -> new ArrayList<>()).add(gnuTar(archive.getValue(), tarDir));
                    settle();
                    spew.computeIfAbsent(format, f -> new ArrayList<>()).add(spew(archive.getValue(), spewDir));
                }
            }
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n",
                Files.readString(Path.of("/proc/loadavg")).trim());
        for (String format : archives.keySet()) {
            List<Double> ours = spew.get(format);
            List<Double> theirs = gnu.get(format);
            System.out.printf(Locale.ROOT, "%-8s spew %s  tar -xf %s  median %.3f / %.3f = %.2f  best %.3f / %.3f"
                    + " = %.2f%n", format, ours, theirs, median(ours), median(theirs), median(ours) / median(theirs),
                    min(ours), min(theirs), min(ours) / min(theirs));
        }
        for (Path dir : made) {
            run(List.of("rm", "-rf", dir.toString()));
        }
        run(List.of("sync"));
    }

    private static double spew(Path archive, Path dir) throws IOException {
        long start = System.nanoTime();
        ExtractionReport report;
        try (InputStream in = Decompressors.open(Files.newInputStream(archive), archive.getFileName().toString())) {
            report = new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, dir);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "spew %s: %.3f s, %s%n", archive.getFileName(), seconds, report);
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static double gnuTar(Path archive, Path dir) throws Exception {
        long start = System.nanoTime();
        run(List.of("tar", "-xf", archive.toString(), "-C", dir.toString()));
        double seconds = (System.nanoTime() - start) / 1e9;
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** Lets the file system write back what the last run left dirty, outside the timed region. */
    private static void settle() throws Exception {
        run(List.of("sync"));
        Thread.sleep(1000);
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IOException(command + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
