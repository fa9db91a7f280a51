package io.spew.impl.build;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.regex.Pattern;

/** What build names and versions may be: they appear in references ({@code name@version}) and paths. */
final class BuildNames {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.+-]{0,127}");

    private BuildNames() {}

    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new SpewException(ErrorCode.INVALID_BUILD, "bad build name '" + name
                    + "': use letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
        }
        return name;
    }

    static String checkVersion(String version) {
        if (!NAME.matcher(version).matches()) {
            throw new SpewException(ErrorCode.INVALID_BUILD, "bad build version '" + version
                    + "': use letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
        }
        return version;
    }
}
