package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /api/v1/appliances}.
 *
 * @param source the path of the file as the user typed it, named in errors
 * @param content the text of the file
 */
public record ApplyRequest(String source, String content) {
    public ApplyRequest {
        requireNonNull(source, "source is null");
        requireNonNull(content, "content is null");
    }
}
