package io.spew.impl.extract;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.charset.StandardCharsets;

/**
 * Member names made into paths relative to the root: a leading {@code /} is dropped (absolute names
 * land inside the root), so are empty and {@code .} components; a {@code ..} component anywhere is
 * refused, as are names that are empty, too long, hold a NUL character or are not UTF-8.
 */
final class EntryNames {
    /** Linux's NAME_MAX. */
    private static final int MAX_COMPONENT_BYTES = 255;
    private static final int SHOWN = 200;

    private EntryNames() {}

    /**
     * The path relative to the root that {@code name} stands for; empty for the root itself.
     *
     * @param what how messages call {@code name}: "name", "hard link target"
     */
    static String normalize(String entry, String what, String name, int maxBytes) {
        checkText(entry, what, name, maxBytes);
        StringBuilder path = new StringBuilder(name.length());
        int start = 0;
        while (start <= name.length()) {
            int slash = name.indexOf('/', start);
            int end = slash < 0 ? name.length() : slash;
            int length = end - start;
            if (length == 2 && name.charAt(start) == '.' && name.charAt(start + 1) == '.') {
                throw refuse(entry, "the " + what + " has a '..' component; names must stay inside the archive's root");
            }
            if (length > 0 && !(length == 1 && name.charAt(start) == '.')) {
                if (length > MAX_COMPONENT_BYTES / 3 && utf8Length(name, start, end) > MAX_COMPONENT_BYTES) {
                    throw refuse(entry, "a component of the " + what + " is longer than " + MAX_COMPONENT_BYTES
                            + " bytes");
                }
                if (!path.isEmpty()) {
                    path.append('/');
                }
                path.append(name, start, end);
            }
            start = end + 1;
        }
        return path.toString();
    }

    /** Refuses a name or link target that is empty, too long, holds a NUL character or is not UTF-8. */
    static void checkText(String entry, String what, String value, int maxBytes) {
        if (value.isEmpty()) {
            throw refuse(entry, "the " + what + " is empty");
        }
        if (value.length() > maxBytes / 3 && utf8Length(value, 0, value.length()) > maxBytes) {
            throw refuse(entry, "the " + what + " is longer than the limit of " + maxBytes + " bytes");
        }
        if (value.indexOf('\0') >= 0) {
            throw refuse(entry, "the " + what + " holds a NUL character");
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw refuse(entry, "the " + what + " is not valid UTF-8");
        }
    }

    /** An {@code INVALID_BUILD} naming the entry. */
    static SpewException refuse(String entry, String why) {
        return new SpewException(ErrorCode.INVALID_BUILD, "entry '" + shown(entry) + "': " + why);
    }

    /** A name as messages show it: cut after 200 characters. */
    static String shown(String name) {
        return name.length() <= SHOWN ? name : name.substring(0, SHOWN) + "…";
    }

    private static int utf8Length(String text, int start, int end) {
        return text.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
    }
}
