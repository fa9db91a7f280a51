package io.spew.daemon;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code daemon/} directory of a data directory: the API token (made at first start, kept
 * afterwards), the address file of the running daemon and the log of a daemon started in the
 * background.
 */
public final class DaemonDirectory {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDirectory;
    private final Path directory;

    public DaemonDirectory(Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath().normalize();
        this.directory = this.dataDirectory.resolve("daemon");
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path tokenFile() {
        return directory.resolve("token");
    }

    public Path addressFile() {
        return directory.resolve("address");
    }

    public Path logFile() {
        return directory.resolve("daemon.log");
    }

    /** The file whose lock the engine holds while it runs on this data directory. */
    public Path lockFile() {
        return directory.resolve("lock");
    }

    /**
     * Whether some process holds the data directory's lock, as {@code /proc/locks} says: it is
     * asked without taking the lock, which would make a daemon starting right then fail.
     */
    public boolean isLocked() {
        long inode;
        List<String> locks;
        try {
            inode = ((Number) Files.getAttribute(lockFile(), "unix:ino")).longValue();
            locks = Files.readAllLines(Paths.get("/proc/locks"), UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        String suffix = ":" + inode;
        // 1: POSIX  ADVISORY  WRITE 22403 fe:00:2147093 0 EOF
        return locks.stream().flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
                .anyMatch(field -> field.endsWith(suffix) && field.chars().filter(c -> c == ':').count() == 2);
    }

    /** Makes the data directory and {@code daemon/}, owner only, where they are missing. */
    public void create() {
        try {
            for (Path path : new Path[] {dataDirectory, directory}) {
                if (!Files.isDirectory(path)) {
                    Files.createDirectories(path, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The API token, made now (32 random bytes, base64url, mode 0600) if there is none yet. */
    public String ensureToken() {
        Optional<String> existing = readToken();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        AtomicFiles.write(tokenFile(), token.getBytes(UTF_8));
        return token;
    }

    /** The API token, if one was made. */
    public Optional<String> readToken() {
        return read(tokenFile());
    }

    /** The address the running daemon listens on, as it wrote it. */
    public Optional<String> readAddress() {
        return read(addressFile());
    }

    public void writeAddress(ListenAddress address) {
        AtomicFiles.write(addressFile(), address.toString().getBytes(UTF_8));
    }

    public void deleteAddress() {
        try {
            Files.deleteIfExists(addressFile());
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot delete " + addressFile() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            String text = Files.readString(file, UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
