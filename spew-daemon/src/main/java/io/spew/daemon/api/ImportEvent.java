package io.spew.daemon.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spew.build.Build;

/**
 * One line of the answer to an import (newline-delimited JSON): progress lines, then one line with
 * the build or the error.
 *
 * @param read the archive bytes read so far, on a progress line
 * @param total the archive's size, on a progress line
 * @param build the imported build, on the last line of a success
 * @param error the error, on the last line of a failure
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportEvent(Long read, Long total, Build build, ApiError error) {
    static ImportEvent progress(long read, long total) {
        return new ImportEvent(read, total, null, null);
    }
}
