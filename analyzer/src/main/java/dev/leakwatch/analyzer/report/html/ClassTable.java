package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportTimeline.ClassSeries;
import dev.leakwatch.analyzer.report.Wording;
import java.util.Locale;

/** The table of the classes that grew most, sortable by the page's script, with a sparkline of each. */
final class ClassTable {
    private ClassTable() {}

    static void write(StringBuilder out, ReportTimeline timeline) {
        if (timeline.growers().isEmpty()) {
            return;
        }
        int last = timeline.points() - 1;
        out.append("<section id=\"classes\">\n<h2>Classes that grew most</h2>\n")
                .append("<p class=\"muted\">Over the analysed window; click a column to sort.</p>\n")
                .append("<table class=\"classes sortable\"><thead><tr><th>class</th><th>growth</th>")
                .append("<th>bytes now</th><th>instances now</th><th>bytes over time</th></tr></thead><tbody>\n");
        for (ClassSeries grower : timeline.growers()) {
            long start = firstKnown(grower.bytes(), timeline.firstAnalysed());
            long now = grower.bytes()[last];
            long growth = start == ReportTimeline.UNKNOWN ? 0 : now - start;
            long instances = grower.instances()[last];
            out.append("<tr><td data-v=\"")
                    .append(escape(grower.className()))
                    .append("\"><code>")
                    .append(escape(grower.className()))
                    .append("</code></td><td data-v=\"")
                    .append(growth)
                    .append("\" class=\"")
                    .append(growth > 0 ? "up" : growth < 0 ? "down" : "")
                    .append("\">")
                    .append(growth > 0 ? "+" : "")
                    .append(Wording.bytes(growth))
                    .append("</td><td data-v=\"")
                    .append(now)
                    .append("\">")
                    .append(Wording.bytes(now))
                    .append("</td><td data-v=\"")
                    .append(instances)
                    .append("\">")
                    .append(String.format(Locale.ROOT, "%,d", instances))
                    .append("</td><td data-v=\"")
                    .append(growth)
                    .append("\">")
                    .append(Sparkline.svg(grower.bytes()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody></table></section>\n");
    }

    private static long firstKnown(long[] values, int from) {
        for (int i = from; i < values.length; i++) {
            if (values[i] != ReportTimeline.UNKNOWN) {
                return values[i];
            }
        }
        return ReportTimeline.UNKNOWN;
    }
}
