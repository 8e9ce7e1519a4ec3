package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportTimeline.ClassSeries;
import dev.leakwatch.analyzer.report.ReportTimeline.GaugeSeries;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code leak-report.html}: the report as one self-contained page that answers at a glance whether there is a leak,
 * what, how fast, since when, who allocates it and when the heap runs out. This class puts the page together: the
 * verdict and the run's facts, then {@link HeapSection}, {@link SuspectSection}, the candidates and JVM gauges as small
 * charts, and {@link ClassTable}. Charts are inline SVG drawn by our code ({@link LineChart}, {@link FlameGraph},
 * {@link Sparkline}); nothing is loaded from anywhere, so the page opens on an
 * air-gapped machine and can be attached to a ticket. Every string from the observed JVM passes through
 * {@link HtmlText#escape}, and the page's Content-Security-Policy runs no script but its own.
 *
 * <p>The page is the report's figures ({@link LeakReport}) and the series behind them ({@link ReportTimeline}); without
 * a timeline it shows the figures alone.
 */
public final class HtmlReportWriter {
    // In this package, strings joined only on some paths use String.concat, not '+': in the agent, the first run of
    // each '+' links a call site (hidden classes in the host's heap), and a path that the start-up prewarm did not
    // take would link one after the first reports, which AgentFootprintIT forbids.
    public static final String FILE_NAME = "leak-report.html";

    private static final int CANDIDATES_SHOWN = 8;

    public String render(LeakReport report, ReportTimeline timeline) {
        return render(report, timeline, null);
    }

    /** @param agentOptions the agent's options as it takes them, shown among the run's facts; null offline */
    public String render(LeakReport report, ReportTimeline timeline, String agentOptions) {
        StringBuilder body = new StringBuilder(64 * 1024);
        header(body, report);
        facts(body, report, agentOptions);
        HeapSection.write(body, report, timeline);
        SuspectSection.write(body, report, timeline);
        candidates(body, report, timeline);
        findings(body, report, timeline);
        ClassTable.write(body, timeline);
        warnings(body, report);
        return HtmlPage.wrap(
                "leakwatch: " + report.verdict().wireName() + " \u2014 " + report.source(), body.toString());
    }

    private static void header(StringBuilder out, LeakReport report) {
        out.append("<header>\n<h1>leakwatch report</h1>\n<p><span id=\"verdict\" class=\"verdict ")
                .append(report.verdict().wireName())
                .append("\">")
                .append(report.verdict().wireName())
                .append("</span></p>\n<p class=\"summary\" id=\"summary\">")
                .append(escape(report.summary()))
                .append(' ')
                .append(escape(report.heap().summary()))
                .append(".</p>\n</header>\n");
    }

    private static void facts(StringBuilder out, LeakReport report, String agentOptions) {
        SnapshotSummary snapshots = report.snapshots();
        AgentSummary agent = report.agent();
        out.append("<section class=\"card\" id=\"facts\"><table class=\"facts\">\n");
        fact(out, "recording", escape(report.source()));
        fact(
                out,
                "JVM",
                (snapshots.jvm() == null ? "unknown" : escape(snapshots.jvm()))
                        + (snapshots.pid() == null ? "" : ", pid " + snapshots.pid()));
        fact(
                out,
                "span",
                escape(Wording.minutes(snapshots.spanSeconds() / 60))
                        + (snapshots.first() == null
                                ? ""
                                : ", " + escape(snapshots.first()) + " to " + escape(snapshots.last())));
        fact(
                out,
                "snapshots",
                snapshots.count() + " (" + snapshots.analysedPoints() + " analysed after a warm-up of "
                        + escape(Wording.minutes(snapshots.warmupSeconds() / 60)) + ", "
                        + escape(snapshots.warmupRule()) + "); " + snapshots.recordsRead() + " records read"
                        + (snapshots.skippedRecords() > 0 ? ", " + snapshots.skippedRecords() + " skipped" : ""));
        fact(
                out,
                "agent cost",
                String.format(
                                Locale.ROOT,
                                "%.1f s in snapshots (%.2f%% of wall time), newest histogram: ",
                                agent.snapshotSecondsTotal(),
                                agent.overheadPercent())
                        + escape(String.valueOf(agent.histogramMode()))
                        + (agent.suppressedErrors() == null
                                ? ""
                                : ", agent errors survived: " + agent.suppressedErrors()));
        AgentSummary.AllocationTracking tracking = agent.allocationTracking();
        fact(
                out,
                "allocation sampling",
                tracking == null
                        ? "off: no allocation paths"
                        : escape(tracking.sampler().name().toLowerCase(Locale.ROOT)) + " sampler, interval "
                                + tracking.samplingInterval() + ", " + tracking.trackedSamples() + " samples tracked"
                                + " (cap " + tracking.capacity() + ")");
        if (agentOptions != null) {
            fact(out, "agent options", "<code>" + escape(agentOptions) + "</code>");
        }
        if (agent.note() != null) {
            fact(out, "note", escape(agent.note()));
        }
        fact(out, "generated", escape(report.generatedAt()));
        out.append("</table></section>\n");
    }

    private static void fact(StringBuilder out, String name, String html) {
        out.append("<tr><th>").append(name).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static void candidates(StringBuilder out, LeakReport report, ReportTimeline timeline) {
        if (report.candidates().isEmpty()) {
            return;
        }
        out.append(
                "<section id=\"candidates\">\n<h2>Weaker candidates (not suspects)</h2>\n<div class=\"charts small\">");
        for (Suspect candidate : report.candidates()
                .subList(0, Math.min(CANDIDATES_SHOWN, report.candidates().size()))) {
            out.append("<figure class=\"candidate\">");
            ClassSeries group = timeline.group(candidate.className());
            if (group != null) {
                out.append(Charts.group(
                                "retained bytes of candidate ".concat(candidate.className()),
                                group.bytes(),
                                true,
                                candidate.growthBytesPerMinute(),
                                null,
                                timeline,
                                Charts.SMALL_WIDTH,
                                Charts.SMALL_HEIGHT)
                        .render());
            }
            out.append("<figcaption><code>")
                    .append(escape(candidate.className()))
                    .append("</code> ")
                    .append(Wording.bytes(candidate.growthBytesPerMinute()))
                    .append("/min, confidence ")
                    .append(String.format(Locale.ROOT, "%.2f", candidate.confidence()))
                    .append(": ")
                    .append(escape(candidate.explanation()))
                    .append("</figcaption></figure>");
        }
        out.append("</div></section>\n");
    }

    private static void findings(StringBuilder out, LeakReport report, ReportTimeline timeline) {
        out.append("<section id=\"jvm\">\n<h2>JVM</h2>\n");
        for (GaugeFinding finding : report.findings()) {
            out.append("<p class=\"finding\"><b>")
                    .append(escape(finding.kind()))
                    .append("</b>: ")
                    .append(escape(finding.summary()))
                    .append(String.format(Locale.ROOT, " (confidence %.2f). ", finding.confidence()))
                    .append(escape(finding.explanation()))
                    .append("</p>\n");
        }
        if (report.findings().isEmpty()) {
            out.append("<p class=\"muted\">No steady growth of loaded classes, threads or direct memory.</p>\n");
        }
        out.append("<div class=\"charts small\">");
        for (GaugeSeries gauge : timeline.gauges()) {
            if (Arrays.stream(gauge.values()).allMatch(value -> value == ReportTimeline.UNKNOWN)) {
                continue;
            }
            LineChart chart = new LineChart(
                            gauge.title(), Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT, "bytes".equals(gauge.unit()))
                    .series("gauge", timeline.epochMillis(), gauge.values());
            Charts.warmup(chart, timeline);
            out.append("<figure>")
                    .append(chart.render())
                    .append("<figcaption>")
                    .append(escape(gauge.title()))
                    .append("</figcaption></figure>");
        }
        out.append("</div></section>\n");
    }

    private static void warnings(StringBuilder out, LeakReport report) {
        if (report.warnings().isEmpty()) {
            return;
        }
        out.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul class=\"warnings\">");
        for (String warning : report.warnings()) {
            out.append("<li>").append(escape(warning)).append("</li>");
        }
        out.append("</ul></section>\n");
    }
}
