package io.spew.impl.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory outside the extraction root that no archive may touch, and a snapshot of everything in
 * it: type, mode, owner, size, content hash, link target, modification time of every file.
 */
final class Canary {
    private final Path directory;

    private Canary(Path directory) {
        this.directory = directory;
    }

    /** Makes {@code directory} with a file, a subdirectory and a file in it. */
    static Canary create(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("dir"));
        Files.writeString(directory.resolve("secret"), "the canary's secret\n");
        Files.writeString(directory.resolve("dir/file"), "another file\n");
        return new Canary(directory);
    }

    Path directory() {
        return directory;
    }

    /** The state of every file below (and of) the canary directory. */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                state.put(directory.relativize(path).toString(), describe(path));
            }
        }
        return state;
    }

    /** Type, mode, owner, size, hash, link target and time of one file, not following a link. */
    static String describe(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        StringBuilder description = new StringBuilder();
        description.append(Integer.toOctalString((Integer) attributes.get("mode")))
                .append(' ').append(attributes.get("uid")).append(':').append(attributes.get("gid"))
                .append(' ').append(attributes.get("size"))
                .append(' ').append(attributes.get("lastModifiedTime"));
        if (Files.isSymbolicLink(path)) {
            description.append(" -> ").append(Files.readSymbolicLink(path));
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            description.append(' ').append(sha256(path));
        }
        return description.toString();
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
