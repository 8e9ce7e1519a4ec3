package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code leak-report.json}: the contract that CI checks and dashboards read. */
class JsonReportWriterTest {
    private final JsonReportWriter writer = new JsonReportWriter();

    @Test
    void renderedReportsParseBackToEqualReports() throws Exception {
        for (LeakReport report : List.of(GoldenReportTest.goldenReport(), handMade(), emptyAnalysis())) {
            String json = writer.render(report);
            assertTrue(json.endsWith("}\n"), "one document ending in a newline");
            assertEquals(report, ReportJson.read(json));
        }
    }

    @Test
    void theJsonHasTheDocumentedContractFields() throws Exception {
        JsonNode root = new ObjectMapper().readTree(writer.render(GoldenReportTest.goldenReport()));

        assertEquals(LeakReport.SCHEMA_VERSION, root.path("schemaVersion").asInt(-1));
        assertTrue(root.path("schemaVersion").isInt());
        for (String field : List.of("generatedAt", "source", "verdict", "summary")) {
            assertTrue(root.path(field).isTextual(), field);
        }
        assertTrue(root.path("suspects").isArray());
        assertFalse(root.path("suspects").isEmpty(), "the golden scenario has a suspect");
        for (JsonNode suspect : root.path("suspects")) {
            assertTrue(suspect.path("rank").isInt());
            assertTrue(suspect.path("className").isTextual());
            assertTrue(suspect.path("confidence").isNumber());
            double confidence = suspect.path("confidence").asDouble();
            assertTrue(confidence >= 0.5 && confidence <= 1, "a suspect's confidence is at least 0.5: " + confidence);
            assertTrue(suspect.path("severity").isTextual());
            assertTrue(suspect.path("growthBytesPerMinute").isNumber());
            assertTrue(suspect.path("growthInstancesPerMinute").isNumber());
            assertTrue(suspect.path("liveBytes").isIntegralNumber());
            assertTrue(suspect.path("liveInstances").isIntegralNumber());
            assertTrue(suspect.path("firstSeenGrowing").isTextual());
            java.time.Instant.parse(suspect.path("firstSeenGrowing").asText());
            assertTrue(suspect.path("relatedClasses").isArray());
            for (JsonNode related : suspect.path("relatedClasses")) {
                assertTrue(related.path("className").isTextual());
                assertTrue(related.path("growthBytesPerMinute").isNumber());
            }
            assertTrue(suspect.path("allocationSites").isArray());
            assertTrue(suspect.path("allocationSites").isEmpty(), "no allocation tracking in offline analysis");
            assertTrue(suspect.path("evidence").isObject());
        }
        assertTrue(root.path("candidates").isArray());
        assertTrue(root.path("findings").isArray());
        JsonNode heap = root.path("heap");
        assertTrue(heap.isObject());
        assertTrue(heap.path("growing").isBoolean());
        assertTrue(heap.path("liveBytesNow").isIntegralNumber());
        assertTrue(heap.path("maxHeapBytes").isIntegralNumber());
        assertTrue(heap.path("minutesToExhaustion").isNumber());
        JsonNode snapshots = root.path("snapshots");
        assertTrue(snapshots.isObject());
        assertTrue(snapshots.path("count").isInt());
        assertTrue(snapshots.path("warmupRule").isTextual());
        assertTrue(snapshots.path("histogramKinds").isObject());
        assertTrue(root.path("agent").isObject());
        assertTrue(root.path("agent").has("suppressedErrors"), "written as null offline, not left out");
        assertTrue(root.path("warnings").isArray());
    }

    @Test
    void fieldsComeInTheDocumentedOrder() throws Exception {
        JsonNode root = new ObjectMapper().readTree(writer.render(GoldenReportTest.goldenReport()));
        assertEquals(
                List.of(
                        "schemaVersion",
                        "generatedAt",
                        "source",
                        "verdict",
                        "summary",
                        "suspects",
                        "candidates",
                        "findings",
                        "heap",
                        "snapshots",
                        "agent",
                        "warnings"),
                fieldNames(root));
        assertEquals(
                List.of(
                        "rank",
                        "className",
                        "fingerprint",
                        "confidence",
                        "severity",
                        "growthBytesPerMinute",
                        "growthInstancesPerMinute",
                        "liveBytes",
                        "liveInstances",
                        "firstSeenGrowing",
                        "summary",
                        "explanation",
                        "evidence",
                        "relatedClasses",
                        "allocationSites",
                        "retainedBy"),
                fieldNames(root.path("suspects").get(0)));
    }

    /**
     * The writer names every field by hand: a component added to a report record and forgotten there would silently
     * be missing from the JSON. Each record's components, in declaration order, are the fields of its object.
     */
    @Test
    void everyRecordComponentIsWrittenInDeclarationOrder() throws Exception {
        JsonNode root = new ObjectMapper().readTree(writer.render(handMade()));
        JsonNode suspect = root.path("suspects").get(0);
        Map<Class<?>, JsonNode> objects = Map.of(
                LeakReport.class, root,
                Suspect.class, suspect,
                Suspect.Evidence.class, suspect.path("evidence"),
                RelatedClass.class, suspect.path("relatedClasses").get(0),
                AllocationSite.class, suspect.path("allocationSites").get(0),
                HeapSummary.class, root.path("heap"),
                SnapshotSummary.class, root.path("snapshots"),
                AgentSummary.class, root.path("agent"),
                AgentSummary.AllocationTracking.class, root.path("agent").path("allocationTracking"));
        for (Map.Entry<Class<?>, JsonNode> object : objects.entrySet()) {
            List<String> components = java.util.Arrays.stream(object.getKey().getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName)
                    .toList();
            assertEquals(
                    components, fieldNames(object.getValue()), object.getKey().getSimpleName());
        }
        GaugeFinding finding = new GaugeFinding("threads", 0.9, 12, 92, "threads", "summary", "why");
        LeakReport withFinding = new LeakReport(
                2,
                "2026-11-25T12:00:00Z",
                "x",
                Verdict.LEAK_SUSPECTED,
                "s",
                List.of(),
                List.of(),
                List.of(finding),
                null,
                null,
                null,
                List.of());
        JsonNode findingJson = new ObjectMapper()
                .readTree(writer.render(withFinding))
                .path("findings")
                .get(0);
        assertEquals(
                java.util.Arrays.stream(GaugeFinding.class.getRecordComponents())
                        .map(java.lang.reflect.RecordComponent::getName)
                        .toList(),
                fieldNames(findingJson));
    }

    @Test
    void allocationSitesAndNullsSurviveTheRoundTrip() throws Exception {
        LeakReport report = handMade();
        String json = writer.render(report);
        JsonNode site = new ObjectMapper()
                .readTree(json)
                .path("suspects")
                .get(0)
                .path("allocationSites")
                .get(0);
        assertEquals(
                "com.acme.SessionStore.open(SessionStore.java:42)",
                site.path("frames").get(0).asText());
        assertEquals(0.75, site.path("share").asDouble());
        assertEquals(report, ReportJson.read(json));
    }

    @Test
    void theSamplerIsWrittenByItsWireNameAndReadBack() throws Exception {
        LeakReport report = sampledByTheJvm(handMade());
        String json = writer.render(report);
        JsonNode tracking = new ObjectMapper().readTree(json).path("agent").path("allocationTracking");
        assertEquals("jvm", tracking.path("sampler").asText());
        assertEquals(524_288, tracking.path("samplingInterval").asLong());
        assertTrue(tracking.path("instrumentedClasses").isNull(), "nothing instrumented: " + tracking);
        assertEquals(report, ReportJson.read(json));
    }

    @Test
    void aReportOfSchema2ReadsBackAsSampledByInstrumentation() throws Exception {
        String json = writer.render(handMade());
        String schema2 = json.replace("\"sampler\" : \"instrumentation\",", "");
        assertFalse(schema2.contains("sampler"), schema2);
        assertEquals(
                AllocationSampler.INSTRUMENTATION,
                ReportJson.read(schema2).agent().allocationTracking().sampler());
    }

    @Test
    void anUnknownSamplerIsRefused() {
        String json = writer.render(handMade()).replace("\"sampler\" : \"instrumentation\"", "\"sampler\" : \"jfr\"");
        com.fasterxml.jackson.core.JsonProcessingException e =
                assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> ReportJson.read(json));
        assertTrue(e.getOriginalMessage().contains("\"jfr\": not a known allocation sampler"), e.getOriginalMessage());
    }

    /** {@code report} as if the JVM's heap sampler had picked the samples: one per 512 KiB, nothing instrumented. */
    static LeakReport sampledByTheJvm(LeakReport report) {
        AgentSummary agent = report.agent();
        AgentSummary.AllocationTracking tracking = agent.allocationTracking();
        AgentSummary jvm = new AgentSummary(
                agent.snapshotSecondsTotal(),
                agent.overheadPercent(),
                agent.lastSnapshotMillis(),
                agent.histogramMode(),
                agent.suppressedErrors(),
                agent.note(),
                new AgentSummary.AllocationTracking(
                        AllocationSampler.JVM,
                        512 * 1024,
                        tracking.trackedSamples(),
                        tracking.capacity(),
                        tracking.evictedSamples(),
                        null,
                        null,
                        null),
                null,
                agent.version());
        return new LeakReport(
                report.schemaVersion(),
                report.generatedAt(),
                report.source(),
                report.verdict(),
                report.summary(),
                report.suspects(),
                report.candidates(),
                report.findings(),
                report.heap(),
                report.snapshots(),
                jvm,
                report.warnings());
    }

    @Test
    void parseRefusesSomethingElse() {
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> ReportJson.read("not json"));
    }

    @Test
    void writersArePickedByFormatName() {
        assertEquals("json", ReportWriter.forFormat("json").formatName());
        assertEquals("leak-report.json", ReportWriter.forFormat("json").fileName());
        assertEquals("text", ReportWriter.forFormat("text").formatName());
        assertEquals("leak-report.txt", ReportWriter.forFormat("text").fileName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.forFormat("html"));
        assertEquals("unknown report format 'html' (use text or json)", e.getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A report with what the analysis does not fill in yet: allocation sites, agent errors, no pid. */
    static LeakReport handMade() {
        Suspect suspect = new Suspect(
                1,
                "com.acme.Session",
                0.9,
                Severity.HIGH,
                2_000_000,
                3_000,
                50_000_000,
                120_000,
                "2026-11-25T10:04:00Z",
                "com.acme.Session retains 1.9 MB more every minute and is still growing",
                "because",
                new Suspect.Evidence(100, 30, 9.5, 1e-20, 0.95, 1_900_000, 250),
                List.of(new RelatedClass("byte[]", 1_500_000, 40_000_000, 120_000)),
                List.of(
                        new AllocationSite(
                                List.of(
                                        "com.acme.SessionStore.open(SessionStore.java:42)",
                                        "com.acme.Login.handle(Login.java:17)"),
                                "com.acme.Session",
                                List.of("com.acme.Session", "byte[]"),
                                2,
                                0.75,
                                1_500_000,
                                30_000_000,
                                60,
                                12,
                                340.5,
                                0,
                                0),
                        new AllocationSite(
                                List.of(
                                        "java.util.HashMap.newNode(HashMap.java:1901)",
                                        "com.acme.SessionIndex.add(SessionIndex.java:23)"),
                                "java.util.HashMap$Node",
                                List.of("java.util.HashMap$Node"),
                                1,
                                0.25,
                                500_000,
                                10_000_000,
                                20,
                                12,
                                330.0,
                                1,
                                1)));
        return new LeakReport(
                1,
                "2026-11-25T12:00:00Z",
                "agent",
                Verdict.LEAK_SUSPECTED,
                "1 leak suspect.",
                List.of(suspect),
                List.of(),
                List.of(),
                new HeapSummary(
                        "pool-usage-after-gc",
                        900_000_000,
                        400_000_000,
                        1_000_000_000,
                        2_000_000,
                        0.9,
                        true,
                        50.0,
                        "2026-11-25T12:50:00Z",
                        "growing"),
                new SnapshotSummary(
                        100,
                        100,
                        0,
                        "2026-11-25T10:00:00Z",
                        "2026-11-25T10:30:00Z",
                        1800,
                        Map.of("all-after-gc", 100),
                        30,
                        "option",
                        95,
                        null,
                        null),
                new AgentSummary(
                        1.5,
                        0.08,
                        12,
                        "all-after-gc",
                        3L,
                        "sampling",
                        new AgentSummary.AllocationTracking(
                                AllocationSampler.INSTRUMENTATION, 4096, 1000, 100_000, 0, 2_315L, 41_207L, 1L),
                        new AgentSummary.Recording(
                                10, 9, AgentSummary.Writing.PAUSED, "IOException (No space left on device)"),
                        "9.8.7"),
                List.of("a warning"));
    }

    private static LeakReport emptyAnalysis() {
        return new LeakAnalyzer()
                .analyze(
                        new SeriesTable(8),
                        SyntheticRecording.source(),
                        new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK));
    }
}
