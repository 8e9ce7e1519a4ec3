package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.format.report.AgentSummary;
import java.util.List;

/**
 * Where the analysed series came from and what reading it skipped, for the report's {@code snapshots} section.
 *
 * @param suppressedErrors errors the agent caught and survived, or null when the analysis runs offline
 * @param recording        whether the agent's snapshots reach the disk, or null when the analysis runs offline
 */
public record SeriesProvenance(
        String description,
        long recordsRead,
        long skippedRecords,
        List<String> warnings,
        Long suppressedErrors,
        AgentSummary.Recording recording) {
    public SeriesProvenance {
        warnings = List.copyOf(warnings);
    }

    /** A source without the agent's view of its own writing: read from storage, or made up. */
    public SeriesProvenance(
            String description, long recordsRead, long skippedRecords, List<String> warnings, Long suppressedErrors) {
        this(description, recordsRead, skippedRecords, warnings, suppressedErrors, null);
    }
}
