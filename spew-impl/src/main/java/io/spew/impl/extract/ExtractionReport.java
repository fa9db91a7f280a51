package io.spew.impl.extract;

/**
 * What one extraction made.
 *
 * @param entries every entry of the archive, skipped ones included, extended headers not
 * @param files regular files written
 * @param directories directories, made from an entry or as a missing parent
 * @param symlinks symbolic links made
 * @param hardLinks hard links made
 * @param fifos named pipes made
 * @param bytes the bytes written to regular files
 * @param skippedDevices device nodes under {@code dev/}, not made
 * @param skippedSockets sockets, not made
 */
public record ExtractionReport(long entries, long files, long directories, long symlinks, long hardLinks, long fifos,
        long bytes, long skippedDevices, long skippedSockets) {}
