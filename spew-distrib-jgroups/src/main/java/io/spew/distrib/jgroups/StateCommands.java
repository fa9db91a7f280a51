package io.spew.distrib.jgroups;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/** The writes of {@link ReplicatedState} as Raft log entries, and the state as a Raft snapshot. */
final class StateCommands {
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte PUT_IF_ABSENT = 3;

    private StateCommands() {}

    static byte[] put(String key, String value) {
        return encode(PUT, key, value);
    }

    static byte[] putIfAbsent(String key, String value) {
        return encode(PUT_IF_ABSENT, key, value);
    }

    static byte[] remove(String key) {
        return encode(REMOVE, key, null);
    }

    /**
     * Applies one entry to {@code state}; returns the value its key holds after a put-if-absent (null after the
     * others).
     */
    static String apply(byte[] entry, int offset, int length, SortedMap<String, String> state) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(entry, offset, length));
        byte type = in.readByte();
        String key = readString(in);
        switch (type) {
            case PUT -> state.put(key, readString(in));
            case REMOVE -> state.remove(key);
            case PUT_IF_ABSENT -> {
                String value = readString(in);
                String held = state.putIfAbsent(key, value);
                return held == null ? value : held;
            }
            default -> throw new IOException("unknown replicated state command " + type);
        }
        return null;
    }

    static void writeSnapshot(SortedMap<String, String> state, DataOutput out) throws IOException {
        out.writeInt(state.size());
        for (var entry : state.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    static SortedMap<String, String> readSnapshot(DataInput in) throws IOException {
        int size = in.readInt();
        SortedMap<String, String> state = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            state.put(readString(in), readString(in));
        }
        return state;
    }

    /** Length and UTF-8 bytes: no 64 KiB limit as with writeUTF. */
    private static void writeString(DataOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative string length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] encode(byte type, String key, String value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(type);
            writeString(out, key);
            if (value != null) {
                writeString(out, value);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
