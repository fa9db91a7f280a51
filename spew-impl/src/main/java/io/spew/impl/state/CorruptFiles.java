package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Sets corrupt state files aside, loudly: a file that cannot be decoded is renamed to
 * {@code NAME.corrupt-<UTC time>} beside itself (never deleted, never replaced by empty state) and
 * an ERROR names both files and what to do.
 */
public final class CorruptFiles {
    private static final System.Logger LOG = System.getLogger(CorruptFiles.class.getName());
    private static final String MARK = ".corrupt-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CorruptFiles() {}

    /**
     * Moves the file of {@code corrupt} aside and logs an ERROR; returns where it is now.
     *
     * @param consequence what the engine does without it, as a sentence ("appliance web is not loaded")
     */
    public static Path setAside(CorruptStateException corrupt, String consequence) {
        Path file = corrupt.file();
        Path aside = file.resolveSibling(file.getFileName() + MARK + STAMP.format(Instant.now()));
        try {
            Files.move(file, aside);
            AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "state file " + file + " is corrupt (" + corrupt.reason()
                    + ") and cannot be moved aside: " + e + "; move or remove it by hand", e);
        }
        LOG.log(System.Logger.Level.ERROR, "state file {0} is corrupt ({1}); moved it to {2}. {3}. {2} keeps"
                + " what was left of it (restore from a backup by hand if you have one): delete it once you no longer"
                + " need it", 
                file, corrupt.reason(), aside, consequence);
        return aside;
    }

    /** Whether a file is one that {@link #setAside} moved aside. */
    public static boolean isSetAside(Path file) {
        return file.getFileName().toString().contains(MARK);
    }
}
