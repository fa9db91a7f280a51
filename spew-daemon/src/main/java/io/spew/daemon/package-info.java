/**
 * The Spew daemon: one process per data directory that runs the engine, owns the API token and
 * serves the JSON API until it is told to stop. Instances outlive it.
 */
package io.spew.daemon;
