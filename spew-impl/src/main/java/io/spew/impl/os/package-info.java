/** Host processes through glibc and Linux system calls (posix_spawn, pidfd, epoll) bound with JNR-FFI. */
package io.spew.impl.os;
