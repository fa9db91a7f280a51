package io.spew.impl.instance;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.host.HostFacts;
import io.spew.impl.logs.InstanceLogs;
import io.spew.impl.logs.LogFiles;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.CorruptStateException;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.DeferredSync;
import io.spew.impl.state.StateFiles;
import io.spew.impl.state.Trees;
import io.spew.instance.InstanceId;
import io.spew.instance.LogStream;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The instance directories: {@code instances/<id>/instance.json} and {@code logs/}. State files are
 * replaced atomically at once and made durable by {@link DeferredSync} moments later: the processes
 * they describe die with the machine anyway, and the next boot marks them ended.
 */
@Singleton
public final class InstanceRepository {
    private static final System.Logger LOG = System.getLogger(InstanceRepository.class.getName());
    private static final String STATE_FILE = "instance.json";
    private static final String LOGS = "logs";
    private static final String SERVICE_USE_FILE = "services.json";

    private final Path root;
    private final DeferredSync sync;
    private final HostFacts host;
    private final InstanceLogs logs;

    @Inject
    public InstanceRepository(DataDirectory dataDirectory, DeferredSync sync, HostFacts host, InstanceLogs logs) {
        this.root = dataDirectory.instances();
        this.sync = sync;
        this.host = host;
        this.logs = logs;
    }

    Path directory(InstanceId id) {
        return root.resolve(id.value());
    }

    /** The current log file of a stream; older output is in the rotated files beside it (see {@link LogFiles}). */
    Path log(Path directory, LogStream stream) {
        return InstanceLogs.file(directory.resolve(LOGS), stream);
    }

    /** The FIFO the instance's process writes a stream to. */
    Path pipe(Path directory, LogStream stream) {
        return InstanceLogs.pipe(directory.resolve(LOGS), stream);
    }

    /** Starts reading the output of an instance (its pipes, made if missing) into its log files. */
    void openLogs(Path directory) {
        logs.open(directory.resolve(LOGS));
    }

    /** Reads what is left in an instance's pipes, then stops reading them: its process has ended. */
    void closeLogs(Path directory) {
        logs.close(directory.resolve(LOGS));
    }

    /** Makes the directory of a new instance, with its logs. */
    Path create(InstanceId id) {
        Path directory = directory(id);
        try {
            // the instances directory is there: two mkdir(2), without createDirectories' look-ups
            Files.createDirectory(directory);
            Files.createDirectory(directory.resolve(LOGS));
            return directory;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    void save(Path directory, StoredInstance stored) {
        StateFiles.writeAtomically(directory.resolve(STATE_FILE), stored, sync);
    }

    /** Keeps what an instance that uses services was made from ({@link ServiceUse}). */
    void saveServiceUse(Path directory, ServiceUse use) {
        StateFiles.writeAtomically(directory.resolve(SERVICE_USE_FILE), use, sync);
    }

    /** What an instance was made from, when it uses services; none when unreadable (it is not rendered again). */
    Optional<ServiceUse> loadServiceUse(Path directory) {
        Path file = directory.resolve(SERVICE_USE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateFiles.read(file, ServiceUse.class));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} is unreadable ({1}): the instance keeps the service addresses"
                    + " it has", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Every stored instance; temporary files of interrupted writes and directories without state are removed. */
    List<StoredInstance> loadAll() {
        List<StoredInstance> stored = new ArrayList<>();
        try (Stream<Path> directories = Files.list(root)) {
            for (Path directory : directories.toList()) {
                removeTemporaryFiles(directory);
                Path file = directory.resolve(STATE_FILE);
                if (Files.exists(file)) {
                    read(file).ifPresent(stored::add);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "removing {0}: it holds no instance state", directory);
                    delete(directory);
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + root + ": " + e.getMessage(), e);
        }
        return stored;
    }

    /** A corrupt state file is set aside, loudly; a failed {@link UnreadableInstance} takes its place. */
    private Optional<StoredInstance> read(Path file) {
        try {
            return Optional.of(StateFiles.read(file, StoredInstance.class));
        } catch (CorruptStateException e) {
            StoredInstance replacing = UnreadableInstance.replacing(e,
                    InstanceId.parse(file.getParent().getFileName().toString()), host.id());
            save(file.getParent(), replacing);
            return Optional.of(replacing);
        }
    }

    private static void removeTemporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(AtomicFiles::isTemporary).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    void delete(Path directory) {
        try {
            Trees.delete(directory);
            AtomicFiles.syncDirectory(root);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot remove " + directory + ": " + e.getMessage(), e);
        }
    }

}
