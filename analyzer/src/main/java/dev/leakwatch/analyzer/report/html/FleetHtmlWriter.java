package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.fleet.FleetReport;
import java.util.Locale;

/**
 * The fleet view as a page ({@code analyze DIR1 DIR2 ... --format html}): each leak once by its fingerprint, with a
 * bar per replica for its growth there, so that one leak in many replicas reads as one row; then the replicas. The
 * same self-contained page as the single report ({@link HtmlPage}): nothing loaded, every name escaped.
 */
public final class FleetHtmlWriter {
    private static final int BAR_WIDTH = 160;

    public String render(FleetReport report) {
        StringBuilder body = new StringBuilder(16 * 1024);
        long shared = report.leaks().stream()
                .filter(leak -> leak.sightings().size() > 1)
                .count();
        body.append("<header>\n<h1>leakwatch fleet report</h1>\n<p class=\"summary\" id=\"summary\">")
                .append(String.format(
                        Locale.ROOT,
                        "%,d %s over %,d recordings, %,d of them in more than one.",
                        report.leaks().size(),
                        report.leaks().size() == 1 ? "leak" : "leaks",
                        report.replicas().size(),
                        shared))
                .append("</p>\n</header>\n");
        body.append("<section id=\"leaks\"><h2>Leaks by fingerprint</h2>\n");
        for (FleetReport.Leak leak : report.leaks()) {
            leak(body, leak, report.replicas().size());
        }
        body.append("</section>\n<section id=\"replicas\"><h2>Recordings</h2>\n")
                .append("<table class=\"classes sortable\"><thead><tr><th>recording</th><th>verdict</th>")
                .append("<th>suspects</th><th>pid</th><th>from</th><th>to</th></tr></thead><tbody>\n");
        for (FleetReport.Replica replica : report.replicas()) {
            body.append("<tr><td data-v=\"")
                    .append(escape(replica.name()))
                    .append("\"><code>")
                    .append(escape(replica.name()))
                    .append("</code></td><td data-v=\"")
                    .append(escape(replica.verdict()))
                    .append("\">")
                    .append(escape(replica.verdict()))
                    .append("</td><td data-v=\"")
                    .append(replica.suspects())
                    .append("\">")
                    .append(replica.suspects())
                    .append("</td><td data-v=\"")
                    .append(replica.pid() == null ? "" : replica.pid().toString())
                    .append("\">")
                    .append(replica.pid() == null ? "-" : replica.pid().toString())
                    .append("</td><td>")
                    .append(replica.first() == null ? "-" : escape(replica.first()))
                    .append("</td><td>")
                    .append(replica.last() == null ? "-" : escape(replica.last()))
                    .append("</td></tr>\n");
        }
        body.append("</tbody></table></section>\n");
        return HtmlPage.wrap("leakwatch fleet report", body.toString());
    }

    private static void leak(StringBuilder body, FleetReport.Leak leak, int replicas) {
        boolean suspect = leak.kind().equals("retained-growth");
        body.append("<article class=\"card leak\" id=\"leak-")
                .append(escape(leak.fingerprint()))
                .append("\"><h3><code class=\"fingerprint\">")
                .append(escape(leak.fingerprint()))
                .append("</code> <code>")
                .append(escape(suspect ? leak.name() : "[" + leak.kind() + "]"))
                .append("</code></h3>\n<p>")
                .append(String.format(
                        Locale.ROOT,
                        "in %,d of %,d recordings",
                        leak.sightings().size(),
                        replicas))
                .append(leak.firstSeen() == null ? "" : ", first seen " + escape(leak.firstSeen()))
                .append("</p>\n<table class=\"classes\"><thead><tr><th>recording</th><th>growth per minute</th>")
                .append("<th>now</th><th>confidence</th><th>since</th><th>growth</th></tr></thead><tbody>\n");
        double largest = leak.sightings().stream()
                .mapToDouble(sighting -> Math.abs(sighting.growthPerMinute()))
                .max()
                .orElse(1);
        for (FleetReport.Sighting sighting : leak.sightings()) {
            double bar = BAR_WIDTH * Math.abs(sighting.growthPerMinute()) / Math.max(largest, 1e-9);
            body.append("<tr><td><code>")
                    .append(escape(sighting.replica()))
                    .append("</code></td><td>")
                    .append(amount(sighting.growthPerMinute(), leak.unit()))
                    .append("</td><td>")
                    .append(amount(sighting.current(), leak.unit()))
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", sighting.confidence()))
                    .append("</td><td>")
                    .append(sighting.firstSeen() == null ? "-" : escape(sighting.firstSeen()))
                    .append("</td><td><svg class=\"bar\" viewBox=\"0 0 ")
                    .append(BAR_WIDTH)
                    .append(" 12\" width=\"")
                    .append(BAR_WIDTH)
                    .append("\" height=\"12\"><rect x=\"0\" y=\"1\" width=\"")
                    .append(Svg.num(Math.max(bar, 0.5)))
                    .append("\" height=\"10\" fill=\"#c0362c\"/></svg></td></tr>\n");
        }
        body.append("</tbody></table></article>\n");
    }

    private static String amount(double value, String unit) {
        return unit.equals("bytes") ? Wording.bytes(value) : String.format(Locale.ROOT, "%.1f %s", value, escape(unit));
    }
}
