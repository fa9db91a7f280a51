package io.spew.runtime.nspawn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** mount(2) and umount2(2), and what {@code /proc/self/mountinfo} says is mounted. */
final class Mounts {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    private static final int MNT_DETACH = 2;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;

    private static MountCalls calls;
    private static Runtime runtime;

    private Mounts() {}

    private static synchronized MountCalls calls() {
        if (calls == null) {
            calls = LibraryLoader.create(MountCalls.class).load("c");
            runtime = Runtime.getRuntime(calls);
        }
        return calls;
    }

    /** Mounts an overlay of {@code lower} (read-only) and {@code upper} at {@code merged}. */
    static void overlay(Path lower, Path upper, Path work, Path merged) {
        for (Path path : List.of(lower, upper, work, merged)) {
            if (path.toString().contains(",") || path.toString().contains(":")) {
                throw new IllegalArgumentException("overlay paths may hold no ',' or ':': " + path);
            }
        }
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        if (calls().mount("overlay", merged.toString(), "overlay", 0, options) != 0) {
            throw new IllegalStateException("mount overlay at " + merged + " failed: " + lastError());
        }
    }

    /** Mounts a fresh tmpfs at {@code target}. */
    static void tmpfs(Path target) {
        if (calls().mount("tmpfs", target.toString(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
            throw new IllegalStateException("mount tmpfs at " + target + " failed: " + lastError());
        }
    }

    /** Unmounts {@code target} (lazily, so a busy mount goes as soon as it can); false if nothing was mounted. */
    static boolean unmount(Path target) {
        if (calls().umount2(target.toString(), MNT_DETACH) == 0) {
            return true;
        }
        int errno = LastError.getLastError(runtime);
        if (errno == EINVAL || errno == ENOENT) {
            return false;
        }
        throw new IllegalStateException("umount " + target + " failed: " + calls.strerror(errno));
    }

    /** Unmounts everything mounted at {@code target}, stacked mounts included. */
    static void unmountAll(Path target) {
        while (isMountPoint(target) && unmount(target)) {
            // next layer, if any
        }
    }

    /** Whether something is mounted exactly at {@code target}. */
    static boolean isMountPoint(Path target) {
        String wanted = target.toAbsolutePath().normalize().toString();
        return mountInfo().stream().anyMatch(line -> wanted.equals(mountPoint(line)));
    }

    /** The file system type mounted at the mount point that holds {@code path}. */
    static String filesystemType(Path path) {
        String wanted = path.toAbsolutePath().normalize().toString();
        String best = "";
        String type = "";
        for (String line : mountInfo()) {
            String point = mountPoint(line);
            if ((wanted.equals(point) || wanted.startsWith(point.endsWith("/") ? point : point + "/"))
                    && point.length() >= best.length()) {
                best = point;
                int separator = line.indexOf(" - ");
                type = separator < 0 ? "" : line.substring(separator + 3).split(" ")[0];
            }
        }
        return type;
    }

    static List<String> mountInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mountPoint(String line) {
        String[] fields = line.split(" ");
        return fields.length > 4 ? unescape(fields[4]) : "";
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String lastError() {
        int errno = LastError.getLastError(runtime);
        String text = calls.strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
