package io.spew.impl.os;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What becomes of the output of one pipe the {@link FifoPump} reads. */
public interface PipeSink {
    /**
     * Takes bytes that wait in the pipe, on the pump thread: {@code waiting} holds a copy of the
     * first of them between its position and limit, valid during the call only; the sink moves
     * the first bytes, in order, to files with {@code out}. Bytes it does not move stay in the
     * pipe and are offered again; when it throws, the pipe rests a second.
     */
    void accept(ByteBuffer waiting, Mover out) throws IOException;

    /** Moves bytes from a pipe to a file. */
    interface Mover {
        /** Moves the next {@code count} bytes of the pipe to the end of {@code file}. */
        void moveTo(OutputFile file, int count) throws IOException;
    }
}
