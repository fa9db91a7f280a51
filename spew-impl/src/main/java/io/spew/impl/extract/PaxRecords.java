package io.spew.impl.extract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Reads the raw PAX records of an entry ({@code length key=value\n}) for what Commons Compress drops
 * or decodes as text: extended attributes ({@code SCHILY.xattr.NAME=VALUE}, as GNU tar and star write
 * them; the value is bytes), less {@code trusted.*} (kernel and overlay internals) and
 * {@code security.selinux} (the host labels the tree); and star's {@code SCHILY.filetype}.
 */
final class PaxRecords {
    private static final String XATTR = "SCHILY.xattr.";
    private static final String FILE_TYPE = "SCHILY.filetype";

    private PaxRecords() {}

    /** Attribute names to values, sorted by name. */
    static Map<String, byte[]> xattrs(byte[] records) {
        Map<String, byte[]> xattrs = new TreeMap<>();
        forEach(records, (key, value) -> {
            if (key.startsWith(XATTR)) {
                String name = key.substring(XATTR.length());
                if (kept(name)) {
                    xattrs.put(name, value);
                }
            }
        });
        return xattrs;
    }

    /** The file type star records for types tar has no flag for ("socket", "door"…), or null. */
    static String fileType(byte[] records) {
        String[] type = {null};
        forEach(records, (key, value) -> {
            if (key.equals(FILE_TYPE)) {
                type[0] = new String(value, StandardCharsets.UTF_8);
            }
        });
        return type[0];
    }

    /** Whether an attribute of this name is set on the extracted file. */
    static boolean kept(String name) {
        return !name.isEmpty() && !name.startsWith("trusted.") && !name.equals("security.selinux");
    }

    /** Calls {@code action} with each record's key and value; a record that does not parse ends the reading. */
    private static void forEach(byte[] records, BiConsumer<String, byte[]> action) {
        int start = 0;
        while (start < records.length) {
            int space = indexOf(records, (byte) ' ', start, records.length);
            long length = space < 0 ? -1 : parseLength(records, start, space);
            if (length <= 0 || start + length > records.length || records[(int) (start + length - 1)] != '\n') {
                return;
            }
            int end = (int) (start + length - 1);
            int equals = indexOf(records, (byte) '=', space + 1, end);
            if (equals < 0) {
                return;
            }
            String key = new String(records, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            action.accept(key, Arrays.copyOfRange(records, equals + 1, end));
            start = end + 1;
        }
    }

    private static long parseLength(byte[] data, int from, int to) {
        if (to == from || to - from > 9) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (data[i] < '0' || data[i] > '9') {
                return -1;
            }
            value = value * 10 + (data[i] - '0');
        }
        return value;
    }

    private static int indexOf(byte[] data, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
