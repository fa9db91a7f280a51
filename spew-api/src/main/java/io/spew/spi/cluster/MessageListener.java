package io.spew.spi.cluster;

/** Receives the messages of one topic. */
@FunctionalInterface
public interface MessageListener {
    void received(String fromMemberId, byte[] payload);
}
