package dev.leakwatch.format.report;

/**
 * The heap's live set (bytes retained after collection) over the analysed window.
 *
 * @param liveSetSource        {@code live-histogram} (exact, after a forced full GC) or {@code pool-usage-after-gc}
 * @param liveBytesNow         newest live-set value
 * @param liveBytesAtStart     live set at the start of the analysed window
 * @param maxHeapBytes         -Xmx, or -1 when unknown
 * @param growthBytesPerMinute robust slope of the live set
 * @param confidence           0..1 that the live set keeps growing
 * @param growing              whether the analysis stands behind the growth (confidence at least 0.5)
 * @param minutesToExhaustion  at the current slope, minutes until the live set reaches the max heap; null when not
 *                             growing or unknown
 * @param projectedExhaustionAt ISO-8601 instant of that, or null
 */
public record HeapSummary(
        String liveSetSource,
        long liveBytesNow,
        long liveBytesAtStart,
        long maxHeapBytes,
        double growthBytesPerMinute,
        double confidence,
        boolean growing,
        Double minutesToExhaustion,
        String projectedExhaustionAt,
        String summary) {}
