package dev.leakwatch.agent.options;

import java.util.Locale;

/**
 * Whether the agent searches who holds each suspect (its retention chains): the {@code holders} option.
 *
 * <p>{@link #AUTO}, the default, searches for confirmed suspects only (a suspect in two reports in a row, the ones the
 * log announces), where the native library loads and when the projected pause fits {@code maxPause}. {@link #ON}
 * searches for every suspect from its first report on. {@link #OFF} never searches on its own; a person can still ask
 * with {@code ./leakwatch holders PID}.
 */
public enum HoldersMode {
    ON,
    OFF,
    AUTO;

    /** Whether the agent searches by itself, for a suspect seen in {@code reportsInARow} reports in a row. */
    public boolean searchesAfter(int reportsInARow) {
        return switch (this) {
            case ON -> reportsInARow >= 1;
            case AUTO -> reportsInARow >= 2;
            case OFF -> false;
        };
    }

    /** The option's value as users write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static HoldersMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> ON;
            case "off", "false", "no" -> OFF;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("'" + value + "' is not on, off or auto");
        };
    }
}
