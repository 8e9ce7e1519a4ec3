package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportTimeline.ClassSeries;
import dev.leakwatch.analyzer.report.ReportTimeline.GaugeSeries;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code leak-report.html}: the report as one self-contained page that answers at a glance whether there is a leak,
 * what, how fast, since when, who allocates it and when the heap runs out. Charts are inline SVG drawn here
 * ({@link LineChart}, {@link FlameGraph}, {@link Sparkline}); nothing is loaded from anywhere, so the page opens on an
 * air-gapped machine and can be attached to a ticket. Every string from the observed JVM passes through
 * {@link HtmlText#escape}, and the page's Content-Security-Policy runs no script but its own.
 *
 * <p>The page is the report's figures ({@link LeakReport}) and the series behind them ({@link ReportTimeline}); without
 * a timeline it shows the figures alone.
 */
public final class HtmlReportWriter {
    // Strings joined only on some paths use String.concat, not '+': in the agent, the first run of each '+' links a
    // call site (hidden classes in the host's heap), and a path that the start-up prewarm did not take would link one
    // after the first reports, which AgentFootprintIT forbids.
    public static final String FILE_NAME = "leak-report.html";

    private static final int SUSPECT_CHART_WIDTH = 520;
    private static final int SUSPECT_CHART_HEIGHT = 200;
    private static final int SMALL_CHART_WIDTH = 340;
    private static final int SMALL_CHART_HEIGHT = 150;

    private static final int CANDIDATES_SHOWN = 8;
    /**
     * Flame graph frames on one page, shared by its suspects: a frame is about 250 bytes, so this keeps the graphs
     * to about 400 KB of a page that must stay under 1 MB ({@code HtmlReportSizeTest}).
     */
    private static final int FRAMES_PER_PAGE = 1_600;
    /** Fewer frames than this would leave a graph unreadable; with many suspects, the page may grow past the budget. */
    private static final int MIN_FRAMES_PER_GRAPH = 200;

    public String render(LeakReport report, ReportTimeline timeline) {
        return render(report, timeline, null);
    }

    /** @param agentOptions the agent's options as it takes them, shown among the run's facts; null offline */
    public String render(LeakReport report, ReportTimeline timeline, String agentOptions) {
        StringBuilder body = new StringBuilder(64 * 1024);
        header(body, report);
        facts(body, report, agentOptions);
        heap(body, report, timeline);
        suspects(body, report, timeline);
        candidates(body, report, timeline);
        findings(body, report, timeline);
        growers(body, timeline);
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

    private static void heap(StringBuilder out, LeakReport report, ReportTimeline timeline) {
        HeapSummary heap = report.heap();
        out.append("<section id=\"heap\">\n<h2>Heap: live set after GC</h2>\n<div class=\"charts\">");
        Instant exhaustion = instant(heap.projectedExhaustionAt());
        if (timeline.points() > 0) {
            long[] times = timeline.epochMillis();
            long last = times[times.length - 1];
            LineChart measured = new LineChart("heap live set", SUSPECT_CHART_WIDTH, SUSPECT_CHART_HEIGHT, true)
                    .series("heap", times, timeline.heapLive());
            warmup(measured, timeline);
            boolean trend = heap.growing() && timeline.firstAnalysed() < times.length;
            // The rule projects from the newest live set at the fitted slope: the lines do the same.
            double perMilli = heap.growthBytesPerMinute() / 60_000.0;
            double now = heap.liveBytesNow();
            long start = trend ? times[timeline.firstAnalysed()] : last;
            if (trend) {
                measured.trend(start, now - perMilli * (last - start), last, now);
            }
            out.append("<figure>")
                    .append(measured.render())
                    .append("<figcaption>the live set as measured, with its fitted trend (dashed)")
                    .append(timeline.firstAnalysed() > 0 ? "; the grey band is the warm-up" : "")
                    .append("</figcaption></figure>");
            if (heap.maxHeapBytes() > 0) {
                LineChart projection = new LineChart("heap projection", SUSPECT_CHART_WIDTH, SUSPECT_CHART_HEIGHT, true)
                        .fromZero()
                        .series("heap", times, timeline.heapLive())
                        .limit("-Xmx ".concat(Wording.bytes(heap.maxHeapBytes())), heap.maxHeapBytes());
                if (trend && exhaustion != null) {
                    long end = exhaustion.toEpochMilli();
                    projection
                            .trend(start, now - perMilli * (last - start), end, now + perMilli * (end - last))
                            .marker(
                                    "full ~"
                                            .concat(exhaustion.toString().substring(11, 16))
                                            .concat(" UTC"),
                                    end)
                            .marker("now", last);
                }
                out.append("<figure>")
                        .append(projection.render())
                        .append("<figcaption>")
                        .append(
                                trend && exhaustion != null
                                        ? "at this rate the live set reaches -Xmx at "
                                                .concat(escape(exhaustion.toString()))
                                        : "against -Xmx: not on its way to it")
                        .append("</figcaption></figure>");
            }
        }
        out.append("</div><p>")
                .append(escape(heap.summary()))
                .append(". Live set from ")
                .append(escape(heap.liveSetSource()))
                .append(".</p>\n</section>\n");
    }

    private static void suspects(StringBuilder out, LeakReport report, ReportTimeline timeline) {
        out.append("<section id=\"suspects\">\n<h2>Leak suspects</h2>\n");
        if (report.suspects().isEmpty()) {
            out.append("<p class=\"muted\">None.</p>\n");
        }
        int framesPerGraph = Math.max(
                MIN_FRAMES_PER_GRAPH,
                FRAMES_PER_PAGE / Math.max(1, report.suspects().size()));
        for (Suspect suspect : report.suspects()) {
            suspect(out, suspect, timeline, framesPerGraph);
        }
        out.append("</section>\n");
    }

    private static void suspect(StringBuilder out, Suspect suspect, ReportTimeline timeline, int framesPerGraph) {
        String severity = suspect.severity().wireName();
        out.append("<article class=\"card suspect\" id=\"suspect-")
                .append(suspect.rank())
                .append("\">\n<h3>#")
                .append(suspect.rank())
                .append(' ')
                .append("<code class=\"class-name\">")
                .append(escape(suspect.className()))
                .append("</code></h3>\n<p>grows <b>")
                .append(Wording.bytes(suspect.growthBytesPerMinute()))
                .append("/min</b>, ")
                .append(String.format(Locale.ROOT, "%,.0f", suspect.growthInstancesPerMinute()))
                .append(" instances/min; now ")
                .append(Wording.bytes(suspect.liveBytes()))
                .append(" in ")
                .append(String.format(Locale.ROOT, "%,d", suspect.liveInstances()))
                .append(" instances; growing since ")
                .append(escape(String.valueOf(suspect.firstSeenGrowing())))
                .append("; <span class=\"conf ")
                .append(severity)
                .append("\">confidence ")
                .append(String.format(Locale.ROOT, "%.2f", suspect.confidence()))
                .append(" (")
                .append(severity)
                .append(")</span></p>\n<p class=\"why\">")
                .append(escape(suspect.explanation()))
                .append("</p>\n");
        ClassSeries group = timeline.group(suspect.className());
        if (group != null) {
            out.append("<div class=\"charts\"><figure>");
            out.append(groupChart(
                            "retained bytes of " + suspect.className(),
                            group.bytes(),
                            true,
                            suspect.growthBytesPerMinute(),
                            suspect.firstSeenGrowing(),
                            timeline,
                            SUSPECT_CHART_WIDTH,
                            SUSPECT_CHART_HEIGHT)
                    .render());
            out.append("<figcaption>retained bytes of the group, with its trend</figcaption></figure><figure>");
            out.append(groupChart(
                                    "instances of " + suspect.className(),
                                    group.instances(),
                                    false,
                                    suspect.growthInstancesPerMinute(),
                                    suspect.firstSeenGrowing(),
                                    timeline,
                                    SUSPECT_CHART_WIDTH,
                                    SUSPECT_CHART_HEIGHT)
                            .render()
                            .replace("class=\"series ", "class=\"series instances "))
                    .append("<figcaption>instances of ")
                    .append(escape(suspect.className()))
                    .append("</figcaption></figure></div>\n");
        }
        if (!suspect.relatedClasses().isEmpty()) {
            out.append("<p>Growing with it:</p><ul class=\"related\">");
            for (RelatedClass related : suspect.relatedClasses()) {
                out.append("<li><code>")
                        .append(escape(related.className()))
                        .append("</code> ")
                        .append(Wording.bytes(related.growthBytesPerMinute()))
                        .append("/min, ")
                        .append(Wording.bytes(related.liveBytes()))
                        .append(" now</li>");
            }
            out.append("</ul>\n");
        }
        // Where the retention chain (what holds the group, from a GC root) goes once reports carry it (`retainedBy`).
        out.append("<div class=\"retention\" data-retention-for=\"")
                .append(suspect.rank())
                .append("\">Retention chain: not recorded in this report.</div>\n");
        sites(out, suspect);
        String flame = FlameGraph.svg(timeline.flame(suspect.className()), framesPerGraph);
        if (flame != null) {
            out.append("<figure class=\"flame-graph\">")
                    .append(flame)
                    .append("<figcaption class=\"legend\">Live sampled bytes by allocation path, outermost frame on"
                            + " top; click a frame to zoom, the top one to zoom out.")
                    .append("<span class=\"app\"></span>application frame<span class=\"lib\"></span>library")
                    .append("<span class=\"jdk\"></span>JDK<span class=\"alloc\"></span>allocated type")
                    .append("</figcaption></figure>\n");
        }
        out.append("</article>\n");
    }

    private static void sites(StringBuilder out, Suspect suspect) {
        if (suspect.allocationSites().isEmpty()) {
            return;
        }
        out.append("<p>Allocated at:</p><ul class=\"sites\">");
        for (AllocationSite site : suspect.allocationSites()) {
            out.append("<li><code>")
                    .append(escape(site.keyFrame()))
                    .append("</code>: ")
                    .append(String.format(Locale.ROOT, "%.0f%%", site.share() * 100))
                    .append(" of the tracked growth, +")
                    .append(Wording.bytes(site.growthBytesPerMinute()))
                    .append("/min, ")
                    .append(escape(String.join(", ", site.allocatedTypes())))
                    .append("</li>");
        }
        out.append("</ul>\n");
    }

    private static LineChart groupChart(
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
    private static double[] theilSenLine(long[] times, long[] values, int first, double slopePerMinute) {
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
                out.append(groupChart(
                                "retained bytes of candidate ".concat(candidate.className()),
                                group.bytes(),
                                true,
                                candidate.growthBytesPerMinute(),
                                null,
                                timeline,
                                SMALL_CHART_WIDTH,
                                SMALL_CHART_HEIGHT)
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
                            gauge.title(), SMALL_CHART_WIDTH, SMALL_CHART_HEIGHT, "bytes".equals(gauge.unit()))
                    .series("gauge", timeline.epochMillis(), gauge.values());
            warmup(chart, timeline);
            out.append("<figure>")
                    .append(chart.render())
                    .append("<figcaption>")
                    .append(escape(gauge.title()))
                    .append("</figcaption></figure>");
        }
        out.append("</div></section>\n");
    }

    private static void growers(StringBuilder out, ReportTimeline timeline) {
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

    private static void warmup(LineChart chart, ReportTimeline timeline) {
        if (timeline.firstAnalysed() > 0 && timeline.firstAnalysed() < timeline.points()) {
            chart.warmupUntil(timeline.epochMillis()[timeline.firstAnalysed()]);
        }
    }

    private static Instant instant(String text) {
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
