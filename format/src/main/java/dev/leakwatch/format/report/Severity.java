package dev.leakwatch.format.report;

import java.util.Optional;

/**
 * How urgent a suspect is, graded from its confidence and growth rate by the rule that found it. Every suspect
 * already passed the confidence the report promises; severity only orders them for a person.
 */
public enum Severity {
    HIGH("high"),
    MEDIUM("medium"),
    LOW("low");

    private final String wireName;

    Severity(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code leak-report.json} and {@code leak-report.txt} ({@code docs/formats.md}). */
    public String wireName() {
        return wireName;
    }

    /** The severity of this wire name, if any. */
    public static Optional<Severity> fromWireName(String name) {
        for (Severity severity : values()) {
            if (severity.wireName.equals(name)) {
                return Optional.of(severity);
            }
        }
        return Optional.empty();
    }
}
