/**
 * The command line's side of the API: finding the daemon of a data directory (starting it in the
 * background when none answers) and calling it over HTTP with the JDK's client.
 */
package io.spew.daemon.client;
