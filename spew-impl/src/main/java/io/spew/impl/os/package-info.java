/** Host processes through glibc and Linux system calls (posix_spawn, pidfd, epoll) bound with JNR-FFI, and the cgroups instances are contained in. */
package io.spew.impl.os;
