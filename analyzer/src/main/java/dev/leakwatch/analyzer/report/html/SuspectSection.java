package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportTimeline.ClassSeries;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import java.util.Locale;

/**
 * One card per suspect: its figures and why, its bytes and instances over time with the trend and "growing since",
 * the classes growing with it, the place for its retention chain, where it is allocated and the flame graph.
 */
final class SuspectSection {
    /**
     * Flame graph frames on one page, shared by its suspects: a frame is about 250 bytes, so this keeps the graphs
     * to about 400 KB of a page that must stay under 1 MB ({@code HtmlReportSizeTest}).
     */
    static final int FRAMES_PER_PAGE = 1_600;
    /** Fewer frames than this would leave a graph unreadable; with many suspects, the page may grow past the budget. */
    static final int MIN_FRAMES_PER_GRAPH = 200;

    private SuspectSection() {}

    static void write(StringBuilder out, LeakReport report, ReportTimeline timeline) {
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
            out.append(Charts.group(
                            "retained bytes of " + suspect.className(),
                            group.bytes(),
                            true,
                            suspect.growthBytesPerMinute(),
                            suspect.firstSeenGrowing(),
                            timeline,
                            Charts.WIDE,
                            Charts.TALL)
                    .render());
            out.append("<figcaption>retained bytes of the group, with its trend</figcaption></figure><figure>");
            out.append(Charts.group(
                                    "instances of " + suspect.className(),
                                    group.instances(),
                                    false,
                                    suspect.growthInstancesPerMinute(),
                                    suspect.firstSeenGrowing(),
                                    timeline,
                                    Charts.WIDE,
                                    Charts.TALL)
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
        retention(out, suspect);
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

    /**
     * Who holds the group, from a GC root down to it, one reference a line as a heap-dump tool shows a path to GC
     * roots, the growing container's reference marked; every name escaped (they come from the host's heap). Reports
     * read offline carry no chains ({@code analyze} has no heap to walk), and the page says so.
     */
    private static void retention(StringBuilder out, Suspect suspect) {
        out.append("<div class=\"retention\" data-retention-for=\"")
                .append(suspect.rank())
                .append("\">");
        if (suspect.retainedBy().isEmpty()) {
            out.append("Held by: no retention chain in this report (the agent searches the running JVM for"
                    + " confirmed suspects; <code>leakwatch holders PID</code> searches now).</div>\n");
            return;
        }
        for (RetentionChain chain : suspect.retainedBy()) {
            out.append("<p>Held by ")
                    .append(escape(chain.rootKind()))
                    .append(" <code>")
                    .append(escape(chain.root()))
                    .append("</code> (")
                    .append(String.format(Locale.ROOT, "%,d", chain.objects()))
                    .append(chain.objects() == 1 ? " object" : " objects")
                    .append(" found):</p>\n<ol class=\"chain\">");
            RetentionChain.Container container = chain.container();
            for (int i = 0; i < chain.chain().size(); i++) {
                boolean grows = container != null && container.chainIndex() == i;
                out.append(grows ? "<li class=\"grows\"><code>" : "<li><code>")
                        .append(escape(chain.chain().get(i)))
                        .append("</code>");
                if (grows) {
                    out.append(" &larr; grows: <code>")
                            .append(escape(container.className()))
                            .append("</code>");
                    if (container.growthEntriesPerMinute() != null) {
                        out.append(
                                String.format(Locale.ROOT, ", %+,.0f entries/min", container.growthEntriesPerMinute()));
                    }
                }
                out.append("</li>");
            }
            out.append("<li><code>").append(escape(suspect.className())).append("</code></li></ol>\n");
        }
        out.append("</div>\n");
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
}
