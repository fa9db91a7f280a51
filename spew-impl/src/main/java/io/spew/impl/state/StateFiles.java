package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON state files, written crash-safely with {@link AtomicFiles}. */
public final class StateFiles {
    /** Made once: a writer is immutable and thread-safe, and each one made anew costs a little per write. */
    private static final ObjectWriter WRITER = Json.mapper().writerWithDefaultPrettyPrinter();

    private StateFiles() {}

    /** Writes a state file that must outlive a machine crash. */
    public static void write(Path file, Object value) {
        AtomicFiles.write(file, encode(file, value));
    }

    /** Writes a state file atomically now and durably soon (see {@link DeferredSync}). */
    public static void writeAtomically(Path file, Object value, DeferredSync sync) {
        AtomicFiles.writeAtomically(file, encode(file, value), sync);
    }

    private static byte[] encode(Path file, Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot encode " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a state file. Throws {@link CorruptStateException} when its content is not a valid
     * {@code type} (empty, truncated, garbage), {@code IO_ERROR} when it cannot be read.
     */
    public static <T> T read(Path file, Class<T> type) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read state file " + file + ": " + e.getMessage(), e);
        }
        try {
            T value = Json.mapper().readValue(content, type);
            if (value == null) {
                throw new IOException("it holds no value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new CorruptStateException(file, e);
        }
    }
}
