package dev.leakwatch.analyzer.report.html;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.Wording;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart of values over time as inline SVG: a series drawn as one path with a point per snapshot (unknown values
 * left out), and what explains it: the fitted trend, a limit (the maximum heap), markers (growing since, projected
 * exhaustion), the warm-up shaded. Axes in the units people read: bytes or counts, clock time in UTC.
 */
final class LineChart {
    private static final int MARGIN_LEFT = 64;
    private static final int MARGIN_RIGHT = 16;
    private static final int MARGIN_TOP = 14;
    private static final int MARGIN_BOTTOM = 22;
    private static final int Y_TICKS = 4;
    private static final int NARROW = 420;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String name;
    private final int width;
    private final int height;
    private final boolean bytes;
    private long fromMillis = Long.MAX_VALUE;
    private long toMillis = Long.MIN_VALUE;
    private boolean fromZero;
    private long warmupEndMillis = Long.MIN_VALUE;
    private final List<Line> series = new ArrayList<>();
    private final List<double[]> trends = new ArrayList<>();
    private final List<Limit> limits = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    /**
     * @param name  what the chart shows, for its accessible title and the {@code data-chart} attribute the browser
     *              test finds it by
     * @param bytes whether values are bytes (else counts)
     */
    LineChart(String name, int width, int height, boolean bytes) {
        this.name = name;
        this.width = width;
        this.height = height;
        this.bytes = bytes;
    }

    LineChart fromZero() {
        fromZero = true;
        return this;
    }

    LineChart warmupUntil(long millis) {
        warmupEndMillis = millis;
        return this;
    }

    /** Extends the time axis, e.g. to the projected exhaustion. */
    LineChart through(long millis) {
        toMillis = Math.max(toMillis, millis);
        fromMillis = Math.min(fromMillis, millis);
        return this;
    }

    LineChart series(String cssClass, long[] times, long[] values) {
        series.add(new Line(cssClass, times, values));
        for (int i = 0; i < times.length; i++) {
            if (values[i] != ReportTimeline.UNKNOWN) {
                through(times[i]);
            }
        }
        return this;
    }

    LineChart trend(long startMillis, double startValue, long endMillis, double endValue) {
        trends.add(new double[] {startMillis, startValue, endMillis, endValue});
        through(startMillis);
        return through(endMillis);
    }

    LineChart limit(String label, double value) {
        limits.add(new Limit(label, value));
        return this;
    }

    LineChart marker(String label, long millis) {
        markers.add(new Marker(label, millis));
        return this;
    }

    String render() {
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (Line line : series) {
            for (int i = 0; i < line.values.length; i++) {
                if (line.values[i] != ReportTimeline.UNKNOWN) {
                    low = Math.min(low, line.values[i]);
                    high = Math.max(high, line.values[i]);
                }
            }
        }
        for (Limit limit : limits) {
            high = Math.max(high, limit.value);
        }
        if (low > high) {
            low = 0;
            high = 1;
        }
        if (fromZero) {
            low = Math.min(0, low);
        }
        double pad = Math.max(high - low, Math.abs(high) * 0.05 + 1) * 0.08;
        double yLow = fromZero ? low : Math.max(0, low - pad);
        double yHigh = high + pad;
        if (fromMillis >= toMillis) {
            fromMillis = toMillis == Long.MIN_VALUE ? 0 : toMillis - 1000;
            toMillis = fromMillis + 1000;
        }
        Scale scale = new Scale(fromMillis, toMillis, yLow, yHigh);
        StringBuilder out = new StringBuilder(4_096);
        out.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" role=\"img\" data-chart=\"")
                .append(HtmlText.escape(name))
                .append("\"><title>")
                .append(HtmlText.escape(name))
                .append("</title>");
        if (warmupEndMillis > fromMillis) {
            double end = scale.x(Math.min(warmupEndMillis, toMillis));
            out.append("<rect class=\"warmup\" x=\"")
                    .append(MARGIN_LEFT)
                    .append("\" y=\"")
                    .append(MARGIN_TOP)
                    .append("\" width=\"")
                    .append(Svg.num(end - MARGIN_LEFT))
                    .append("\" height=\"")
                    .append(height - MARGIN_TOP - MARGIN_BOTTOM)
                    .append("\"><title>warm-up, left out of the analysis</title></rect>");
        }
        axes(out, scale, yLow, yHigh);
        for (Limit limit : limits) {
            double y = scale.y(limit.value);
            out.append("<line class=\"limit\" x1=\"")
                    .append(MARGIN_LEFT)
                    .append("\" x2=\"")
                    .append(width - MARGIN_RIGHT)
                    .append("\" y1=\"")
                    .append(Svg.num(y))
                    .append("\" y2=\"")
                    .append(Svg.num(y))
                    .append("\"/><text x=\"")
                    .append(MARGIN_LEFT + 4)
                    .append("\" y=\"")
                    .append(Svg.num(y - 4))
                    .append("\">")
                    .append(HtmlText.escape(limit.label))
                    .append("</text>");
        }
        for (Line line : series) {
            out.append("<path class=\"series ").append(line.cssClass).append("\" d=\"");
            char command = 'M';
            int points = 0;
            for (int i = 0; i < line.times.length; i++) {
                if (line.values[i] == ReportTimeline.UNKNOWN) {
                    continue;
                }
                out.append(command)
                        .append(Svg.num(scale.x(line.times[i])))
                        .append(',')
                        .append(Svg.num(scale.y(line.values[i])));
                command = 'L';
                points++;
            }
            out.append("\" data-points=\"").append(points).append("\"/>");
        }
        for (double[] trend : trends) {
            out.append("<path class=\"trend\" d=\"M")
                    .append(Svg.num(scale.x((long) trend[0])))
                    .append(',')
                    .append(Svg.num(scale.y(trend[1])))
                    .append('L')
                    .append(Svg.num(scale.x((long) trend[2])))
                    .append(',')
                    .append(Svg.num(scale.y(trend[3])))
                    .append("\"><title>fitted trend</title></path>");
        }
        // Each marker's label on a line of its own, below the limit's: two markers close together stay readable.
        int labelLine = 1;
        for (Marker marker : markers) {
            if (marker.millis < fromMillis || marker.millis > toMillis) {
                continue;
            }
            labelLine++;
            double x = scale.x(marker.millis);
            out.append("<line class=\"marker\" x1=\"")
                    .append(Svg.num(x))
                    .append("\" x2=\"")
                    .append(Svg.num(x))
                    .append("\" y1=\"")
                    .append(MARGIN_TOP)
                    .append("\" y2=\"")
                    .append(height - MARGIN_BOTTOM)
                    .append("\"/><text class=\"marker-label\" x=\"")
                    .append(Svg.num(Math.min(x + 3, width - MARGIN_RIGHT - 90)))
                    .append("\" y=\"")
                    .append(MARGIN_TOP + 12 * labelLine)
                    .append("\">")
                    .append(HtmlText.escape(marker.label))
                    .append("</text>");
        }
        return out.append("</svg>").toString();
    }

    private void axes(StringBuilder out, Scale scale, double yLow, double yHigh) {
        int bottom = height - MARGIN_BOTTOM;
        for (int tick = 0; tick <= Y_TICKS; tick++) {
            double value = yLow + (yHigh - yLow) * tick / Y_TICKS;
            double y = scale.y(value);
            out.append("<line class=\"grid\" x1=\"")
                    .append(MARGIN_LEFT)
                    .append("\" x2=\"")
                    .append(width - MARGIN_RIGHT)
                    .append("\" y1=\"")
                    .append(Svg.num(y))
                    .append("\" y2=\"")
                    .append(Svg.num(y))
                    .append("\"/><text x=\"")
                    .append(MARGIN_LEFT - 6)
                    .append("\" y=\"")
                    .append(Svg.num(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(HtmlText.escape(label(value, yHigh - yLow)))
                    .append("</text>");
        }
        out.append("<line class=\"axis\" x1=\"")
                .append(MARGIN_LEFT)
                .append("\" x2=\"")
                .append(width - MARGIN_RIGHT)
                .append("\" y1=\"")
                .append(bottom)
                .append("\" y2=\"")
                .append(bottom)
                .append("\"/>");
        long span = toMillis - fromMillis;
        // A narrow chart has room for the two ends only.
        int ticks = width < NARROW ? 1 : 2;
        String[] anchors = ticks == 1 ? new String[] {"start", "end"} : new String[] {"start", "middle", "end"};
        for (int tick = 0; tick <= ticks; tick++) {
            long millis = fromMillis + span * tick / ticks;
            out.append("<text x=\"")
                    .append(Svg.num(scale.x(millis)))
                    .append("\" y=\"")
                    .append(height - 6)
                    .append("\" text-anchor=\"")
                    .append(anchors[tick])
                    .append("\">")
                    .append(CLOCK.format(Instant.ofEpochMilli(millis)))
                    .append(tick == 0 ? " UTC" : " (+" + Wording.minutes((millis - fromMillis) / 60_000.0) + ")")
                    .append("</text>");
        }
    }

    /** A tick's value: whole counts unless the axis spans too few for whole numbers to tell the ticks apart. */
    private String label(double value, double range) {
        if (bytes) {
            return Wording.bytes(value);
        }
        return String.format(Locale.ROOT, range >= 2 * Y_TICKS ? "%,.0f" : "%,.1f", value);
    }

    private final class Scale {
        private final long from;
        private final long to;
        private final double low;
        private final double high;

        Scale(long from, long to, double low, double high) {
            this.from = from;
            this.to = to;
            this.low = low;
            this.high = high;
        }

        double x(long millis) {
            return MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) * (double) (millis - from) / (to - from);
        }

        double y(double value) {
            double clamped = Math.max(low, Math.min(high, value));
            return height - MARGIN_BOTTOM - (height - MARGIN_TOP - MARGIN_BOTTOM) * (clamped - low) / (high - low);
        }
    }

    private record Line(String cssClass, long[] times, long[] values) {}

    private record Limit(String label, double value) {}

    private record Marker(String label, long millis) {}
}
