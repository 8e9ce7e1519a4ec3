package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportTimeline.ClassSeries;
import dev.leakwatch.analyzer.report.ReportTimeline.Flame;
import dev.leakwatch.analyzer.report.ReportTimeline.FlamePath;
import dev.leakwatch.analyzer.report.ReportTimeline.GaugeSeries;
import dev.leakwatch.analyzer.rule.AllocationAttribution;
import dev.leakwatch.analyzer.rule.HeapLiveSetRule;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.Suspect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes from the analysed table what a report's pictures draw ({@link ReportTimeline}): the same points the analysis
 * looked at, so that a chart and the figures beside it agree. Bounded by the table: at most its capacity of points,
 * {@link #GROWERS} classes and {@link #FLAME_PATHS} paths per suspect, whatever the recording's length or class count
 * (the page of a two-hour recording of 5,000 classes stays under 1 MB: {@code HtmlReportSizeTest}).
 */
public final class ReportTimelines {
    /** Classes in the page's table of growers. */
    static final int GROWERS = 40;
    /** Allocation paths per flame graph, the most live bytes first; the rest would be slivers under a pixel wide. */
    static final int FLAME_PATHS = 200;

    private ReportTimelines() {}

    public static ReportTimeline of(SeriesTable table, LeakReport report) {
        int points = table.size();
        long[] times = new long[points];
        for (int point = 0; point < points; point++) {
            times[point] = table.epochMillis(point);
        }
        int firstAnalysed = Math.max(0, points - report.snapshots().analysedPoints());
        boolean poolSource =
                HeapLiveSetRule.SOURCE_POOLS_AFTER_GC.equals(report.heap().liveSetSource());
        long[] heap = new long[points];
        for (int point = 0; point < points; point++) {
            heap[point] = poolSource
                    ? table.gauge(SeriesTable.Gauge.HEAP_LIVE_AFTER_GC, point)
                    : table.histogramTotalBytes(point);
        }
        List<ClassSeries> groups = new ArrayList<>();
        List<Flame> flames = new ArrayList<>();
        for (Suspect suspect : report.suspects()) {
            groups.add(group(table, suspect));
            flames.add(new Flame(suspect.className(), flame(table, suspect)));
        }
        for (Suspect candidate : report.candidates()) {
            groups.add(group(table, candidate));
        }
        return new ReportTimeline(
                times,
                firstAnalysed,
                heap,
                report.heap().maxHeapBytes(),
                groups,
                gauges(table),
                growers(table, firstAnalysed),
                flames);
    }

    private static ClassSeries group(SeriesTable table, Suspect suspect) {
        List<String> members = new ArrayList<>();
        members.add(suspect.className());
        for (RelatedClass related : suspect.relatedClasses()) {
            members.add(related.className());
        }
        long[] bytes = new long[table.size()];
        long[] instances = new long[table.size()];
        for (int point = 0; point < table.size(); point++) {
            long sum = SeriesTable.UNKNOWN;
            for (String member : members) {
                long value = table.classBytes(member, point);
                if (value != SeriesTable.UNKNOWN) {
                    sum = (sum == SeriesTable.UNKNOWN ? 0 : sum) + value;
                }
            }
            bytes[point] = sum;
            instances[point] = table.classInstances(suspect.className(), point);
        }
        return new ClassSeries(suspect.className(), bytes, instances);
    }

    private static List<GaugeSeries> gauges(SeriesTable table) {
        return List.of(
                gauge(table, "class-loading", "loaded classes", "classes", SeriesTable.Gauge.LOADED_CLASSES),
                gauge(table, "threads", "live threads", "threads", SeriesTable.Gauge.LIVE_THREADS),
                gauge(table, "direct-memory", "direct buffer memory", "bytes", SeriesTable.Gauge.DIRECT_BUFFER_BYTES));
    }

    private static GaugeSeries gauge(SeriesTable table, String kind, String title, String unit, SeriesTable.Gauge g) {
        long[] values = new long[table.size()];
        for (int point = 0; point < table.size(); point++) {
            values[point] = table.gauge(g, point);
        }
        return new GaugeSeries(kind, title, unit, values);
    }

    /** The classes whose bytes rose most from the first analysed point (or their first known one) to the newest. */
    private static List<ClassSeries> growers(SeriesTable table, int firstAnalysed) {
        if (table.isEmpty()) {
            return List.of();
        }
        int last = table.size() - 1;
        List<Growth> growths = new ArrayList<>();
        for (String name : table.classNames()) {
            long end = table.classBytes(name, last);
            if (end == SeriesTable.UNKNOWN) {
                continue;
            }
            long start = SeriesTable.UNKNOWN;
            for (int point = firstAnalysed; point <= last && start == SeriesTable.UNKNOWN; point++) {
                start = table.classBytes(name, point);
            }
            growths.add(new Growth(name, end - start));
        }
        growths.sort(Comparator.comparingLong(Growth::bytes).reversed().thenComparing(Growth::className));
        List<ClassSeries> growers = new ArrayList<>();
        for (Growth growth : growths.subList(0, Math.min(GROWERS, growths.size()))) {
            long[] bytes = new long[table.size()];
            long[] instances = new long[table.size()];
            for (int point = 0; point < table.size(); point++) {
                bytes[point] = table.classBytes(growth.className(), point);
                instances[point] = table.classInstances(growth.className(), point);
            }
            growers.add(new ClassSeries(growth.className(), bytes, instances));
        }
        return growers;
    }

    /** The group's sampled paths alive at the newest point, leakwatch's own left out as the analysis leaves them. */
    private static List<FlamePath> flame(SeriesTable table, Suspect suspect) {
        if (!table.hasAllocations() || table.isEmpty()) {
            return List.of();
        }
        Set<String> members = new HashSet<>();
        members.add(suspect.className());
        suspect.relatedClasses().forEach(related -> members.add(related.className()));
        int last = table.size() - 1;
        List<FlamePath> paths = new ArrayList<>();
        for (String key : table.pathKeys()) {
            SiteRetention path = table.path(key);
            long bytes = table.pathBytes(key, last);
            if (bytes > 0 && members.contains(path.allocatedType()) && !AllocationAttribution.throughOwnCode(path)) {
                paths.add(new FlamePath(path.allocatedType(), path.frames(), path.firstApplicationFrame(), bytes));
            }
        }
        paths.sort(Comparator.comparingLong(FlamePath::liveBytes)
                .reversed()
                .thenComparing(path -> String.join(";", path.frames())));
        return paths.subList(0, Math.min(FLAME_PATHS, paths.size()));
    }

    private record Growth(String className, long bytes) {}
}
