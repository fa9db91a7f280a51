package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.DaemonClient;
import io.spew.impl.appliance.Durations;
import io.spew.instance.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spew logs INSTANCE}: the instance's stdout on stdout and its stderr on stderr, across the
 * rotated log files; with {@code -f} both are followed at once until the instance stops.
 */
@Command(name = "logs",
        description = "Prints an instance's output: its stdout on stdout, its stderr on stderr.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew logs hello-1",
            "  spew logs hello-1 --tail 20",
            "  spew logs hello-1 --since 10m      what it wrote in the last ten minutes",
            "  spew logs hello-1 --since 2026-11-25T01:00:00Z",
            "  spew logs hello-1 -f            follow until it stops (Ctrl-C to leave)",
        })
final class LogsCommand extends ClientCommand {
    @Parameters(paramLabel = "INSTANCE", description = "Instance name, id or id prefix.")
    String ref;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what it writes until it stops.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines of each stream.")
    Integer tail;

    @Option(names = "--since", paramLabel = "DURATION|TIME",
            description = "Only what it wrote since then: a duration back from now (30s, 10m, 2h) or an ISO-8601 time.")
    String since;

    @Override
    public Integer call() throws InterruptedException {
        DaemonClient client = client();
        int lines = tail == null ? -1 : tail;
        if (lines < -1) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "--tail must be 0 or more, not " + tail);
        }
        Instant from = since == null ? null : since(since, Instant.now());
        // both requests are answered before anything prints: an unknown instance is one error line
        InputStream stdout = client.logs(ref, LogStream.STDOUT, follow, lines, from);
        InputStream stderr = client.logs(ref, LogStream.STDERR, follow, lines, from);
        if (!follow) {
            copy(stdout, System.out);
            copy(stderr, System.err);
            return 0;
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread errors = new Thread(() -> {
            try {
                copy(stderr, System.err);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, "spew-logs-stderr");
        errors.setDaemon(true);
        errors.start();
        copy(stdout, System.out);
        errors.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return 0;
    }

    /** A duration back from {@code now}, or an ISO-8601 instant (or date-time with an offset). */
    static Instant since(String text, Instant now) {
        try {
            return now.minus(Durations.parse(text));
        } catch (IllegalArgumentException e) {
            // not a duration: a time
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "--since must be a duration such as 10m or 2h, or a"
                    + " time such as 2026-11-25T01:00:00Z, not '" + text + "'");
        }
    }

    private static void copy(InputStream in, PrintStream out) {
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "lost the daemon while reading logs: " + e.getMessage(),
                    e);
        }
    }
}
