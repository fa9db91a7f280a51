package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Resource limits of one instance, from the appliance's {@code config:}: {@code memory} (bytes, with
 * an optional K, M, G or T suffix, powers of 1024), {@code cpus} (a decimal number of CPUs, such as
 * {@code 0.5}) and {@code pids} (the most processes and threads).
 *
 * @param memoryBytes the memory limit, or 0 for none
 * @param cpuMillis thousandths of a CPU, or 0 for none
 * @param pids the process limit, or 0 for none
 */
record Limits(long memoryBytes, long cpuMillis, long pids) {
    static final Limits NONE = new Limits(0, 0, 0);
    static final long CPU_PERIOD_MICROS = 100_000;

    boolean isEmpty() {
        return memoryBytes == 0 && cpuMillis == 0 && pids == 0;
    }

    /** The CFS quota for {@link #CPU_PERIOD_MICROS}. */
    long cpuQuotaMicros() {
        return cpuMillis * CPU_PERIOD_MICROS / 1000;
    }

    static Limits parse(Map<String, String> config) {
        return new Limits(memory(config.get("memory")), cpus(config.get("cpus")), pids(config.get("pids")));
    }

    private static long memory(String value) {
        if (value == null) {
            return 0;
        }
        String text = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        int suffix = "KMGT".indexOf(text.isEmpty() ? ' ' : text.charAt(text.length() - 1));
        if (suffix >= 0) {
            unit = 1L << (10 * (suffix + 1));
            text = text.substring(0, text.length() - 1);
        }
        try {
            long bytes = Math.multiplyExact(Long.parseLong(text), unit);
            if (bytes < 1024 * 1024) {
                throw invalid("memory must be at least 1M, not '" + value + "'");
            }
            return bytes;
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid("memory takes a size such as 512M or 2G, not '" + value + "'");
        }
    }

    private static long cpus(String value) {
        if (value == null) {
            return 0;
        }
        try {
            long millis = new BigDecimal(value.trim()).movePointRight(3).longValueExact();
            if (millis < 10) {
                throw invalid("cpus must be at least 0.01, not '" + value + "'");
            }
            return millis;
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid("cpus takes a number of CPUs such as 0.5 or 2, not '" + value + "'");
        }
    }

    private static long pids(String value) {
        if (value == null) {
            return 0;
        }
        try {
            long pids = Long.parseLong(value.trim());
            if (pids < 2) {
                throw invalid("pids must be at least 2, not '" + value + "'");
            }
            return pids;
        } catch (NumberFormatException e) {
            throw invalid("pids takes a whole number such as 100, not '" + value + "'");
        }
    }

    private static SpewException invalid(String message) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, "runtime nspawn: " + message);
    }
}
