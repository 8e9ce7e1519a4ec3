package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.TrendFit;
import dev.leakwatch.analyzer.trend.TrendFitter;
import dev.leakwatch.format.report.GaugeFinding;
import java.util.List;

/**
 * Steady growth of one JVM gauge that a class histogram hides: live threads, direct buffer memory. One instance per
 * gauge, each with its own noise floor; the confidence and the window are those every rule shares
 * ({@link SharedThresholds}). Its {@link #id()} is the finding's {@code kind}. Loaded classes, a count that moves in
 * steps, have a rule of their own ({@link ClassLoadingRule}).
 */
public final class GaugeGrowthRule implements LeakRule {
    /** A few threads come and go; a pool that grows by more than this per minute, steadily, does not stop. */
    static final double THREADS_PER_MINUTE_FLOOR = 2;
    /**
     * Direct buffer memory growing by less than this per minute is not reported. No measurement chose it yet:
     * {@code LeakAnalyzerTest#directBuffersGrowingSteadilyAreADirectMemoryFinding} only shows a 2 MB/min leak clears
     * it.
     */
    static final double DIRECT_BYTES_PER_MINUTE_FLOOR = 256 * 1024;

    public static final String KIND_THREADS = "threads";
    public static final String KIND_DIRECT_MEMORY = "direct-memory";

    private final String kind;
    private final SeriesTable.Gauge gauge;
    private final String what;
    private final String unit;
    private final double floorPerMinute;
    private final String explanation;

    private GaugeGrowthRule(
            String kind, SeriesTable.Gauge gauge, String what, String unit, double floorPerMinute, String explanation) {
        this.kind = kind;
        this.gauge = gauge;
        this.what = what;
        this.unit = unit;
        this.floorPerMinute = floorPerMinute;
        this.explanation = explanation;
    }

    public static List<GaugeGrowthRule> all() {
        return List.of(
                new GaugeGrowthRule(
                        KIND_THREADS,
                        SeriesTable.Gauge.LIVE_THREADS,
                        "Live threads",
                        "threads",
                        THREADS_PER_MINUTE_FLOOR,
                        Wording.THREADS_EXPLANATION),
                new GaugeGrowthRule(
                        KIND_DIRECT_MEMORY,
                        SeriesTable.Gauge.DIRECT_BUFFER_BYTES,
                        "Direct buffer memory",
                        "bytes",
                        DIRECT_BYTES_PER_MINUTE_FLOOR,
                        Wording.DIRECT_MEMORY_EXPLANATION));
    }

    @Override
    public String id() {
        return kind;
    }

    @Override
    public RuleResult evaluate(AnalysisWindow window) {
        if (!SharedThresholds.enoughForATrend(window)) {
            return RuleResult.notEnoughData(kind);
        }
        AnalysisWindow.Series series = window.gauge(gauge);
        if (series.size() < SharedThresholds.MIN_POINTS) {
            return RuleResult.notEnoughData(kind);
        }
        TrendFit fit = TrendFitter.fit(series.minutes(), series.values());
        double confidence = GrowthVerdict.confidence(fit);
        if (confidence < SharedThresholds.REPORTED_CONFIDENCE
                || !GrowthVerdict.stillGrowing(fit)
                || fit.slopePerMinute() < floorPerMinute) {
            return RuleResult.nothingFound(kind);
        }
        return RuleResult.finding(
                kind,
                new GaugeFinding(
                        kind,
                        round(confidence),
                        round(fit.slopePerMinute()),
                        series.last(),
                        unit,
                        Wording.gaugeSummary(what, fit.slopePerMinute(), unit, series.last()),
                        explanation));
    }
}
