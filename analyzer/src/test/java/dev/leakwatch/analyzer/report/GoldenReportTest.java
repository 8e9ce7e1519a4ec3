package dev.leakwatch.analyzer.report;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.analysis.SyntheticRecording.Curve;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden files: a fixed synthetic recording, analysed with a fixed clock, must render exactly as
 * {@code src/test/resources/golden/leak-report.json} and {@code leak-report.txt}. The recording has one leak with
 * related classes, a weaker candidate, a thread finding, a heap on its way to exhaustion, a skipped record and a
 * reader warning, so that every section of both formats is pinned.
 *
 * <p>A difference means the analysis or the wording changed. When that is intended, regenerate the files and review
 * the diff like code:
 * <pre>
 * mvn -pl analyzer test -Dtest=GoldenReportTest -Dleakwatch.regenerateGolden=true
 * git diff analyzer/src/test/resources/golden/
 * </pre>
 * With the flag set the test writes the files into the source tree instead of comparing (it still fails if a file
 * cannot be written). A change to a JSON field name or type is a report schema change: bump
 * {@link LeakReport#SCHEMA_VERSION} rather than just regenerating.
 */
class GoldenReportTest {
    static final String REGENERATE_PROPERTY = "leakwatch.regenerateGolden";
    private static final String GOLDEN_DIRECTORY = "golden";
    /** Not the build's version: a release must not change the golden files. */
    static final String GOLDEN_VERSION = "0.0.0-golden";

    /** The golden scenario: a fixed recording, its source with two reader warnings, a fixed clock. */
    static LeakReport goldenReport() {
        Curve sessions = linear(1_000, 3_000);
        SyntheticRecording recording = SyntheticRecording.create()
                .lasting(Duration.ofMinutes(6))
                .every(Duration.ofSeconds(5))
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .withObjects("com.acme.Session", 40, sessions)
                .withObjects("java.util.HashMap$Node", 32, sessions.plus(constant(30_000)))
                .withClass(
                        "byte[]",
                        sessions.times(512).plus(constant(8 * MB)).plus(noise(100 * KB, 9)),
                        sessions.plus(constant(40_000)))
                // Noisy growth whose trend is not consistent enough: a candidate, not a suspect.
                .withClass(
                        "com.acme.RetryQueue",
                        linear(600 * KB, 60 * KB).plus(noise(250 * KB, 21)),
                        linear(6_000, 600).plus(noise(2_500, 121)))
                .liveThreads(linear(20, 12))
                .heapMax(64 * MB);
        SeriesTable table = recording.table();
        SeriesProvenance source = new SeriesProvenance(
                "/var/tmp/leakwatch/orders-service",
                table.offered() + 1,
                1,
                List.of(
                        "segment snapshots-000003.jsonl.gz: last record truncated (the JVM probably stopped while writing it); skipped"),
                null);
        LeakReport analysed = new LeakAnalyzer()
                .analyze(
                        table,
                        source,
                        new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK, GOLDEN_VERSION));
        return withChain(analysed);
    }

    /**
     * The chain the agent's heap walk adds to the suspect (issue 14): the analysis finds none itself, so the golden
     * files pin its JSON and its text here.
     */
    private static LeakReport withChain(LeakReport report) {
        RetentionChain chain = new RetentionChain(
                "static-field",
                "com.acme.SessionRegistry",
                List.of(
                        "com.acme.SessionRegistry.SESSIONS",
                        "java.util.HashMap.table",
                        "[]",
                        "java.util.HashMap$Node.value"),
                new RetentionChain.Container("java.util.HashMap", "com.acme.SessionRegistry.SESSIONS", 0, 3000.0),
                41);
        List<Suspect> suspects = new ArrayList<>();
        for (Suspect suspect : report.suspects()) {
            suspects.add(
                    suspect.className().equals("com.acme.Session") ? suspect.withRetainedBy(List.of(chain)) : suspect);
        }
        return report.withSuspects(suspects, report.warnings());
    }

    @Test
    void jsonReportMatchesTheGoldenFile() throws IOException {
        checkGolden("leak-report.json", new JsonReportWriter().render(goldenReport()));
    }

    @Test
    void textReportMatchesTheGoldenFile() throws IOException {
        checkGolden("leak-report.txt", new TextReportWriter().render(goldenReport()));
    }

    @Test
    void theGoldenJsonParsesToTheReportItWasRenderedFrom() throws IOException {
        assumeFalse(Boolean.getBoolean(REGENERATE_PROPERTY), "golden files are being regenerated");
        // Readers of stored reports (dashboards, CI checks) parse the golden shape back without loss.
        assertEquals(goldenReport(), ReportJson.read(golden("leak-report.json")));
    }

    /**
     * A report of schema 5, the golden report as it was before fingerprints and chains (schema 6), still reads: the
     * same report but for its schema version, fingerprints and chains, which it never had.
     */
    @Test
    void aReportOfSchema5ReadsWithoutFingerprints() throws IOException {
        LeakReport schema5 = ReportJson.read(golden("leak-report-v5.json"));
        assertEquals(5, schema5.schemaVersion());
        LeakReport current = goldenReport();
        assertEquals(current.suspects().size(), schema5.suspects().size());
        for (int i = 0; i < current.suspects().size(); i++) {
            assertNull(schema5.suspects().get(i).fingerprint());
            assertNotNull(current.suspects().get(i).fingerprint());
            assertEquals(
                    current.suspects().get(i).withFingerprint(null).withRetainedBy(List.of()),
                    schema5.suspects().get(i));
        }
        for (int i = 0; i < current.findings().size(); i++) {
            assertEquals(
                    current.findings().get(i).withFingerprint(null),
                    schema5.findings().get(i));
        }
    }

    private static void checkGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
            Path file = sourceDirectory().resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            System.out.println("regenerated " + file.toAbsolutePath());
            return;
        }
        assertEquals(
                golden(name),
                actual,
                name + " differs from the golden file; if the change is intended, rerun with -D" + REGENERATE_PROPERTY
                        + "=true and review the diff (see GoldenReportTest's Javadoc)");
    }

    private static String golden(String name) throws IOException {
        String resource = "/" + GOLDEN_DIRECTORY + "/" + name;
        try (InputStream in = GoldenReportTest.class.getResourceAsStream(resource)) {
            assertNotNull(
                    in, "missing golden file " + resource + "; generate it with -D" + REGENERATE_PROPERTY + "=true");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Where the golden files live in the source tree: Surefire runs tests in the module directory. */
    private static Path sourceDirectory() {
        return Path.of(System.getProperty("basedir", ""))
                .resolve("src/test/resources")
                .resolve(GOLDEN_DIRECTORY);
    }
}
