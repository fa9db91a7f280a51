package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.StopPolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code nspawn-start}: from {@code instances().run()} of a signed busybox build until its
 * {@code /run.sh} runs (it prints a line), against mounting the same overlay (mount(8)) and running
 * bare {@code systemd-nspawn} with the same flags until the same line, alternating, same run. Then
 * the same start for a build padded to 20 MB and one padded to 1 GB (200 MB with --quick),
 * alternating, as {@code RATIO nspawn-start-size} (1 GB against 20 MB): the overlay costs nothing per
 * byte. Needs root and systemd-nspawn.
 */
final class NspawnStart implements Benchmark {
    private static final String READY = "echo ready; exec sleep 1000";
    /** Starts of each padded build, the two sizes alternating. */
    private static final int SIZE_ROUNDS = 20;

    @Override
    public String name() {
        return "nspawn-start";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int rounds = quick ? 20 : 100;
        Path work = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "spew-nspawn-bench-");
        try (Spew spew = SpewEngine.builder().dataDirectory(work.resolve("data")).start()) {
            Path lower = importBuild(spew, work, "small", 0);
            Samples engine = new Samples(rounds);
            Samples bare = new Samples(rounds);
            for (int round = 0; round < rounds; round++) {
                engine.add(engineStart(spew, "small"));
                bare.add(bareStart(work.resolve("bare-" + round), lower));
            }
            out.printf("nspawn-start: Spew run() until /run.sh runs: %s%n", engine.describe());
            out.printf("nspawn-start: mount + bare systemd-nspawn until /run.sh runs: %s%n", bare.describe());
            long large = quick ? 200L : 1024L;
            importBuild(spew, work, "pad20", 20);
            importBuild(spew, work, "pad" + large, large);
            Samples small = new Samples(SIZE_ROUNDS);
            Samples big = new Samples(SIZE_ROUNDS);
            for (int round = 0; round < SIZE_ROUNDS; round++) {
                small.add(engineStart(spew, "pad20"));
                big.add(engineStart(spew, "pad" + large));
            }
            out.printf("nspawn-start: a 20 MB build: %s%n", small.describe());
            out.printf("nspawn-start: a %d MB build: %s%n", large, big.describe());
            return List.of(new Ratio(name(), engine.medianMillis() / bare.medianMillis(), "mount + systemd-nspawn"),
                    new Ratio(name() + "-size", big.medianMillis() / small.medianMillis(), "a 20 MB build"));
        } finally {
            Trees.delete(work);
        }
    }

    /** Imports a busybox build padded with {@code megabytes} of data and its appliance; returns its rootfs. */
    private static Path importBuild(Spew spew, Path work, String name, long megabytes) throws Exception {
        Path rootfs = BusyboxBuilds.importBuild(spew, work, name, megabytes, List.of("sh", "echo", "sleep"), READY);
        spew.appliances().apply(new Appliance(name, "nspawn", name + "@1", List.of(), Map.of(), null,
                StopPolicy.DEFAULT, Map.of(), Map.of(), null));
        return rootfs;
    }

    private static long engineStart(Spew spew, String appliance) throws Exception {
        long start = System.nanoTime();
        Instance instance = spew.instances().run(RunRequest.of(appliance));
        awaitReady(spew.instances().log(instance.spec().name(), LogStream.STDOUT));
        long elapsed = System.nanoTime() - start;
        spew.instances().stop(instance.spec().name());
        spew.instances().remove(instance.spec().name());
        return elapsed;
    }

    private static long bareStart(Path directory, Path lower) throws Exception {
        Path upper = Files.createDirectories(directory.resolve("upper"));
        Path workdir = Files.createDirectories(directory.resolve("work"));
        Path merged = Files.createDirectories(directory.resolve("merged"));
        Path log = directory.resolve("out.log");
        long start = System.nanoTime();
        Process mount = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + workdir, merged.toString()).inheritIO().start();
        if (mount.waitFor() != 0) {
            throw new IllegalStateException("mount of the baseline's overlay failed");
        }
        Process nspawn = new ProcessBuilder("systemd-nspawn", "--quiet", "--console=pipe", "--as-pid2",
                "--machine=bare", "--directory=" + merged, "--register=no", "--keep-unit", "--hostname=bare", "--", "/run.sh")
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        awaitReady(log);
        long elapsed = System.nanoTime() - start;
        nspawn.destroy();
        nspawn.waitFor();
        new ProcessBuilder("umount", "-l", merged.toString()).inheritIO().start().waitFor();
        return elapsed;
    }

    private static void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("ready")) {
                return;
            }
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException(log + " never said ready");
    }

}
