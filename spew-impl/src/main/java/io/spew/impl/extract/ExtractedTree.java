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
 * What this extraction made, kept in memory so that paths are checked without a system call: the
 * directories (the only components a path may go through: a symbolic link never is one) and the
 * regular files (the only targets a hard link may have). Both stay true because an entry never
 * replaces a file of another type. Directory attributes are set at the end, deepest first, as GNU tar
 * does, so that writing into a directory neither changes its time nor needs its permission.
 */
final class ExtractedTree {
    /**
     * The characters of paths kept in memory, past which the archive is refused: bounds the heap an
     * archive of millions of entries with long names takes (a realistic root filesystem keeps a few MB).
     */
    static final long MAX_KEPT_CHARS = 256L << 20;

    private final RootDirectory root;
    private final Set<String> directories = new HashSet<>();
    private final Set<String> files = new HashSet<>();
    private final Map<String, EntryAttributes> directoryAttributes = new HashMap<>();
    private EntryAttributes rootAttributes;
    private long keptChars;

    ExtractedTree(RootDirectory root) {
        this.root = root;
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
                makeDirectory(entry, parent, "path goes through '" + parent + "', which is");
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
            makeDirectory(entry, path, "the path already exists as");
        }
        directoryAttributes.put(path, attributes);
    }

    /**
     * Clears {@code path} for a new file of {@code type} after {@code create} found something there:
     * removes a file of that type, refuses anything else.
     */
    void replace(String entry, String path, int type) throws IOException {
        int existing = root.type(path);
        if (existing != type) {
            throw refuse(entry, "the path already exists as " + Syscalls.describeType(existing));
        }
        root.unlink(path);
    }

    /** Refuses to put anything but a directory where a directory was made. */
    void refuseDirectory(String entry, String path) {
        if (path.isEmpty() || directories.contains(path)) {
            throw refuse(entry, "the path already exists as a directory");
        }
    }

    boolean isFile(String path) {
        return files.contains(path);
    }

    void addFile(String entry, String path) {
        if (files.add(path)) {
            keep(entry, path);
        }
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

    private void makeDirectory(String entry, String path, String refusal) throws IOException {
        int error = root.mkdir(path, 0700);
        if (error == Syscalls.EEXIST) {
            int type = root.type(path);
            if (type == Syscalls.S_IFLNK && refusal.startsWith("path goes through")) {
                throw refuse(entry, "path goes through symlink '" + path + "'");
            }
            if (type != Syscalls.S_IFDIR) { // a directory not made here was in the root: let it be
                throw refuse(entry, refusal + " " + Syscalls.describeType(type));
            }
        } else if (error != 0) {
            throw new CallFailedException("mkdir", path, error);
        }
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
