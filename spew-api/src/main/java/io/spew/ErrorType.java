package io.spew;

/** Who is to blame for an error, and so who can fix it. */
public enum ErrorType {
    /** The input was wrong: the user can fix it. */
    USER,
    /** A bug in Spew. */
    INTERNAL,
    /** Something outside Spew failed or is missing: a tool, the kernel, a daemon. */
    EXTERNAL,
    /** A limit was reached. */
    RESOURCES
}
