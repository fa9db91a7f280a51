package io.spew;

/** What registering a listener returns: closing it unregisters. Closing twice is harmless. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
