package dev.leakwatch.analyzer.analysis;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormatException;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent keeps its analysis table in the heap it takes histograms of, and the table grows as allocation paths turn
 * up: a batch of {@code long[]} columns now and then, and a name per path. Left in, that growth reads as a leak of
 * {@code long[]} at a high sampling rate (the test's last assertion shows it). So each snapshot names those objects
 * ({@code agentOwned}) and the analysis takes them out, in the agent's live report and in the command line's reading
 * of the files alike.
 */
class AgentOwnedObjectsTest {
    /** The agent's default window: the capacity of its live table. */
    private static final int AGENT_WINDOW = 120;

    /** An application with no leak: steady strings, churning object arrays, and its own long[] and byte[]. */
    private static SyntheticRecording quietApplication() {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .withClass(
                        "long[]",
                        constant(256 * KB).plus(noise(16 * KB, 4)),
                        constant(300).plus(noise(20, 5)))
                .withClass(
                        "byte[]",
                        constant(8 * MB).plus(noise(100 * KB, 6)),
                        constant(40_000).plus(noise(500, 7)));
    }

    /** What the agent samples at a point: one new allocation path per snapshot, as at a high sampling rate. */
    private static AllocationStats newPathEachSnapshot(int point) {
        List<SiteRetention> paths = new ArrayList<>();
        for (int i = Math.max(0, point - 20); i <= point; i++) {
            paths.add(new SiteRetention(
                    "com.acme.Work",
                    List.of(
                            "com.acme.Handler.step" + i + "(Handler.java:" + i + ")",
                            "com.acme.Handler.handle(Handler.java:40)",
                            "com.acme.Server.serve(Server.java:88)"),
                    0,
                    0,
                    2,
                    200,
                    6_400,
                    1,
                    SyntheticRecording.START.toEpochMilli()));
        }
        return new AllocationStats(131_072, paths.size() * 2L, 100_000, 0, paths);
    }

    /** The histogram the JVM would have given: the application's rows and the agent's own, listed like a loader's. */
    private static Snapshot asTheJvmSeesIt(Snapshot application, List<ClassCount> agentOwned) {
        ClassHistogram histogram = application.histogram();
        List<ClassCount> rows = new ArrayList<>();
        for (int row = 0; row < histogram.size(); row++) {
            rows.add(new ClassCount(histogram.className(row), histogram.instances(row), histogram.bytes(row)));
        }
        rows.addAll(agentOwned);
        return new Snapshot(
                application.sequence(),
                application.epochMillis(),
                application.uptimeMillis(),
                application.pid(),
                application.jvmVersion(),
                application.durationMillis(),
                ClassHistogram.of(histogram.kind(), rows),
                application.gauges());
    }

    private static LeakReport analyze(SeriesTable table) {
        return new LeakAnalyzer()
                .analyze(
                        table,
                        new SeriesProvenance("agent", table.offered(), 0, List.of(), null),
                        new AnalysisSettings(java.util.Optional.empty(), SyntheticRecording.FIXED_CLOCK));
    }

    private static List<String> flagged(LeakReport report) {
        return Stream.concat(report.suspects().stream(), report.candidates().stream())
                .map(Suspect::className)
                .toList();
    }

    @Test
    void theAgentsOwnTableIsNotReadAsALeakLiveOrFromTheFiles() throws SnapshotFormatException {
        SyntheticRecording application = quietApplication();
        SeriesTable agentTable = new SeriesTable(AGENT_WINDOW);
        SeriesTable unaccounted = new SeriesTable(AGENT_WINDOW);
        SeriesTable fromFiles = new SeriesTable(SyntheticRecording.TABLE_CAPACITY);
        for (int point = 0; point < application.pointCount(); point++) {
            // The histogram is taken after the previous snapshot was added: it counts the table as it is now.
            List<ClassCount> owned = agentTable.ownFootprint();
            Snapshot seen =
                    asTheJvmSeesIt(application.snapshot(point), owned).withAllocations(newPathEachSnapshot(point));
            Snapshot recorded = seen.withAgentOwned(owned);
            agentTable.add(recorded);
            unaccounted.add(seen);
            String line = new String(SnapshotCodec.encode(recorded), StandardCharsets.UTF_8).trim();
            fromFiles.add(SnapshotCodec.decode(line));
        }
        long grown = agentTable.ownFootprint().get(0).bytes()
                - new SeriesTable(AGENT_WINDOW).ownFootprint().get(0).bytes();
        assertTrue(grown > 500 * KB, "the scenario must grow the agent's long[] columns, grew " + grown);

        LeakReport live = analyze(agentTable);
        assertEquals(Verdict.NO_LEAK_FOUND, live.verdict(), live::summary);
        assertEquals(List.of(), flagged(live), live::summary);
        LeakReport cli = analyze(fromFiles);
        assertEquals(Verdict.NO_LEAK_FOUND, cli.verdict(), cli::summary);
        assertEquals(List.of(), flagged(cli), cli::summary);
        // Without the accounting, the same recording flags the agent's columns: the test can fail.
        assertTrue(
                flagged(analyze(unaccounted)).contains("long[]"),
                () -> analyze(unaccounted).summary());
    }
}
