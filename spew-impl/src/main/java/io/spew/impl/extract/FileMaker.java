package io.spew.impl.extract;

import static io.spew.impl.extract.EntryNames.refuse;

import io.spew.SpewException;
import java.io.IOException;

/**
 * Makes one directory, regular file, symbolic link or FIFO at a path the extraction already checked
 * and claimed, with its attributes; the background writer's hands. Finding something already there
 * means the root was not empty: refused, never replaced (replacing is the extraction's decision).
 */
final class FileMaker {
    private final RootDirectory root;
    private final AttributeWriter attributes;

    FileMaker(RootDirectory root) {
        this.root = root;
        this.attributes = new AttributeWriter(root);
    }

    /** A directory, private until the extraction sets its attributes at the end. */
    void directory(String name, String path) throws IOException {
        int error = root.mkdir(path, 0700);
        if (error == Syscalls.EEXIST && root.type(path) != Syscalls.S_IFDIR) {
            throw unexpected(name, path);
        } else if (error != 0 && error != Syscalls.EEXIST) {
            throw new CallFailedException("mkdir", path, error);
        }
    }

    /** A regular file holding {@code data[offset, offset + length)}. */
    void file(String name, String path, EntryAttributes fileAttributes, byte[] data, int offset, int length)
            throws IOException {
        int file = open(name, path, fileAttributes);
        boolean written = false;
        try {
            root.write(file, data, offset, length, path);
            written = true;
        } finally {
            if (!written) {
                Syscalls.LIBC.close(file);
            }
        }
        close(file, path, fileAttributes);
    }

    /** A new regular file, open for {@link #write}: its descriptor. */
    int open(String name, String path, EntryAttributes fileAttributes) throws IOException {
        int file = root.create(path, fileAttributes.mode() & 0777);
        if (file < 0) {
            throw created(-file, "open", name, path);
        }
        return file;
    }

    void write(int file, String path, byte[] data, int offset, int length) throws IOException {
        root.write(file, data, offset, length, path);
    }

    /** Sets the attributes of an {@link #open}ed file, then closes it (closing it even if that fails). */
    void close(int file, String path, EntryAttributes fileAttributes) throws IOException {
        try {
            attributes.setOnFile(file, path, fileAttributes);
        } catch (IOException | RuntimeException e) {
            Syscalls.LIBC.close(file);
            throw e;
        }
        root.close(file, path);
    }

    void symlink(String name, String path, String target, EntryAttributes linkAttributes) throws IOException {
        int error = root.symlink(target, path);
        if (error != 0) {
            throw created(error, "symlink", name, path);
        }
        attributes.setOnPath(path, linkAttributes, true);
    }

    /** A FIFO, never opened. */
    void fifo(String name, String path, EntryAttributes fifoAttributes) throws IOException {
        int error = root.mkfifo(path, fifoAttributes.mode() & 0777);
        if (error != 0) {
            throw created(error, "mkfifo", name, path);
        }
        attributes.setOnPath(path, fifoAttributes, false);
    }

    /** The failure of a call that makes {@code path}. */
    private IOException created(int error, String call, String name, String path) throws IOException {
        if (error == Syscalls.EEXIST) {
            throw unexpected(name, path);
        }
        return new CallFailedException(call, path, error);
    }

    private SpewException unexpected(String name, String path) throws IOException {
        return refuse(name, "the path already exists as " + Syscalls.describeType(root.type(path))
                + " (the root was not empty)");
    }
}
