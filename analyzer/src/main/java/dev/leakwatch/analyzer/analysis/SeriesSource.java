package dev.leakwatch.analyzer.analysis;

import java.util.List;

/**
 * Where the analysed series came from and what reading it skipped, for the report's {@code snapshots} section.
 *
 * @param suppressedErrors errors the agent caught and survived, or null when the analysis runs offline
 */
public record SeriesSource(
        String description, long recordsRead, long skippedRecords, List<String> warnings, Long suppressedErrors) {
    public SeriesSource {
        warnings = List.copyOf(warnings);
    }
}
