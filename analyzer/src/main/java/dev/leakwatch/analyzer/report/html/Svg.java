package dev.leakwatch.analyzer.report.html;

import java.util.Locale;

/** Numbers as the page's SVG writes them: one decimal, no exponent, so that a path stays short and readable. */
final class Svg {
    private Svg() {}

    static String num(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        long tenths = Math.round(value * 10);
        if (tenths % 10 == 0) {
            return Long.toString(tenths / 10);
        }
        return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
