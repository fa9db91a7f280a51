package io.spew.daemon.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.api.EventsDropped;
import io.spew.daemon.api.BuildEvent;
import io.spew.daemon.api.RollEvent;
import io.spew.impl.json.Json;
import io.spew.instance.InstanceEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;

/**
 * The events a daemon streams ({@code GET /api/v1/events}), read one at a time: the changes of
 * instances ({@link InstanceEvent}) and the steps of rolls ({@link RollEvent}). Closing it ends the
 * stream; another thread may close it to interrupt a {@link #next} that waits.
 */
public final class EventStream implements AutoCloseable {
    private static final ObjectReader READER = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final BufferedReader lines;
    private final String address;
    private String line;

    EventStream(InputStream in, String address) {
        this.lines = new BufferedReader(new InputStreamReader(requireNonNull(in, "in is null"), UTF_8));
        this.address = requireNonNull(address, "address is null");
    }

    /**
     * Waits for the next event: an {@link InstanceEvent}, a {@link RollEvent} or a {@link BuildEvent}. Returns null when the
     * daemon ended the stream (it stops). Throws
     * {@code TOO_MANY} when the daemon dropped events because this reader did not keep up (the
     * stream has ended then), {@code DAEMON_UNAVAILABLE} when the connection is lost.
     */
    public Object next() {
        try {
            line = lines.readLine();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "lost the connection to the daemon at " + address
                    + " while following events: " + e.getMessage(), e);
        }
        if (line == null) {
            return null;
        }
        try {
            JsonNode node = READER.readTree(line);
            if (node.has("dropped")) {
                throw new SpewException(ErrorCode.TOO_MANY, READER.treeToValue(node, EventsDropped.class).message());
            }
            if (RollEvent.TYPE.equals(node.path("type").asText())) {
                return READER.treeToValue(node, RollEvent.class);
            }
            if (BuildEvent.TYPE.equals(node.path("type").asText())) {
                return READER.treeToValue(node, BuildEvent.class);
            }
            return READER.treeToValue(node, InstanceEvent.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INTERNAL, "the daemon at " + address + " sent an event this command"
                    + " cannot read: " + e.getMessage() + ": " + line, e);
        }
    }

    /** The line of JSON of the event {@link #next} returned last, as the daemon sent it. */
    public String line() {
        return line;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            // the connection is gone already
        }
    }
}
