package dev.leakwatch.format.report;

import dev.leakwatch.format.model.AllocationSampler;

/**
 * What recording cost the observed JVM.
 *
 * @param snapshotSecondsTotal time spent taking the analysed snapshots (mostly the forced GCs of live histograms)
 * @param overheadPercent      that time as a percentage of the recording's wall time
 * @param lastSnapshotMillis   duration of the newest snapshot
 * @param histogramMode        the kind of the newest histogram: {@code live}, or a cheaper fallback
 * @param suppressedErrors     errors the agent caught and survived (null when read offline)
 * @param allocationTracking   the allocation sampling's state in the newest snapshot, null without it
 * @param recording            whether snapshots reach the disk (live reports only)
 * @param version              the leakwatch release that wrote the report (the agent's for a live report, the
 *                             analyzer's offline); null in reports older than schema 6
 */
public record AgentSummary(
        double snapshotSecondsTotal,
        double overheadPercent,
        long lastSnapshotMillis,
        String histogramMode,
        Long suppressedErrors,
        String note,
        AllocationTracking allocationTracking,
        Recording recording,
        String version) {

    /**
     * Whether the snapshots the agent takes reach the disk: live reports only, null when read offline.
     *
     * @param snapshotsTaken snapshots taken since the recording started
     * @param snapshotsSaved snapshots written to the recording directory
     * @param writing        {@link Writing#OK}, {@link Writing#PAUSED} after a write failed (retried with back-off),
     *                       or {@link Writing#REFUSED} when the output directory is not safe to write
     * @param problem        why writing is paused or refused, one line; null while writing works
     */
    public record Recording(long snapshotsTaken, long snapshotsSaved, Writing writing, String problem) {}

    /** The state of snapshot writing; its wire name is the lower-case name. */
    public enum Writing {
        OK,
        PAUSED,
        REFUSED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param sampler             what picked the samples, and so what {@code samplingInterval} counts
     * @param samplingInterval    the base interval in the sampler's unit: one allocation in this many
     *                            ({@link AllocationSampler#INSTRUMENTATION}), or one sample per this many bytes
     *                            allocated ({@link AllocationSampler#JVM})
     * @param trackedSamples      sampled objects tracked
     * @param capacity            the table's cap ({@code maxTracked})
     * @param evictedSamples      samples dropped because the table was full; the estimates are scaled for them
     * @param instrumentedClasses classes whose allocation sites are hooked; null when the snapshots did not say, and
     *                            always with the JVM sampler, which instruments nothing
     * @param instrumentedSites   allocation sites hooked in them; null when the snapshots did not say
     * @param failedClasses       classes whose instrumentation failed (they run unchanged); null when not recorded
     */
    public record AllocationTracking(
            AllocationSampler sampler,
            long samplingInterval,
            long trackedSamples,
            long capacity,
            long evictedSamples,
            Long instrumentedClasses,
            Long instrumentedSites,
            Long failedClasses) {}
}
