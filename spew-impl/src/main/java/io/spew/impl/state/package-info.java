/** Crash-safe state files and the data directory lock. */
package io.spew.impl.state;
