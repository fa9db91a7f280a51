package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock that keeps a second engine off a data directory: a kernel file lock on
 * {@code daemon/lock}, which holds the pid of its owner. The kernel drops it when the owner dies,
 * however it dies.
 */
public final class DataDirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws {@code DATA_DIRECTORY_LOCKED} naming the process that holds it. */
    public static DataDirectoryLock acquire(DataDirectory directory) {
        Path file = directory.daemon().resolve("lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw locked(directory, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            // Held by this very process: reading the file through another channel would drop the lock.
            closeQuietly(channel);
            throw locked(directory, ProcessHandle.current().pid() + " (this process)");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SpewException(ErrorCode.IO_ERROR, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static SpewException locked(DataDirectory directory, String holder) {
        return new SpewException(ErrorCode.DATA_DIRECTORY_LOCKED, "data directory " + directory.root()
                + " is in use by process " + holder + ": stop it ('spew daemon stop') or use another --data-dir");
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot release the data directory lock: " + e.getMessage(), e);
        }
    }
}
