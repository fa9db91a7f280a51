package io.spew.build;

/** Told how far an import has read its archive. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (read, total) -> {};

    void progress(long bytesRead, long totalBytes);
}
