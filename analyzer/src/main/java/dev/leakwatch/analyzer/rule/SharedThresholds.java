package dev.leakwatch.analyzer.rule;

/**
 * The thresholds more than one rule judges by, in one place so that no rule borrows another's: how much window a
 * trend needs, what confidence the report promises for what it reports, and the growth that is noise for a whole
 * heap. Each rule's own thresholds are named constants in the rule.
 */
public final class SharedThresholds {
    /**
     * Fewer post-warm-up snapshots than this give no verdict at all: a trend test on less is a guess. Pinned by
     * {@code LeakAnalyzerTest#tooFewSnapshotsGiveNoVerdictButSayWhy}.
     */
    public static final int MIN_POINTS = 8;
    /**
     * Below this span after warm-up no verdict is given: nothing a minute-scale leak shows fits in less, however
     * many snapshots it holds ({@code LeakAnalyzerTest#manySnapshotsOverAFewSecondsAreStillNotEnough}).
     */
    public static final double MIN_WINDOW_SECONDS = 20;
    /**
     * Suspects, JVM-level findings and a growing heap need at least this confidence: the report promises it
     * ({@code docs/formats.md}, {@code JsonReportWriterTest#theJsonHasTheDocumentedContractFields}).
     */
    static final double REPORTED_CONFIDENCE = 0.5;
    /**
     * Growth slower than this is noise for a whole heap (allocation buffers, interned strings, JIT metadata): no
     * suspect and no growing live set below it
     * ({@code LeakAnalyzerTest#steadyGrowthBelowTheAbsoluteNoiseFloorIsOnlyACandidate}: 8 KB/min, perfectly steady).
     */
    static final double HEAP_NOISE_BYTES_PER_MINUTE = 32 * 1024;

    private SharedThresholds() {}

    /** Whether the window holds enough snapshots over enough time for any trend to be judged. */
    public static boolean enoughForATrend(AnalysisWindow window) {
        return window.points() >= MIN_POINTS && window.spanMinutes() * 60 >= MIN_WINDOW_SECONDS;
    }
}
