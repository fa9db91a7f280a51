package io.spew.impl.os;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Null-terminated arrays of C strings ({@code char *const[]}) such as argv and envp, in UTF-8. */
final class NativeStrings {
    private NativeStrings() {}

    /** One block holding the pointer array, then the strings it points to. */
    static Pointer array(List<String> strings) {
        int pointerSize = Native.RUNTIME.addressSize();
        List<byte[]> encoded = new ArrayList<>(strings.size());
        long size = (long) (strings.size() + 1) * pointerSize;
        for (String string : strings) {
            if (string.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an argument or environment entry holds a NUL character");
            }
            byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            size += bytes.length + 1;
        }
        Pointer block = Memory.allocateDirect(Native.RUNTIME, Math.toIntExact(size), true);
        long next = (long) (strings.size() + 1) * pointerSize;
        for (int i = 0; i < encoded.size(); i++) {
            byte[] bytes = encoded.get(i);
            block.put(next, bytes, 0, bytes.length);
            block.putAddress((long) i * pointerSize, block.address() + next);
            next += bytes.length + 1;
        }
        return block;
    }
}
