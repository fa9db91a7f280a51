/**
 * The web panel: server-rendered pages over the public API, written with an escaping HTML writer,
 * with one-time login URLs, session cookies, CSRF tokens and a guard on every request.
 */
package io.spew.daemon.panel;
