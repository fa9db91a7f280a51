/** Crash-safe state files (with failpoints for tests), corrupt ones set aside, and the data directory lock. */
package io.spew.impl.state;
