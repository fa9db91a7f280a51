/** The {@code void} runtime: observes external processes or holds static config. */
package io.spew.runtime.noop;
