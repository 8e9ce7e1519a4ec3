package dev.leakwatch.format.report;

import java.util.Map;

/**
 * What the analysis was based on.
 *
 * @param count           snapshots analysed (after thinning of long recordings)
 * @param recordsRead     records read from storage
 * @param skippedRecords  records that could not be read (a truncated last record, garbage); see warnings
 * @param histogramKinds  how many histograms of each kind ({@code live}, {@code all-after-gc}, {@code all})
 * @param warmupSeconds   seconds at the start left out of the trend analysis
 * @param warmupRule      how the warm-up was chosen: {@code option}, {@code class-loading-settled} or {@code capped}
 */
public record SnapshotSummary(
        int count,
        long recordsRead,
        long skippedRecords,
        String first,
        String last,
        double spanSeconds,
        Map<String, Integer> histogramKinds,
        double warmupSeconds,
        String warmupRule,
        int analysedPoints,
        Long pid,
        String jvm) {}
