package dev.leakwatch.analyzer.report;

import java.util.List;

/**
 * What the pictures of a report need beyond the report itself: values over time and the sampled allocation paths.
 * The HTML page draws it and the terminal summary turns it into sparklines. It is not part of {@code
 * leak-report.json}: the series would multiply the report's size, and the recording they come from is beside it.
 *
 * <p>Every series has one value per point of {@link #epochMillis}, {@link #UNKNOWN} where nothing was recorded.
 *
 * @param epochMillis   the time of each point, oldest first
 * @param firstAnalysed the first point after the warm-up
 * @param heapLive      the live set, from the same source as the report's heap section
 * @param heapMax       the maximum heap at the newest point, -1 when unknown
 * @param groups        the bytes of each suspect's and candidate's group over time, by the leading class's name
 * @param gauges        the JVM-level quantities the findings judge (loaded classes, live threads, direct memory)
 * @param growers       the classes that grew most over the analysed window, most first
 * @param flames        each suspect's sampled allocation paths that are alive at the newest point
 */
public record ReportTimeline(
        long[] epochMillis,
        int firstAnalysed,
        long[] heapLive,
        long heapMax,
        List<ClassSeries> groups,
        List<GaugeSeries> gauges,
        List<ClassSeries> growers,
        List<Flame> flames) {

    public static final long UNKNOWN = -1;

    public ReportTimeline {
        groups = List.copyOf(groups);
        gauges = List.copyOf(gauges);
        growers = List.copyOf(growers);
        flames = List.copyOf(flames);
    }

    /** A timeline without points, for a report drawn without its recording. */
    public static ReportTimeline empty() {
        return new ReportTimeline(new long[0], 0, new long[0], -1, List.of(), List.of(), List.of(), List.of());
    }

    public int points() {
        return epochMillis.length;
    }

    public ClassSeries group(String className) {
        return groups.stream()
                .filter(group -> group.className().equals(className))
                .findFirst()
                .orElse(null);
    }

    public List<FlamePath> flame(String className) {
        return flames.stream()
                .filter(flame -> flame.className().equals(className))
                .findFirst()
                .map(Flame::paths)
                .orElse(List.of());
    }

    /** Bytes and instances of a class (a group: all its members' bytes, the leader's instances) over time. */
    public record ClassSeries(String className, long[] bytes, long[] instances) {}

    /** @param kind a {@code GaugeFinding} kind: {@code class-loading}, {@code threads}, {@code direct-memory} */
    public record GaugeSeries(String kind, String title, String unit, long[] values) {}

    /** One sampled allocation path: its stack innermost first, and what its live samples stand for now. */
    public record FlamePath(String allocatedType, List<String> frames, int firstApplicationFrame, long liveBytes) {
        public FlamePath {
            frames = List.copyOf(frames);
        }
    }

    public record Flame(String className, List<FlamePath> paths) {
        public Flame {
            paths = List.copyOf(paths);
        }
    }
}
