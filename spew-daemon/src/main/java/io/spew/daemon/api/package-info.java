/**
 * The daemon's JSON API under {@code /api/v1}, served by Undertow: every request carries the
 * daemon's bearer token, every answer is JSON in the shape of {@code io.spew.impl.json.Json}, and
 * every error is {@code {"error":NAME,"code":NUMBER,"message":TEXT}}.
 */
package io.spew.daemon.api;
