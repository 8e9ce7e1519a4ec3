package dev.leakwatch.agent.report;

import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.report.JsonReportWriter;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.analyzer.report.html.HtmlReportWriter;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.LoaderStats;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.LeakReport;
import java.util.List;
import java.util.Optional;

/**
 * Runs the whole analysis once, at start-up, on a made-up recording that takes every path: a suspect with related
 * classes, named after the class loader among them, candidates, a class that was not tracked from the start,
 * JVM-level findings, every report format (the HTML page with its timeline too).
 *
 * <p>Why: the first time each code path of the analysis runs, the JVM loads its classes and links its lambdas and
 * string concatenations, and those classes and strings stay in the host's heap. Measured on the bounded-lru control,
 * that spread over the first 45 s of a recording was +430 loaded classes and +38 KB of {@code java.lang.String},
 * enough to read as retained growth in the very histograms the agent takes. Run before the first snapshot, it all
 * falls into the warm-up instead.
 */
final class AnalysisPrewarm {
    private static final int POINTS = 40;
    /**
     * Renders per warm-up. The report writers make no reflective calls (reflection past 15 calls makes Java 17 generate
     * an accessor class per method, which reads as a class-loader leak: AgentFootprintIT fails on any class the agent
     * loads after its first reports), so the first render links everything and the second proves it.
     */
    private static final int RENDERS = 2;

    private static final long STEP_MILLIS = 2_000;

    private AnalysisPrewarm() {}

    static LeakReport run() {
        SeriesTable table = new SeriesTable(POINTS + 8);
        for (int i = 0; i < POINTS; i++) {
            table.add(snapshot(i));
        }
        LeakReport report = new LeakAnalyzer()
                .analyze(table, new SeriesProvenance("prewarm", POINTS, 0, List.of(), 0L), AnalysisSettings.defaults());
        JsonReportWriter json = new JsonReportWriter();
        TextReportWriter text = new TextReportWriter();
        HtmlReportWriter html = new HtmlReportWriter();
        for (int i = 0; i < RENDERS; i++) {
            json.render(report);
            text.render(report);
            html.render(report, ReportTimelines.of(table, report), "output=prewarm");
        }
        return report;
    }

    private static Snapshot snapshot(int i) {
        long leak = 1_000_000L + i * 40_000L;
        long plateau = 500_000L + Math.min(i, 10) * 50_000L;
        long noisy = 300_000L + i * 1_500L + (i % 3) * 20_000L;
        // Below the table's tracking floor for the first half: in-step tests compare it where it was not tracked.
        long late = i * 150L;
        ClassHistogram histogram = new ClassHistogram(
                HistogramKind.LIVE,
                new String[] {
                    "prewarm.Session",
                    "byte[]",
                    "prewarm.PluginLoader",
                    "prewarm.Plateau",
                    "prewarm.Noisy",
                    "prewarm.Late",
                    "java.lang.String"
                },
                new long[] {leak / 40, leak / 100, leak / 40, plateau / 50, noisy / 30, i, 10_000},
                new long[] {leak, leak * 3, leak / 5, plateau, noisy, late, 240_000});
        JvmGauges gauges = new JvmGauges(
                50_000_000L + i * 200_000L,
                100_000_000L,
                200_000_000L,
                30_000_000L,
                2_000 + i * 20L,
                2_000 + i * 20L,
                0,
                10 + i,
                List.of(
                        new MemoryPoolGauge(
                                "Old",
                                true,
                                40_000_000L + i * 200_000L,
                                40_000_000L + i * 200_000L,
                                80_000_000L,
                                200_000_000L),
                        new MemoryPoolGauge("Metaspace", false, 20_000_000L + i * 50_000L, -1, 25_000_000L, -1)),
                List.of(new BufferPoolGauge("direct", i, i * 300_000L, i * 300_000L)),
                List.of(new GcGauge("Young", i, i * 3L)));
        AllocationStats allocations = new AllocationStats(
                256,
                100 + i,
                100_000,
                0,
                List.of(
                        new SiteRetention(
                                "prewarm.Session",
                                List.of("prewarm.Sessions.open(Sessions.java:42)", "prewarm.Api.login(Api.java:17)"),
                                0,
                                0,
                                1 + i,
                                256L * (1 + i),
                                10_240L * (1 + i),
                                1 + i,
                                1_000),
                        new SiteRetention(
                                "byte[]",
                                List.of("prewarm.Sessions.open(Sessions.java:43)"),
                                0,
                                0,
                                3 + i,
                                768L * (1 + i),
                                30_720L * (1 + i),
                                1 + i,
                                1_000)),
                // As many classes as the loaded-classes gauge gains, so that the class-loading finding names the type.
                List.of(new LoaderStats("prewarm.PluginLoader", 1 + i, 20L * (1 + i))),
                new InstrumentationCounts(100 + i, 1_000 + i, 1));
        return new Snapshot(
                i,
                i * STEP_MILLIS,
                i * STEP_MILLIS,
                1,
                "prewarm",
                1,
                histogram,
                Optional.of(gauges),
                Optional.of(allocations));
    }
}
