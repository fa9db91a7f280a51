package io.spew.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The id of an instance: 12 lower-case hex digits, unique on its host. */
public record InstanceId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public InstanceId {
        requireNonNull(value, "value is null");
        if (!FORMAT.matcher(value).matches()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "not an instance id: '" + value + "'");
        }
    }

    public static InstanceId parse(String text) {
        return new InstanceId(text);
    }

    public static boolean isValid(String text) {
        return FORMAT.matcher(text).matches();
    }

    public static InstanceId random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new InstanceId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
