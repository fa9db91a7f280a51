package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON state files, written crash-safely with {@link AtomicFiles}. */
public final class StateFiles {
    private StateFiles() {}

    public static void write(Path file, Object value) {
        byte[] content;
        try {
            content = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot encode " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, content);
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(file), type);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read state file " + file + ": " + e.getMessage(), e);
        }
    }
}
