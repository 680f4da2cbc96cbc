package dev.flushkata.plumbing;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations on the command line: 100ms, 2s, 250us, 1m, or 0. */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(-?\\d{1,12})(ns|us|µs|ms|s|m)?");

    /** The longest duration accepted: anything longer is a typo, and would overflow in nanoseconds. */
    static final Duration MAX = Duration.ofDays(1);

    private Durations() {
    }

    /** Parses text such as "100ms"; a bare number is allowed only for 0. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 100ms, 2s, 0)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
            if (n != 0) {
                throw new IllegalArgumentException("duration '" + text + "' needs a unit: ns, us, ms, s or m");
            }
            return Duration.ZERO;
        }
        Duration d = switch (unit) {
            case "ns" -> Duration.ofNanos(n);
            case "us", "µs" -> Duration.of(n, ChronoUnit.MICROS);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.abs().compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is longer than a day");
        }
        return d;
    }

    /** Formats d the way parse reads it, in the largest exact unit. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0";
        } else if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        } else if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        } else if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        } else if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
