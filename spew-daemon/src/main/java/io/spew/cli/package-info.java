/**
 * The {@code spew} command: picocli commands that call the daemon of a data directory through
 * {@code io.spew.daemon.client}, and {@code daemon run}, which is the daemon.
 */
package io.spew.cli;
