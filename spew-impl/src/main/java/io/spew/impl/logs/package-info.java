/**
 * Instance output: the FIFOs instances write to, read on one thread into size-rotated log files
 * with a time index, and the reader that serves tail, since and follow across rotated files.
 */
package io.spew.impl.logs;
