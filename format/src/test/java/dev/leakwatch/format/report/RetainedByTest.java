package dev.leakwatch.format.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Schema 6's {@code retainedBy}: a report of schema 5 (the golden report as it was, pinned as a fixture) still reads,
 * its suspects with no chains; chains written are read back as they were, a growth not measured yet as null.
 */
class RetainedByTest {
    @Test
    void aSchema5ReportReadsWithNoChains() throws IOException {
        LeakReport report = ReportJson.read(fixture("leak-report-v5.json"));
        assertEquals(5, report.schemaVersion());
        assertEquals("com.acme.Session", report.suspects().get(0).className());
        assertEquals(List.of(), report.suspects().get(0).retainedBy());
        assertEquals(List.of(), report.candidates().get(0).retainedBy());
    }

    @Test
    void chainsRoundTrip() throws IOException {
        LeakReport base = ReportJson.read(fixture("leak-report-v5.json"));
        RetentionChain measured = new RetentionChain(
                "static-field",
                "com.acme.Registry",
                List.of("com.acme.Registry.ALL", "java.util.ArrayList.elementData", "[]"),
                new RetentionChain.Container("java.util.ArrayList", "com.acme.Registry.ALL", 0, 1875.5),
                12);
        RetentionChain unmeasured = new RetentionChain(
                "thread",
                "worker-1",
                List.of("java.lang.Thread.threadLocals"),
                new RetentionChain.Container("java.lang.Object[]", "java.lang.Thread.threadLocals", 0, null),
                1);
        RetentionChain bare = new RetentionChain("jni-global", "com.acme.Native", List.of("[]"), null, 3);
        Suspect suspect = base.suspects().get(0).withRetainedBy(List.of(measured, unmeasured, bare));
        LeakReport report = new LeakReport(
                LeakReport.SCHEMA_VERSION,
                base.generatedAt(),
                base.source(),
                base.verdict(),
                base.summary(),
                List.of(suspect),
                base.candidates(),
                base.findings(),
                base.heap(),
                base.snapshots(),
                base.agent(),
                base.warnings());
        LeakReport read = ReportJson.read(ReportJson.write(report));
        assertEquals(report, read);
        assertNull(read.suspects().get(0).retainedBy().get(1).container().growthEntriesPerMinute());
    }

    @Test
    void aChainWithAFieldItDoesNotHaveIsRefused() {
        String json = "{\"rootKind\":\"thread\",\"root\":\"t\",\"chain\":[],\"container\":null,\"objects\":1,"
                + "\"extra\":1}";
        String report = "{\"schemaVersion\":6,\"suspects\":[{\"className\":\"A\",\"relatedClasses\":[],"
                + "\"allocationSites\":[],\"retainedBy\":[" + json + "]}]}";
        assertThrows(JsonProcessingException.class, () -> ReportJson.read(report));
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = RetainedByTest.class.getResourceAsStream("/format/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
