package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.analyzer.series.SeriesTable;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides how much of the start of a recording to leave out: while an application warms up, caches fill, classes
 * load and pools grow, and that growth is not a leak. By default the warm-up ends when class loading has settled,
 * the signal JMC's rules use too, but never later than {@link #MAX_FRACTION_OF_SPAN} of the recording, so that a
 * class-loader leak (whose class loading never settles) and a short run still get a verdict.
 */
public final class Warmup {
    /** The warm-up never takes more than this share of the recorded span. */
    static final double MAX_FRACTION_OF_SPAN = 0.3;
    /** Class loading has settled at a point when fewer classes than this load from there to the end... */
    static final long SETTLED_CLASSES_ABSOLUTE = 250;
    /** ...or fewer than this fraction of those loaded at that point. */
    static final double SETTLED_CLASSES_RELATIVE = 0.05;
    /** Without gauges (plain jcmd histograms) this share of the span is taken as warm-up. */
    static final double FRACTION_WITHOUT_GAUGES = 0.15;

    public static final String RULE_OPTION = "option";
    public static final String RULE_CLASS_LOADING = "class-loading-settled";
    public static final String RULE_CAPPED = "capped";
    public static final String RULE_NO_GAUGES = "share-of-span";

    private Warmup() {}

    /** @param firstPoint the first point of the analysed window */
    public record Decision(int firstPoint, double seconds, String rule) {}

    public static Decision decide(SeriesTable table, Optional<Duration> fixed) {
        if (table.size() == 0) {
            return new Decision(0, 0, fixed.isPresent() ? RULE_OPTION : RULE_CLASS_LOADING);
        }
        long start = table.epochMillis(0);
        if (fixed.isPresent()) {
            return at(table, start + fixed.get().toMillis(), RULE_OPTION);
        }
        long span = table.epochMillis(table.size() - 1) - start;
        long cap = start + (long) (span * MAX_FRACTION_OF_SPAN);
        int last = table.size() - 1;
        long loadedAtEnd = table.gauge(SeriesTable.Gauge.LOADED_CLASSES, last);
        if (loadedAtEnd == SeriesTable.UNKNOWN) {
            return at(table, start + (long) (span * FRACTION_WITHOUT_GAUGES), RULE_NO_GAUGES);
        }
        for (int point = 0; point <= last; point++) {
            long loaded = table.gauge(SeriesTable.Gauge.LOADED_CLASSES, point);
            if (loaded == SeriesTable.UNKNOWN) {
                continue;
            }
            long stillToLoad = loadedAtEnd - loaded;
            if (stillToLoad <= Math.max(SETTLED_CLASSES_ABSOLUTE, (long) (loaded * SETTLED_CLASSES_RELATIVE))) {
                if (table.epochMillis(point) > cap) {
                    break;
                }
                return at(table, table.epochMillis(point), RULE_CLASS_LOADING);
            }
        }
        return at(table, cap, RULE_CAPPED);
    }

    private static Decision at(SeriesTable table, long endMillis, String rule) {
        int point = 0;
        while (point < table.size() - 1 && table.epochMillis(point) < endMillis) {
            point++;
        }
        double seconds = (table.epochMillis(point) - table.epochMillis(0)) / 1000.0;
        return new Decision(point, seconds, rule);
    }
}
