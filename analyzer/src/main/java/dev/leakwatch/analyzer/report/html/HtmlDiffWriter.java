package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.report.HistogramDiff;
import java.util.Locale;

/**
 * {@code leakwatch diff --format html}: the totals of both sides and a sortable table of the classes that changed,
 * the largest change of bytes first, with a bar for each class's share of the largest change. {@link #ROWS} rows at
 * most, which keeps the page small for histograms of tens of thousands of classes; JSON lists every class.
 */
public final class HtmlDiffWriter {
    public static final int ROWS = 500;
    private static final int BAR_WIDTH = 160;

    public String render(HistogramDiff diff) {
        StringBuilder body = new StringBuilder(64 * 1024);
        body.append("<header>\n<h1>leakwatch diff</h1>\n<p class=\"summary\" id=\"summary\">")
                .append(String.format(
                        Locale.ROOT,
                        "%,d classes changed, %,d unchanged; total %s%s, %+,d instances.",
                        diff.changes().size(),
                        diff.unchanged(),
                        diff.bytesChange() > 0 ? "+" : "",
                        Wording.bytes(diff.bytesChange()),
                        diff.instancesChange()))
                .append("</p>\n</header>\n<section class=\"card\"><table class=\"facts\">\n");
        side(body, "before", diff.before());
        side(body, "after", diff.after());
        body.append("</table></section>\n");
        long largest = diff.changes().isEmpty()
                ? 1
                : Math.max(1, Math.abs(diff.changes().get(0).bytesChange()));
        body.append("<section id=\"changes\"><h2>Classes by change of bytes</h2>\n")
                .append("<table class=\"classes sortable\"><thead><tr><th>class</th><th>bytes change</th>")
                .append("<th>instances change</th><th>bytes before</th><th>bytes after</th><th>instances after</th>")
                .append("<th>change</th></tr></thead><tbody>\n");
        int shown = Math.min(ROWS, diff.changes().size());
        for (HistogramDiff.ClassChange change : diff.changes().subList(0, shown)) {
            long delta = change.bytesChange();
            double bar = BAR_WIDTH / 2.0 * Math.abs(delta) / largest;
            body.append("<tr><td data-v=\"")
                    .append(escape(change.className()))
                    .append("\"><code>")
                    .append(escape(change.className()))
                    .append("</code></td><td data-v=\"")
                    .append(delta)
                    .append("\" class=\"")
                    .append(delta > 0 ? "up" : "down")
                    .append("\">")
                    .append(delta > 0 ? "+" : "")
                    .append(Wording.bytes(delta))
                    .append("</td><td data-v=\"")
                    .append(change.instancesChange())
                    .append("\">")
                    .append(String.format(Locale.ROOT, "%+,d", change.instancesChange()))
                    .append("</td><td data-v=\"")
                    .append(change.bytesBefore())
                    .append("\">")
                    .append(Wording.bytes(change.bytesBefore()))
                    .append("</td><td data-v=\"")
                    .append(change.bytesAfter())
                    .append("\">")
                    .append(Wording.bytes(change.bytesAfter()))
                    .append("</td><td data-v=\"")
                    .append(change.instancesAfter())
                    .append("\">")
                    .append(String.format(Locale.ROOT, "%,d", change.instancesAfter()))
                    .append("</td><td data-v=\"")
                    .append(delta)
                    .append("\"><svg class=\"bar\" viewBox=\"0 0 ")
                    .append(BAR_WIDTH)
                    .append(" 12\" width=\"")
                    .append(BAR_WIDTH)
                    .append("\" height=\"12\"><rect x=\"")
                    .append(Svg.num(delta >= 0 ? BAR_WIDTH / 2.0 : BAR_WIDTH / 2.0 - bar))
                    .append("\" y=\"1\" width=\"")
                    .append(Svg.num(Math.max(bar, 0.5)))
                    .append("\" height=\"10\" fill=\"")
                    .append(delta >= 0 ? "#c0362c" : "#2f855a")
                    .append("\"/></svg></td></tr>\n");
        }
        body.append("</tbody></table>");
        if (diff.changes().size() > shown) {
            body.append(String.format(
                    Locale.ROOT,
                    "<p class=\"muted\">and %,d more classes with smaller changes (--format json lists them"
                            + " all)</p>",
                    diff.changes().size() - shown));
        }
        body.append("</section>\n");
        return HtmlPage.wrap("leakwatch diff", body.toString());
    }

    private static void side(StringBuilder out, String name, HistogramDiff.Side side) {
        out.append("<tr><th>")
                .append(name)
                .append("</th><td>")
                .append(escape(side.source()))
                .append(": ")
                .append(escape(side.time()))
                .append(", ")
                .append(escape(side.histogramKind()))
                .append(" histogram, ")
                .append(Wording.bytes(side.totalBytes()))
                .append(String.format(Locale.ROOT, " in %,d instances", side.totalInstances()))
                .append("</td></tr>\n");
    }
}
