package io.spew.daemon.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.DaemonDirectory;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Starts {@code spew daemon run} in the background, detached from the terminal: in a session of
 * its own ({@code setsid}), stdin from {@code /dev/null}, output appended to
 * {@code daemon/daemon.log}, with this process's Java and class path. Waits until it answers.
 */
final class DaemonLauncher {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LINES_IN_ERROR = 3;

    private final DaemonConnector connector;
    private final DaemonDirectory directory;

    DaemonLauncher(DaemonConnector connector) {
        this.connector = connector;
        this.directory = connector.directory();
    }

    RunningDaemon launch(String listen) {
        directory.create();
        Path log = directory.logFile();
        long logStart = log.toFile().length();
        Process process = spawn(listen, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RunningDaemon> running = connector.find();
            if (running.isPresent()) {
                return running.get();
            }
            if (!process.isAlive()) {
                return startedByAnother(deadline).orElseThrow(() -> new SpewException(ErrorCode.DAEMON_UNAVAILABLE,
                        "the daemon did not start: " + lastLines(log, logStart) + " (see " + log + ")"));
            }
            sleep();
        }
        throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon (pid " + process.pid()
                + ") did not answer within " + START_TIMEOUT.toSeconds() + " s: see " + log);
    }

    /**
     * The daemon another command started at the same time as this one, whose lock made ours exit:
     * it answers once it has bound its port. Nothing holds the lock when ours died of something
     * else, and then there is nothing to wait for.
     */
    private Optional<RunningDaemon> startedByAnother(long deadline) {
        do {
            Optional<RunningDaemon> running = connector.find();
            if (running.isPresent() || !directory.isLocked()) {
                return running;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private Process spawn(String listen, Path log) {
        List<String> command = new ArrayList<>(List.of("setsid", javaCommand()));
        command.addAll(DaemonJvm.OPTIONS);
        command.addAll(List.of("-cp", absoluteClassPath(), "io.spew.cli.Main",
                "--data-dir", directory.dataDirectory().toString(), "daemon", "run"));
        if (listen != null) {
            command.add("--listen");
            command.add(listen);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "cannot start the daemon: " + e.getMessage()
                    + " (setsid comes with util-linux)", e);
        }
    }

    /** The java binary running this command; the daemon runs on the same one. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This process's class path with every entry made absolute: the daemon runs in {@code /}. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Paths.get(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The last lines the daemon wrote to its log since {@code start}, on one line. */
    private static String lastLines(Path log, long start) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(start, file.length() - 16 * 1024);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = new String(bytes, UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toList());
            if (lines.isEmpty()) {
                return "it exited without a word";
            }
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERROR), lines.size()));
        } catch (IOException e) {
            return "cannot read its log: " + e.getMessage();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "interrupted while waiting for the daemon to start");
        }
    }
}
