package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.report.html.HtmlText.escape;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import java.time.Instant;

/**
 * The heap's section: the live set as measured with its trend, and beside it the same against {@code -Xmx} with the
 * trend carried on to when the heap would be full.
 */
final class HeapSection {
    private HeapSection() {}

    static void write(StringBuilder out, LeakReport report, ReportTimeline timeline) {
        HeapSummary heap = report.heap();
        out.append("<section id=\"heap\">\n<h2>Heap: live set after GC</h2>\n<div class=\"charts\">");
        Instant exhaustion = Charts.instant(heap.projectedExhaustionAt());
        if (timeline.points() > 0) {
            long[] times = timeline.epochMillis();
            long last = times[times.length - 1];
            LineChart measured = new LineChart("heap live set", Charts.WIDE, Charts.TALL, true)
                    .series("heap", times, timeline.heapLive());
            Charts.warmup(measured, timeline);
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
                LineChart projection = new LineChart("heap projection", Charts.WIDE, Charts.TALL, true)
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
}
