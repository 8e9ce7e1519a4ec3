package dev.leakwatch.analyzer.report;

import static dev.leakwatch.analyzer.report.TerminalText.safe;

import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report in a terminal's width: the verdict, the heap and one line per suspect with a sparkline of its retained
 * bytes, then where the HTML page is. Every line keeps to {@link #COLUMNS} columns (long names are shortened in the
 * middle, where a package is less telling than the class), except a file path too long for it, which is printed
 * whole on a line of its own since a shortened path could not be opened. Strings from the observed JVM pass through
 * {@link TerminalText#safe} before they are measured.
 */
public final class TerminalSummaryWriter {
    public static final int COLUMNS = 100;
    static final int SPARK_WIDTH = 20;
    private static final int NAME_WIDTH = 36;
    private static final int CANDIDATES_SHOWN = 3;
    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    /** @param htmlPage where the page was written, or null when it was not */
    public String render(LeakReport report, ReportTimeline timeline, String htmlPage) {
        List<String> lines = new ArrayList<>();
        lines.add(fit("leakwatch: " + report.verdict().wireName() + ". " + safe(report.summary()), COLUMNS));
        lines.add(fit(
                String.format(
                        Locale.ROOT,
                        "%d snapshots over %s, %d analysed; source %s",
                        report.snapshots().count(),
                        Wording.minutes(report.snapshots().spanSeconds() / 60),
                        report.snapshots().analysedPoints(),
                        safe(report.source())),
                COLUMNS));
        HeapSummary heap = report.heap();
        lines.add(fit(
                String.format(
                        Locale.ROOT,
                        "%-39s  %s  %s%s",
                        "heap live set",
                        sparkline(timeline.heapLive()),
                        Wording.bytes(heap.liveBytesNow()),
                        heap.maxHeapBytes() > 0 ? " of " + Wording.bytes(heap.maxHeapBytes()) : ""),
                COLUMNS));
        lines.add(fit("    " + safe(heap.summary()), COLUMNS));
        for (Suspect suspect : report.suspects()) {
            lines.add(row("#" + suspect.rank(), suspect, timeline)
                    + String.format(
                            Locale.ROOT,
                            "  %.2f %s",
                            suspect.confidence(),
                            suspect.severity().wireName()));
            if (!suspect.allocationSites().isEmpty()) {
                AllocationSite top = suspect.allocationSites().get(0);
                lines.add(fit("    allocated at " + safe(top.keyFrame()), COLUMNS));
            }
        }
        List<Suspect> candidates = report.candidates()
                .subList(0, Math.min(CANDIDATES_SHOWN, report.candidates().size()));
        for (Suspect candidate : candidates) {
            lines.add(row("~", candidate, timeline)
                    + String.format(Locale.ROOT, "  %.2f (weak)", candidate.confidence()));
        }
        for (GaugeFinding finding : report.findings()) {
            lines.add(fit("[" + finding.kind() + "] " + safe(finding.summary()), COLUMNS));
        }
        if (htmlPage != null) {
            String page = "HTML report: " + safe(htmlPage);
            if (page.length() <= COLUMNS) {
                lines.add(page);
            } else {
                lines.add("HTML report:");
                lines.add(safe(htmlPage));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** {@code #1 com.acme.Session   ▁▂▃▅▆█  +2.1 MB/min   4.1 MB}: 80 columns, the caller appends up to 20. */
    private static String row(String mark, Suspect suspect, ReportTimeline timeline) {
        ReportTimeline.ClassSeries group = timeline.group(suspect.className());
        String spark = group == null ? " ".repeat(SPARK_WIDTH) : sparkline(group.bytes());
        return String.format(
                Locale.ROOT,
                "%-3s%-" + NAME_WIDTH + "s  %s  %12s %9s",
                mark,
                shorten(safe(suspect.className()), NAME_WIDTH),
                spark,
                "+" + Wording.bytes(suspect.growthBytesPerMinute()) + "/min",
                Wording.bytes(suspect.liveBytes()));
    }

    /**
     * A series in {@link #SPARK_WIDTH} characters of eight heights, the mean of each stretch of points, scaled between
     * the lowest and highest; blank where a stretch has no known value.
     */
    static String sparkline(long[] values) {
        double[] buckets = new double[SPARK_WIDTH];
        boolean[] known = new boolean[SPARK_WIDTH];
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (int bucket = 0; bucket < SPARK_WIDTH; bucket++) {
            int from = (int) ((long) bucket * values.length / SPARK_WIDTH);
            int to = (int) ((long) (bucket + 1) * values.length / SPARK_WIDTH);
            double sum = 0;
            int count = 0;
            for (int i = from; i < Math.max(to, Math.min(from + 1, values.length)); i++) {
                if (values[i] != ReportTimeline.UNKNOWN) {
                    sum += values[i];
                    count++;
                }
            }
            if (count > 0) {
                buckets[bucket] = sum / count;
                known[bucket] = true;
                low = Math.min(low, buckets[bucket]);
                high = Math.max(high, buckets[bucket]);
            }
        }
        StringBuilder out = new StringBuilder(SPARK_WIDTH);
        for (int bucket = 0; bucket < SPARK_WIDTH; bucket++) {
            if (!known[bucket]) {
                out.append(' ');
                continue;
            }
            int level = high > low ? (int) Math.round((buckets[bucket] - low) / (high - low) * (BARS.length - 1)) : 0;
            out.append(BARS[level]);
        }
        return out.toString();
    }

    /** Shortens in the middle: {@code com.acme.very.long.pack…ge.SessionCache}. */
    static String shorten(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        int tail = (width - 1) * 2 / 3;
        int head = width - 1 - tail;
        return text.substring(0, head) + "…" + text.substring(text.length() - tail);
    }

    private static String fit(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }
}
