/** The {@code shell} runtime: instances as process trees on the host, each in a cgroup of its own. */
package io.spew.runtime.shell;
