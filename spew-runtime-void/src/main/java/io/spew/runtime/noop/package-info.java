/** The {@code void} runtime: observes or adopts external processes, or holds static config. */
package io.spew.runtime.noop;
