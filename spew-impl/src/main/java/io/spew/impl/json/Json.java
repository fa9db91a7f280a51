package io.spew.impl.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spew.build.BuildId;
import io.spew.instance.InstanceId;
import io.spew.instance.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The one JSON mapping of Spew's records, used for state files, the API and the command line:
 * ids and signals as strings, enums in lower case, instants as ISO-8601, durations as
 * milliseconds, sorted maps kept in order, unknown properties refused.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(spewModule())
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {}

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static SimpleModule spewModule() {
        SimpleModule module = new SimpleModule("spew");
        addStringForm(module, InstanceId.class, InstanceId::parse);
        addStringForm(module, BuildId.class, BuildId::parse);
        module.addSerializer(Signal.class, new JsonSerializer<>() {
            @Override
            public void serialize(Signal value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(value.name());
            }
        });
        module.addDeserializer(Signal.class, new JsonDeserializer<>() {
            @Override
            public Signal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return Signal.parse(parser.getValueAsString());
            }
        });
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeNumber(value.toMillis());
            }
        });
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return Duration.ofMillis(parser.getValueAsLong());
            }
        });
        return module;
    }

    private static <T> void addStringForm(SimpleModule module, Class<T> type, Function<String, T> parse) {
        module.addSerializer(type, new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(value.toString());
            }
        });
        module.addDeserializer(type, new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return parse.apply(parser.getValueAsString());
            }
        });
    }
}
