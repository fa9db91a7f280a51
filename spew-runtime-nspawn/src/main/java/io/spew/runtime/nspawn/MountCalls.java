package io.spew.runtime.nspawn;

import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.IgnoreError;

/**
 * The glibc mount calls this runtime makes, bound with JNR-FFI. Public only because JNR-FFI generates
 * its implementation in another class loader; use it through {@link Mounts}.
 */
public interface MountCalls {
    int mount(@Encoding("UTF-8") String source, @Encoding("UTF-8") String target,
            @Encoding("UTF-8") String type, long flags, @Encoding("UTF-8") String data);

    int umount2(@Encoding("UTF-8") String target, int flags);

    @IgnoreError
    String strerror(int errno);
}
