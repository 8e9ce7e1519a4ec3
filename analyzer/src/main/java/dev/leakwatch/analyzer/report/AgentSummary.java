package dev.leakwatch.analyzer.report;

/**
 * What recording cost the observed JVM.
 *
 * @param snapshotSecondsTotal time spent taking the analysed snapshots (mostly the forced GCs of live histograms)
 * @param overheadPercent      that time as a percentage of the recording's wall time
 * @param lastSnapshotMillis   duration of the newest snapshot
 * @param histogramMode        the kind of the newest histogram: {@code live}, or a cheaper fallback
 * @param suppressedErrors     errors the agent caught and survived (null when read offline)
 */
public record AgentSummary(
        double snapshotSecondsTotal,
        double overheadPercent,
        long lastSnapshotMillis,
        String histogramMode,
        Long suppressedErrors,
        String note) {
}
