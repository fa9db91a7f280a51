package io.spew.distrib.jgroups;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An application message as it travels: the topic (two-byte length, UTF-8) and then the payload. */
record TopicMessage(String topic, byte[] payload) {
    private static final int MAXIMUM_TOPIC_BYTES = 0xffff;

    TopicMessage {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic is null or empty");
        }
        payload = payload.clone();
    }

    byte[] encode() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length > MAXIMUM_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic longer than " + MAXIMUM_TOPIC_BYTES + " bytes");
        }
        return ByteBuffer.allocate(2 + topicBytes.length + payload.length)
                .putShort((short) topicBytes.length).put(topicBytes).put(payload).array();
    }

    /** Decodes what {@link #encode()} wrote; a malformed buffer fails with IllegalArgumentException. */
    static TopicMessage decode(byte[] array, int offset, int length) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(array, offset, length);
            int topicLength = Short.toUnsignedInt(buffer.getShort());
            byte[] topicBytes = new byte[topicLength];
            buffer.get(topicBytes);
            return new TopicMessage(new String(topicBytes, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(array, buffer.position(), offset + length));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated topic message", e);
        }
    }
}
