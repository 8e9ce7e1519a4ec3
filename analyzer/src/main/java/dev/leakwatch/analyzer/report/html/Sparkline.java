package dev.leakwatch.analyzer.report.html;

import dev.leakwatch.analyzer.report.ReportTimeline;

/** A word-sized chart for a table cell: one path, a point per snapshot, no axes. */
final class Sparkline {
    static final int WIDTH = 120;
    static final int HEIGHT = 22;

    private Sparkline() {}

    static String svg(long[] values) {
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        int known = 0;
        for (long value : values) {
            if (value != ReportTimeline.UNKNOWN) {
                low = Math.min(low, value);
                high = Math.max(high, value);
                known++;
            }
        }
        StringBuilder out = new StringBuilder(values.length * 10 + 128)
                .append("<svg class=\"sparkline\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(HEIGHT)
                .append("\">");
        if (known > 0) {
            double range = Math.max(1, high - low);
            double step = values.length > 1 ? (WIDTH - 2.0) / (values.length - 1) : 0;
            out.append("<path class=\"spark\" d=\"");
            char command = 'M';
            for (int i = 0; i < values.length; i++) {
                if (values[i] == ReportTimeline.UNKNOWN) {
                    continue;
                }
                double y = HEIGHT - 2 - (HEIGHT - 4) * (values[i] - low) / range;
                out.append(command).append(Svg.num(1 + i * step)).append(',').append(Svg.num(y));
                command = 'L';
            }
            out.append("\"/>");
        }
        return out.append("</svg>").toString();
    }
}
