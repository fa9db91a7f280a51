package io.spew.impl.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;

/**
 * Everything extraction decides about a tree, comparable with equals: per path its type, mode, owner,
 * size, content hash, link target, modification time (nanoseconds) and extended attributes; and
 * which paths share an inode (hard links).
 */
record TreeSnapshot(Map<String, String> files, Set<Set<String>> hardLinkGroups) {
    /** The xattr calls this test reads with; the extractor only ever sets them. */
    public interface XattrCalls {
        long llistxattr(String path, byte[] list, long size);

        long lgetxattr(String path, String name, byte[] value, long size);
    }

    private static final XattrCalls XATTRS = LibraryLoader.create(XattrCalls.class).load("c");

    static TreeSnapshot of(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Map<Object, Set<String>> byInode = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(path).toString();
                Map<String, Object> attributes = Files.readAttributes(path,
                        "unix:mode,uid,gid,size,lastModifiedTime,ino,nlink", LinkOption.NOFOLLOW_LINKS);
                StringBuilder description = new StringBuilder(Integer.toOctalString((Integer) attributes.get("mode")))
                        .append(' ').append(attributes.get("uid")).append(':').append(attributes.get("gid"))
                        .append(" mtime=").append(attributes.get("lastModifiedTime"));
                if (Files.isSymbolicLink(path)) {
                    description.append(" -> ").append(Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    description.append(" size=").append(attributes.get("size")).append(' ')
                            .append(Canary.sha256(path));
                    if ((Integer) attributes.get("nlink") > 1) {
                        byInode.computeIfAbsent((Long) attributes.get("ino"), ino -> new TreeSet<>()).add(name);
                    }
                }
                description.append(' ').append(xattrs(path));
                files.put(name, description.toString());
            }
        }
        return new TreeSnapshot(files, Set.copyOf(byInode.values()));
    }

    /** The extended attributes of a file, not following a link, as name=hex, sorted. */
    static Map<String, String> xattrs(Path path) {
        String file = path.toString();
        byte[] list = new byte[65536];
        long length = XATTRS.llistxattr(file, list, list.length);
        Map<String, String> xattrs = new TreeMap<>();
        if (length <= 0) {
            return xattrs;
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (list[i] == 0) {
                names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        for (String name : names) {
            byte[] value = new byte[65536];
            long size = XATTRS.lgetxattr(file, name, value, value.length);
            xattrs.put(name, size < 0 ? "?" : HexFormat.of().formatHex(value, 0, (int) size));
        }
        return xattrs;
    }

    /** The differences between two snapshots, one line per path, for a readable failure. */
    String differencesFrom(TreeSnapshot other) {
        Set<String> paths = new TreeSet<>(files.keySet());
        paths.addAll(other.files.keySet());
        return paths.stream()
                .filter(path -> !String.valueOf(files.get(path)).equals(String.valueOf(other.files.get(path))))
                .map(path -> path + "\n  this:  " + files.get(path) + "\n  other: " + other.files.get(path))
                .collect(Collectors.joining("\n"));
    }
}
