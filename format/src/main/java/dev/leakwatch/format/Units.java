package dev.leakwatch.format;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration and size notation users type, shared by the agent's options and the CLI so both accept the same:
 * durations {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}; sizes {@code 4096}, {@code 512k}, {@code 256MB},
 * {@code 1g}. Parse errors say what is allowed.
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)b?");
    /**
     * About 292 years: callers turn durations into nanoseconds ({@code Duration.toNanos}, deadlines on
     * {@code System.nanoTime}), which throws beyond a long's worth (issue 11, {@code interval=3000000h}).
     */
    private static final Duration LONGEST_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private Units() {}

    /** @throws IllegalArgumentException with a message naming the allowed forms */
    public static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)");
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (duration.compareTo(LONGEST_DURATION) <= 0) {
                return duration;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is too large");
    }

    /** @throws IllegalArgumentException with a message naming the allowed forms */
    public static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size (use bytes or a number with k, m or g, e.g. 256m)");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return amount << shift;
    }

    public static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
