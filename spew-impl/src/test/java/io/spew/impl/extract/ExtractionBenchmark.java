package io.spew.impl.extract;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures, does not assert: {@link SafeExtractor} through {@link Decompressors} against GNU
 * {@code tar -xf}, on a tree of about 220 MB and 19,000 entries copied from this machine's /usr, as
 * .tar, .tar.gz and .tar.zst. Run with {@code -Dtest=ExtractionBenchmark -Dspew.benchmark=true}.
 * Each run extracts into a directory of a fresh name (on ext4 without a journal, extracting right
 * after deleting a previous extraction is much slower), nothing is deleted until all runs are done,
 * every run starts after a sync and a pause, Spew and tar alternate and swap who goes first every
 * round. Spew runs once per format before the timed rounds: a JVM's first run compiles. Other
 * deletions on the same file system slow every extraction for minutes (ext4 checks recently freed
 * inodes); a fresh file system avoids them: {@code -Dspew.benchmark.dir=} a directory on a new
 * loop-mounted ext4 (mkfs.ext4 -O ^has_journal, like this machine's root).
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
        System.out.printf(Locale.ROOT, "archive: %d bytes tar, %d gz, %d zst; load average %s%n", Files.size(tar),
                Files.size(archives.get("tar.gz")), Files.size(archives.get("tar.zst")),
                Files.readString(Path.of("/proc/loadavg")).trim());
        Map<String, List<Run>> spew = new LinkedHashMap<>();
        Map<String, List<Run>> gnu = new LinkedHashMap<>();
        List<Path> made = new ArrayList<>();
        for (Path archive : archives.values()) { // the first run of a JVM compiles, as the daemon's first import does
            Path warmUp = WORK.resolve("warm-up-" + System.nanoTime());
            Files.createDirectory(warmUp);
            made.add(warmUp);
            settle();
            System.out.printf(Locale.ROOT, "first run in this JVM (wall/cpu): %s %s%n", archive.getFileName(),
                    spew(archive, warmUp));
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
        System.out.println("seconds as wall/cpu; cpu counts every thread and child process");
        for (String format : archives.keySet()) {
            List<Run> ours = spew.get(format);
            List<Run> theirs = gnu.get(format);
            double wall = median(ours, Run::wall) / median(theirs, Run::wall);
            double cpu = median(ours, Run::cpu) / median(theirs, Run::cpu);
            double best = min(ours, Run::wall) / min(theirs, Run::wall);
            System.out.printf(Locale.ROOT, "%-8s spew %s%n         tar -xf %s%n         ratio of medians: wall %.2f,"
                    + " cpu %.2f; ratio of best walls %.2f%n", format, ours, theirs, wall, cpu, best);
        }
        for (Path dir : made) {
            run(List.of("rm", "-rf", dir.toString()));
        }
        run(List.of("sync"));
    }

    /** Wall and processor seconds (every thread of this JVM, compiler and collector included). */
    private record Run(double wall, double cpu) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f/%.3f", wall, cpu);
        }
    }

    private static Run spew(Path archive, Path dir) throws IOException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        try (InputStream in = Decompressors.open(Files.newInputStream(archive), archive.getFileName().toString())) {
            new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, dir);
        }
        return new Run((System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
    }

    /** GNU tar under /usr/bin/time, whose user and system times include the decompressor it runs. */
    private static Run gnuTar(Path archive, Path dir) throws Exception {
        Path times = Files.createTempFile(WORK, "time", ".txt");
        long start = System.nanoTime();
        run(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "tar", "-xf", archive.toString(), "-C",
                dir.toString()));
        double wall = (System.nanoTime() - start) / 1e9;
        String[] userAndSystem = Files.readString(times).trim().split("\\s+");
        Files.delete(times);
        return new Run(wall, Double.parseDouble(userAndSystem[0]) + Double.parseDouble(userAndSystem[1]));
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

    private static double min(List<Run> runs, ToDoubleFunction<Run> value) {
        return runs.stream().mapToDouble(value).min().orElseThrow();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        List<Double> sorted = new ArrayList<>(runs.stream().map(value::applyAsDouble).toList());
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
