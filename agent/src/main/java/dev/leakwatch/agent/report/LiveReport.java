package dev.leakwatch.agent.report;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.snapshot.OutputDirectory;
import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.report.JsonReportWriter;
import dev.leakwatch.analyzer.report.ReportWriter;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.report.html.HtmlReportWriter;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.UnsafeDirectoryException;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Keeps {@code leak-report.json}, {@code leak-report.txt} and {@code leak-report.html} up to date in the output
 * directory, with the analyzer's own code, from a bounded in-memory {@link SeriesTable} fed by each snapshot. Announces
 * each newly confirmed suspect with one line on stderr.
 *
 * <p>The page is rendered at each refresh, not at each snapshot: it draws from the same table as the report and costs
 * a few milliseconds for a table of hundreds of points (docs/measurements.md).
 *
 * <p>Snapshots arrive on the snapshot thread; the final report at shutdown may come from another thread, so the
 * table is guarded by this object's lock.
 */
public final class LiveReport {
    private final OutputDirectory outputDir;
    private final Duration period;
    private final AnalysisSettings settings;
    private final AgentLog log;
    private final LongSupplier suppressedErrors;
    private final Supplier<AgentSummary.Recording> recording;
    private final SeriesTable table;
    private final LeakAnalyzer analyzer = new LeakAnalyzer();
    /**
     * Created at the first write, on our thread: the JSON writer's Jackson set-up takes about 140 ms, and the session
     * is constructed in {@code premain}, where every millisecond delays the host's {@code main}.
     */
    private List<ReportWriter> writers;

    private HtmlReportWriter html;
    private String agentOptions;

    private final Set<String> announced = new HashSet<>();
    private Set<String> previousSuspects = Set.of();
    private long lastReportNanos;
    private String writeFailure;
    private LeakReport latest;
    private Consumer<LeakReport> onRefresh = report -> {};
    /** Adds what the analysis cannot know to each report: the chains that hold its suspects. */
    private UnaryOperator<LeakReport> decorator = UnaryOperator.identity();

    public LiveReport(
            OutputDirectory outputDir,
            Duration period,
            AnalysisSettings settings,
            int windowPoints,
            AgentLog log,
            LongSupplier suppressedErrors,
            Supplier<AgentSummary.Recording> recording) {
        this.outputDir = outputDir;
        this.period = period;
        this.settings = settings;
        this.log = log;
        this.suppressedErrors = suppressedErrors;
        this.recording = recording;
        this.table = new SeriesTable(windowPoints);
        this.lastReportNanos = System.nanoTime();
    }

    /**
     * Runs the analysis once on made-up data so that its classes load before the first snapshot rather than inside
     * the analysed window (see {@link AnalysisPrewarm}). Call on the snapshot thread, before the first snapshot.
     */
    public void prewarm() {
        try {
            AnalysisPrewarm.run();
        } catch (Throwable t) {
            log.error("analysis warm-up failed (the reports may still work)", t);
        }
    }

    /** Called with every snapshot; refreshes the report files when the period has passed. */
    public synchronized void accept(Snapshot snapshot) {
        table.add(snapshot);
        if (System.nanoTime() - lastReportNanos >= period.toNanos()) {
            refresh();
        }
    }

    /** Analyses what is there now and writes both report files. */
    public synchronized LeakReport refresh() {
        lastReportNanos = System.nanoTime();
        LeakReport report = analyzer.analyze(
                table,
                new SeriesProvenance(
                        outputDir.path().toString(),
                        table.offered(),
                        0,
                        List.of(),
                        suppressedErrors.getAsLong(),
                        recording.get()),
                settings);
        try {
            report = decorator.apply(report);
        } catch (Throwable t) { // the analysis' report stands without what the decorator adds
            log.error("report decoration failed", t);
        }
        latest = report;
        write(report);
        announce(report);
        try {
            onRefresh.accept(report);
        } catch (Throwable t) {
            log.error("report listener failed", t);
        }
        return report;
    }

    /** The agent's options as it takes them, for the HTML page's facts. */
    public synchronized void agentOptions(String options) {
        this.agentOptions = options;
    }

    /** Called after each refresh with the new report (on the refreshing thread). */
    public synchronized void onRefresh(Consumer<LeakReport> listener) {
        this.onRefresh = listener;
    }

    /** Applied to each report before it is written: see {@link #decorator}. */
    public synchronized void decorateWith(UnaryOperator<LeakReport> decorator) {
        this.decorator = decorator;
    }

    public synchronized LeakReport latest() {
        return latest;
    }

    /** What this report's table holds in the host's heap; see {@link SeriesTable#ownFootprint()}. */
    public synchronized List<ClassCount> ownFootprint() {
        return table.ownFootprint();
    }

    private void write(LeakReport report) {
        if (writers == null) {
            writers = List.of(new JsonReportWriter(), new TextReportWriter());
            html = new HtmlReportWriter();
        }
        String target = writers.get(0).fileName();
        try {
            // Opened here too, not only by the snapshot writer: a JVM that exits before its first snapshot still gets
            // its (short) final report.
            PrivateDirectory directory = outputDir.current();
            for (ReportWriter writer : writers) {
                target = writer.fileName();
                directory.writeAtomically(target, writer.render(report).getBytes(StandardCharsets.UTF_8));
            }
            target = HtmlReportWriter.FILE_NAME;
            String page = html.render(report, ReportTimelines.of(table, report), agentOptions);
            directory.writeAtomically(target, page.getBytes(StandardCharsets.UTF_8));
            if (writeFailure != null) {
                writeFailure = null;
                log.info("report writing to " + outputDir.path() + " resumed");
            }
        } catch (UnsafeDirectoryException e) {
            // Refused: the output directory said why in one line, and nothing is written there.
        } catch (ClosedByInterruptException e) {
            // The JVM is exiting and stopped the snapshot thread in the middle of a refresh: not a failure. The file in
            // place is whole (writes are renamed into place) and the final report follows (FaultInjectionIT).
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // A full disk or a removed directory: the next refresh tries again; the application runs on.
            if (writeFailure == null) {
                log.error(
                        "cannot write " + outputDir.path().resolve(target) + "; reports are retried at each refresh",
                        e);
            }
            writeFailure = AgentLog.describe(e);
        }
    }

    /** Why the newest report could not be written, or null when it was. */
    public synchronized String writeFailure() {
        return writeFailure;
    }

    /** A suspect is announced once it has been one in two reports in a row, so a passing blip never is. */
    private void announce(LeakReport report) {
        // A plain loop, not a lambda: the first refresh would link a lambda class after its report is out, and the
        // agent loads no class once its first reports are (AgentFootprintIT).
        Set<String> current = new HashSet<>();
        for (Suspect suspect : report.suspects()) {
            current.add(suspect.className());
            if (previousSuspects.contains(suspect.className()) && announced.add(suspect.className())) {
                log.info("leak suspect confirmed: " + suspect.className() + " grows by "
                        + Wording.bytes(suspect.growthBytesPerMinute()) + "/min (confidence "
                        + String.format(java.util.Locale.ROOT, "%.2f", suspect.confidence()) + "); see "
                        + outputDir.path().resolve("leak-report.txt"));
            }
        }
        previousSuspects = current;
    }
}
