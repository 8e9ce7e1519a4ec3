package dev.leakwatch.format.report;

import java.util.Optional;

/** What a report concludes: its {@code verdict} field, which the CLI's exit code and CI checks act on. */
public enum Verdict {
    /** At least one suspect or JVM-level growth finding: the CLI exits 3. */
    LEAK_SUSPECTED("leak-suspected"),
    /** The window was long enough and nothing grew enough to report. */
    NO_LEAK_FOUND("no-leak-found"),
    /** The window after warm-up is too short for a trend test: no verdict rather than a guess. */
    NOT_ENOUGH_DATA("not-enough-data");

    private final String wireName;

    Verdict(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code leak-report.json} and {@code leak-report.txt} ({@code docs/formats.md}). */
    public String wireName() {
        return wireName;
    }

    /** The verdict of this wire name, if any. */
    public static Optional<Verdict> fromWireName(String name) {
        for (Verdict verdict : values()) {
            if (verdict.wireName.equals(name)) {
                return Optional.of(verdict);
            }
        }
        return Optional.empty();
    }
}
