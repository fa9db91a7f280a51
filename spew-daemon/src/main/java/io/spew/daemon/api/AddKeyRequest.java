package io.spew.daemon.api;

/** The body of {@code POST /api/v1/trust}: the key file, base64-encoded (armored or binary). */
public record AddKeyRequest(String keyBase64) {}
