package io.spew.impl.state;

import io.spew.SpewException;
import io.spew.impl.os.FileSystemSync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Makes files durable shortly after they were renamed into place: one thread fsyncs each pending
 * file, then each of their directories, so that a burst of writes costs one pass (a large burst, one
 * {@code syncfs} per file system). Used for state whose loss in a machine crash is harmless because
 * the processes it describes die with the machine (the states of running instances); what must
 * outlive a machine crash uses {@link AtomicFiles#write}.
 */
public final class DeferredSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeferredSync.class.getName());

    private static final int BURST = 32;

    private final Set<Path> pending = new LinkedHashSet<>();
    private final Thread thread;
    private boolean closed;

    public DeferredSync() {
        thread = new Thread(this::loop, "spew-state-sync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Schedules an fsync of the file and of its directory. */
    public synchronized void schedule(Path file) {
        pending.add(file);
        notifyAll();
    }

    /** Returns once everything scheduled so far is durable. */
    public void flush() {
        syncAll(take());
    }

    private synchronized Set<Path> take() {
        Set<Path> batch = new LinkedHashSet<>(pending);
        pending.clear();
        return batch;
    }

    private void loop() {
        while (true) {
            Set<Path> batch;
            synchronized (this) {
                while (pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                batch = take();
            }
            syncAll(batch);
        }
    }

    private static void syncAll(Set<Path> files) {
        if (files.size() >= BURST) {
            syncFileSystems(files);
            return;
        }
        Set<Path> directories = new LinkedHashSet<>();
        for (Path file : files) {
            sync(file, StandardOpenOption.WRITE);
            Failpoint.DEFERRED_FILE_SYNCED.reach();
            directories.add(file.toAbsolutePath().getParent());
        }
        for (Path directory : directories) {
            sync(directory, StandardOpenOption.READ);
            Failpoint.DEFERRED_DIRECTORY_SYNCED.reach();
        }
    }

    /**
     * A burst (thousands of instances started at once) costs one {@code syncfs} per file system
     * rather than two fsyncs per file, each a journal commit.
     */
    private static void syncFileSystems(Set<Path> files) {
        Map<Object, Path> byDevice = new LinkedHashMap<>();
        for (Path file : files) {
            Path directory = file.toAbsolutePath().getParent();
            try {
                byDevice.putIfAbsent(Files.getAttribute(directory, "unix:dev"), directory);
            } catch (NoSuchFileException e) {
                // removed since (an instance removed): nothing left to make durable
            } catch (IOException | UnsupportedOperationException e) {
                byDevice.putIfAbsent(directory, directory); // gone since, or no device to tell: synced alone
            }
        }
        for (Path directory : byDevice.values()) {
            try {
                FileSystemSync.syncFileSystemOf(directory);
            } catch (SpewException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
        Failpoint.DEFERRED_FILE_SYNCED.reach();
        Failpoint.DEFERRED_DIRECTORY_SYNCED.reach();
    }

    private static void sync(Path path, StandardOpenOption mode) {
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            // removed or replaced since: nothing left to make durable
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot fsync " + path + ": " + e.getMessage());
        }
    }

    /** Makes everything pending durable and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        flush();
    }
}
