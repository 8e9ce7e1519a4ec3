package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.steps;

import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.report.LeakReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A recording whose page has every section: two leaks with allocation paths (one of them through a class whose name
 * is markup that would run a script if it were not escaped), a candidate, a thread finding, a heap on its way to
 * exhaustion.
 */
final class HtmlFixture {
    /** A class name is any string the JVM accepts; this one would add an element and run a script if not escaped. */
    static final String CRAFTED = "com.acme.<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
            + "<script>document.body.setAttribute('data-pwned','2')</script>Evil";

    static final List<String> SESSION_FRAMES = List.of(
            "java.util.HashMap.newNode(HashMap.java:1901)",
            "com.acme.Sessions.open(Sessions.java:42)",
            "com.acme.Api.login(Api.java:17)",
            "java.lang.Thread.run(Thread.java:833)");
    static final List<String> CRAFTED_FRAMES =
            List.of(CRAFTED + ".<init>(Evil.java:1)", "com.acme.Api.<b>bold</b>(Api.java:99)");

    final SeriesTable table;
    final LeakReport report;
    final ReportTimeline timeline;

    private HtmlFixture(SeriesTable table, LeakReport report) {
        this.table = table;
        this.report = report;
        this.timeline = ReportTimelines.of(table, report);
    }

    static HtmlFixture create() {
        SyntheticRecording.Curve sessions = linear(1_000, 3_000);
        SyntheticRecording recording = SyntheticRecording.create()
                .lasting(Duration.ofMinutes(6))
                .every(Duration.ofSeconds(5))
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withObjects("com.acme.Session", 40, sessions)
                .withObjects("java.util.HashMap$Node", 32, sessions.plus(constant(30_000)))
                .withClass(
                        "byte[]",
                        sessions.times(512).plus(constant(8 * MB)).plus(noise(100 * KB, 9)),
                        sessions.plus(constant(40_000)))
                .withObjects(CRAFTED, 64, steps(500, 900, 40))
                .withClass(
                        "com.acme.RetryQueue",
                        linear(600 * KB, 60 * KB).plus(noise(250 * KB, 21)),
                        linear(6_000, 600).plus(noise(2_500, 121)))
                .withPath("com.acme.Session", SESSION_FRAMES, 1, linear(10, 30), 4 * KB, linear(2, 6), linear(5, 60))
                .withPath(
                        "byte[]",
                        List.of("com.acme.Sessions.open(Sessions.java:44)", "com.acme.Api.login(Api.java:17)"),
                        0,
                        linear(10, 20),
                        16 * KB,
                        linear(2, 6),
                        linear(5, 60))
                .withPath(CRAFTED, CRAFTED_FRAMES, 0, linear(5, 10), 4 * KB, linear(2, 6), linear(5, 60))
                .liveThreads(linear(20, 12))
                .heapMax(64 * MB);
        SeriesTable table = recording.table();
        SeriesProvenance source =
                new SeriesProvenance("/var/tmp/leakwatch/<b>orders</b>-service", table.offered(), 0, List.of(), null);
        LeakReport report = new LeakAnalyzer()
                .analyze(table, source, new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK));
        return new HtmlFixture(table, report);
    }

    String page() {
        return new HtmlReportWriter().render(report, timeline);
    }
}
