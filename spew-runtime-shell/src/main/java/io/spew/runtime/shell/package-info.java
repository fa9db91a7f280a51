/** The {@code shell} runtime: instances as process groups on the host. */
package io.spew.runtime.shell;
