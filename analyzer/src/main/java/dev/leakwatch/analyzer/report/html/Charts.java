package dev.leakwatch.analyzer.report.html;

import dev.leakwatch.analyzer.report.ReportTimeline;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/** The charts of a class group over time (a suspect's, a candidate's) with its trend, and what the sections share. */
final class Charts {
    static final int WIDE = 520;
    static final int TALL = 200;
    static final int SMALL_WIDTH = 340;
    static final int SMALL_HEIGHT = 150;

    private Charts() {}

    static LineChart group(
            String name,
            long[] values,
            boolean bytes,
            double slopePerMinute,
            String growingSince,
            ReportTimeline timeline,
            int width,
            int height) {
        long[] times = timeline.epochMillis();
        LineChart chart = new LineChart(name, width, height, bytes).series("", times, values);
        warmup(chart, timeline);
        double[] line = theilSenLine(times, values, timeline.firstAnalysed(), slopePerMinute);
        if (line != null) {
            // Drawn where the series has values: a class tracked late has none at the window's start.
            long origin = times[timeline.firstAnalysed()];
            long start = times[(int) line[2]];
            long end = times[times.length - 1];
            chart.trend(start, line[0] + line[1] * (start - origin), end, line[0] + line[1] * (end - origin));
        }
        Instant since = instant(growingSince);
        if (since != null) {
            chart.marker("growing since", since.toEpochMilli());
        }
        return chart;
    }

    /**
     * The trend line of a reported slope: its intercept is the median of {@code value - slope * time} over the analysed
     * points, as Theil-Sen's is, so the line passes through the middle of the points the analysis fitted.
     *
     * @return {value at the first analysed point, slope per millisecond, index of the first known analysed point}, or
     *     null without known points
     */
    static double[] theilSenLine(long[] times, long[] values, int first, double slopePerMinute) {
        if (first >= times.length) {
            return null;
        }
        double perMilli = slopePerMinute / 60_000.0;
        double[] offsets = new double[times.length - first];
        int n = 0;
        int firstKnown = -1;
        for (int i = first; i < times.length; i++) {
            if (values[i] != ReportTimeline.UNKNOWN) {
                offsets[n++] = values[i] - perMilli * (times[i] - times[first]);
                firstKnown = firstKnown < 0 ? i : firstKnown;
            }
        }
        if (n == 0) {
            return null;
        }
        double[] known = Arrays.copyOf(offsets, n);
        Arrays.sort(known);
        double median = n % 2 == 1 ? known[n / 2] : (known[n / 2 - 1] + known[n / 2]) / 2;
        return new double[] {median, perMilli, firstKnown};
    }

    static void warmup(LineChart chart, ReportTimeline timeline) {
        if (timeline.firstAnalysed() > 0 && timeline.firstAnalysed() < timeline.points()) {
            chart.warmupUntil(timeline.epochMillis()[timeline.firstAnalysed()]);
        }
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
