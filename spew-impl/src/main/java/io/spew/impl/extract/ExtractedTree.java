package io.spew.impl.extract;

import static io.spew.impl.extract.EntryNames.refuse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this extraction made, kept in memory so that paths are checked without a system call (and
 * before what is queued for the background writer exists): the directories, the only components a
 * path may go through (a symbolic link never is one), and the type of every other file, so that a
 * hard link only ever points to a regular file of the archive. Both stay true because an entry never
 * replaces a file of another type. Directory attributes are set at the end, deepest first, as GNU tar
 * does, so that writing into a directory neither changes its time nor needs its permission.
 */
final class ExtractedTree {
    /**
     * The characters of paths kept in memory, past which the archive is refused: bounds the heap an
     * archive of millions of entries with long names takes (a realistic root filesystem keeps a few MB).
     */
    static final long MAX_KEPT_CHARS = 256L << 20;

    private final BackgroundWriter writer;
    private final Set<String> directories = new HashSet<>();
    private final Map<String, Integer> otherTypes = new HashMap<>();
    private final Map<String, EntryAttributes> directoryAttributes = new HashMap<>();
    private EntryAttributes rootAttributes;
    private long keptChars;

    ExtractedTree(BackgroundWriter writer) {
        this.writer = writer;
    }

    /** Makes the missing parents of {@code path} (0755, root's); refuses one that is not a directory. */
    void makeParents(String entry, String path) throws IOException {
        int last = path.lastIndexOf('/');
        if (last < 0 || directories.contains(path.substring(0, last))) {
            return;
        }
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String parent = path.substring(0, slash);
            if (!directories.contains(parent)) {
                Integer type = otherTypes.get(parent);
                if (type != null) {
                    throw refuse(entry, type == Syscalls.S_IFLNK ? "path goes through symlink '" + parent + "'"
                            : "path goes through '" + parent + "', which is " + Syscalls.describeType(type));
                }
                makeDirectory(entry, parent);
                directoryAttributes.put(parent, EntryAttributes.IMPLICIT_DIRECTORY);
            }
        }
    }

    /** Makes or keeps the directory {@code path}, whose attributes are set by {@link #finish}. */
    void directory(String entry, String path, EntryAttributes attributes) throws IOException {
        if (path.isEmpty()) {
            rootAttributes = attributes;
            return;
        }
        makeParents(entry, path);
        if (!directories.contains(path)) {
            Integer type = otherTypes.get(path);
            if (type != null) {
                throw refuse(entry, "the path already exists as " + Syscalls.describeType(type));
            }
            makeDirectory(entry, path);
        }
        directoryAttributes.put(path, attributes);
    }

    /**
     * Claims {@code path} for a new file of {@code type} (not a directory): refuses a path that is a
     * directory or a file of another type; true if a file of this type is there, for the caller to
     * remove (tar replaces it).
     */
    boolean claim(String entry, String path, int type) {
        if (path.isEmpty() || directories.contains(path)) {
            throw refuse(entry, "the path already exists as a directory");
        }
        Integer existing = otherTypes.putIfAbsent(path, type);
        if (existing == null) {
            keep(entry, path);
            return false;
        }
        if (existing != type) {
            throw refuse(entry, "the path already exists as " + Syscalls.describeType(existing));
        }
        return true;
    }

    /** Whether {@code path} is a regular file of this archive, the only thing a hard link may point to. */
    boolean isFile(String path) {
        Integer type = otherTypes.get(path);
        return type != null && type == Syscalls.S_IFREG;
    }

    long directoryCount() {
        return directories.size();
    }

    /** Sets the attributes of the directories, deepest first, then the root's. */
    void finish(AttributeWriter attributes) throws IOException {
        List<String> paths = new ArrayList<>(directoryAttributes.keySet());
        paths.sort(Comparator.comparingInt(ExtractedTree::depth).reversed());
        for (String path : paths) {
            attributes.setOnPath(path, directoryAttributes.get(path), false);
        }
        if (rootAttributes != null) {
            attributes.setOnRoot(rootAttributes);
        }
    }

    private void makeDirectory(String entry, String path) throws IOException {
        writer.directory(entry, path);
        directories.add(path);
        keep(entry, path);
    }

    private void keep(String entry, String path) {
        keptChars += path.length();
        if (keptChars > MAX_KEPT_CHARS) {
            throw refuse(entry, "the names of the archive take more than " + MAX_KEPT_CHARS
                    + " characters; no root filesystem needs that many");
        }
    }

    private static int depth(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}
