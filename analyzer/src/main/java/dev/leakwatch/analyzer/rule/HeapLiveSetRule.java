package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.LinearProjection;
import dev.leakwatch.analyzer.trend.TrendFit;
import dev.leakwatch.analyzer.trend.TrendFitter;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.report.HeapSummary;
import java.time.Instant;

/**
 * The heap's live set over the window, its trend, and when it would reach the maximum heap at that rate.
 * The live set is the histogram total where the histogram was live (exact, after a full GC), else what the heap
 * pools held after their last collection. The confidence and the noise floor are those every rule shares
 * ({@link SharedThresholds}).
 *
 * <p>The report always has a heap section: with too few points for a trend, the result is "not enough data" and
 * its summary states the live set's current level only.
 */
public final class HeapLiveSetRule implements LeakRule {
    public static final String ID = "heap-live-set";

    public static final String SOURCE_LIVE_HISTOGRAM = "live-histogram";
    public static final String SOURCE_POOLS_AFTER_GC = "pool-usage-after-gc";
    public static final String SOURCE_HISTOGRAM_TOTAL = "histogram-total";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleResult evaluate(AnalysisWindow window) {
        SeriesTable table = window.table();
        boolean allLive = true;
        boolean gauges = true;
        for (int i = 0; i < window.points(); i++) {
            allLive &= table.kind(window.tablePoint(i)) == HistogramKind.LIVE;
            gauges &= table.gauge(SeriesTable.Gauge.HEAP_LIVE_AFTER_GC, window.tablePoint(i)) != SeriesTable.UNKNOWN;
        }
        String source = allLive ? SOURCE_LIVE_HISTOGRAM : gauges ? SOURCE_POOLS_AFTER_GC : SOURCE_HISTOGRAM_TOTAL;
        AnalysisWindow.Series live = window.of(index -> SOURCE_POOLS_AFTER_GC.equals(source)
                ? table.gauge(SeriesTable.Gauge.HEAP_LIVE_AFTER_GC, window.tablePoint(index))
                : table.histogramTotalBytes(window.tablePoint(index)));
        long maxHeap = window.points() == 0
                ? -1
                : table.gauge(SeriesTable.Gauge.HEAP_MAX, window.tablePoint(window.points() - 1));
        if (live.size() < SharedThresholds.MIN_POINTS) {
            long now = live.isEmpty() ? 0 : (long) live.last();
            return RuleResult.heap(
                    ID,
                    new HeapSummary(
                            source,
                            now,
                            live.isEmpty() ? 0 : (long) live.first(),
                            maxHeap,
                            0,
                            0,
                            false,
                            null,
                            null,
                            Wording.heapNotGrowing(now)),
                    false);
        }
        TrendFit fit = TrendFitter.fit(live.minutes(), live.values());
        double confidence = GrowthVerdict.confidence(fit);
        boolean growing = confidence >= SharedThresholds.REPORTED_CONFIDENCE
                && GrowthVerdict.stillGrowing(fit)
                && fit.slopePerMinute() >= SharedThresholds.HEAP_NOISE_BYTES_PER_MINUTE;
        Double minutesLeft = null;
        String exhaustionAt = null;
        if (growing && maxHeap > 0) {
            double minutes = LinearProjection.minutesUntil(live.last(), fit.slopePerMinute(), maxHeap);
            if (Double.isFinite(minutes)) {
                minutesLeft = round(minutes);
                long lastMillis = window.epochMillis(window.points() - 1);
                exhaustionAt = Instant.ofEpochMilli(lastMillis + (long) (minutes * 60_000))
                        .toString();
            }
        }
        String summary = growing
                ? Wording.heapGrowing(fit.slopePerMinute(), minutesLeft)
                : Wording.heapNotGrowing((long) live.last());
        return RuleResult.heap(
                ID,
                new HeapSummary(
                        source,
                        (long) live.last(),
                        (long) live.first(),
                        maxHeap,
                        round(fit.slopePerMinute()),
                        round(confidence),
                        growing,
                        minutesLeft,
                        exhaustionAt,
                        summary),
                true);
    }
}
