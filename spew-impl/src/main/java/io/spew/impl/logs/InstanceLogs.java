package io.spew.impl.logs;

import static java.util.Objects.requireNonNull;

import io.spew.impl.os.FifoKeepers;
import io.spew.impl.os.FifoPump;
import io.spew.impl.os.Fifos;
import io.spew.impl.os.OpenFileLimit;
import io.spew.instance.LogStream;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The output of the engine's instances. Each stream of an instance is a FIFO in its {@code logs/}
 * directory, which the instance holds open for reading and writing as its standard output or error;
 * the engine reads every FIFO on one thread, {@value #THREAD_NAME}, into {@link RotatingLog}s. What an
 * instance writes while no engine reads waits in its pipe, and the next engine that opens the
 * instance's logs reads it. The engine holds no descriptor per instance: the pump watches the FIFOs
 * and holds a few open at a time ({@link FifoPump}), the logs keep a few files open
 * ({@code OpenLogFiles}), and helper processes hold every FIFO open so that what an instance writes
 * as it ends waits for the pump ({@link FifoKeepers}). Thread-safe.
 */
@Singleton
public final class InstanceLogs implements AutoCloseable {
    static final String THREAD_NAME = "spew-logs";

    private static final System.Logger LOG = System.getLogger(InstanceLogs.class.getName());
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** At most this many pipes open, and as many log files, whatever the number of instances. */
    private static final int MOST_OPEN = 256;

    private final LogSettings settings;
    private final Clock clock;
    private final FifoPump pump;
    private final OpenLogFiles openFiles;
    private final FifoKeepers keepers;
    private final Map<Path, Attached> attached = new ConcurrentHashMap<>();
    private final Set<Path> opening = new HashSet<>(); // guarded by attached
    /** Logs closed while the pump had not yet let go of their FIFOs, until it has. */
    private final Map<Path, CompletableFuture<Void>> closing = new ConcurrentHashMap<>();

    @Inject
    public InstanceLogs(LogSettings settings) {
        this(settings, Clock.systemUTC());
    }

    InstanceLogs(LogSettings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        // a sixteenth of the open file limit for the pipes, another for the files: the rest stays
        // for the pidfds (one an instance) and everything else
        long limit = OpenFileLimit.current(1024);
        int open = (int) Math.max(16, Math.min(MOST_OPEN, limit / 16));
        this.keepers = new FifoKeepers((int) Math.max(16, limit - 32));
        this.openFiles = new OpenLogFiles(open / 2, clock);
        this.pump = new FifoPump(THREAD_NAME, settings.pipeBytes(), open);
    }

    /** The FIFO an instance writes {@code stream} to: give it to the instance's process. */
    public static Path pipe(Path logsDirectory, LogStream stream) {
        return LogFiles.of(logsDirectory, stream).pipe();
    }

    /** The current log file of {@code stream}. */
    public static Path file(Path logsDirectory, LogStream stream) {
        return LogFiles.of(logsDirectory, stream).current();
    }

    /**
     * Makes the FIFOs of an instance's streams if they are missing and starts reading them: what
     * was written while no engine read comes first. Does nothing when they are read already.
     */
    public void open(Path logsDirectory) {
        awaitClosed(logsDirectory);
        synchronized (attached) {
            if (attached.containsKey(logsDirectory) || !opening.add(logsDirectory)) {
                return;
            }
        }
        // the files of one instance are made outside the lock, so that instances start side by side
        List<Stream> streams = new ArrayList<>();
        try {
            List<RotatingLog> logs = new ArrayList<>();
            List<Path> pipes = new ArrayList<>();
            List<Boolean> fresh = new ArrayList<>();
            for (LogStream stream : LogStream.values()) {
                LogFiles files = LogFiles.of(logsDirectory, stream);
                fresh.add(Fifos.create(files.pipe()));
                // its log file is made at its start: Instances.log names a file that is there, and readers
                // (embedders, tests) may open it before the first output
                RotatingLog log = new RotatingLog(files, settings, clock, openFiles);
                log.touch();
                logs.add(log);
                pipes.add(files.pipe());
            }
            keepers.hold(pipes);
            for (int i = 0; i < pipes.size(); i++) {
                streams.add(new Stream(pipes.get(i), pump.open(pipes.get(i), logs.get(i), fresh.get(i)), logs.get(i)));
            }
        } catch (RuntimeException e) {
            synchronized (attached) {
                opening.remove(logsDirectory);
            }
            close(streams, logsDirectory);
            for (LogStream stream : LogStream.values()) {
                keepers.release(LogFiles.of(logsDirectory, stream).pipe());
            }
            throw e;
        }
        synchronized (attached) {
            opening.remove(logsDirectory);
            attached.put(logsDirectory, new Attached(streams));
        }
    }

    /**
     * Reads what the FIFOs of an instance hold (call it once its process has ended), then stops
     * reading them; waits up to 10 s for that. Does nothing when they are not read. A FIFO found
     * empty is not waited for: nothing can be left to read once its writers have ended, and the
     * pump lets it go on its next turn (a later {@link #open} of the same logs waits for that).
     */
    public void close(Path logsDirectory) {
        Attached streams;
        synchronized (attached) {
            streams = attached.remove(logsDirectory);
        }
        if (streams != null) {
            close(streams.streams(), logsDirectory);
        }
    }

    private void close(List<Stream> streams, Path logsDirectory) {
        // every stream's drain asked for first, so that the pump does them in one turn
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        List<Boolean> empty = new ArrayList<>();
        for (Stream stream : streams) {
            empty.add(Fifos.isEmpty(stream.pipe()));
            drained.add(empty.get(empty.size() - 1) ? stream.source().closeUnread() : stream.source().drainAndClose());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new));
        closing.put(logsDirectory, all);
        all.whenComplete((done, failure) -> closing.remove(logsDirectory, all));
        for (int i = 0; i < streams.size(); i++) {
            Stream stream = streams.get(i);
            try {
                if (!empty.get(i)) {
                    drained.get(i).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                keepers.release(stream.pipe());
                stream.log().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | java.io.IOException e) {
                LOG.log(Level.WARNING, "closing the logs in {0}: {1}", logsDirectory, e.toString());
            }
        }
    }

    /** Waits (up to 10 s) until the pump has let go of the FIFOs of logs closed without waiting. */
    private void awaitClosed(Path logsDirectory) {
        CompletableFuture<Void> pending = closing.get(logsDirectory);
        if (pending == null) {
            return;
        }
        try {
            pending.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "the pipes in {0} were not let go: {1}", logsDirectory, e.toString());
        }
    }

    /** Reads what every FIFO holds and stops; the instances keep their ends and go on writing into them. */
    @Override
    public void close() {
        pump.close();
        synchronized (attached) {
            for (Map.Entry<Path, Attached> entry : attached.entrySet()) {
                close(entry.getValue().streams(), entry.getKey());
            }
            attached.clear();
        }
        keepers.close();
    }

    private record Stream(Path pipe, FifoPump.Source source, RotatingLog log) {}

    private record Attached(List<Stream> streams) {}
}
