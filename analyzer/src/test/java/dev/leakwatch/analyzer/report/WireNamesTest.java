package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Verdicts and severities are enums in the code and strings on the wire: the strings {@code docs/formats.md} lists,
 * which CI checks and dashboards match on, so they are pinned here one by one.
 */
class WireNamesTest {
    @Test
    void verdictsKeepTheirDocumentedWireNames() {
        assertEquals(
                List.of("leak-suspected", "no-leak-found", "not-enough-data"),
                Arrays.stream(Verdict.values()).map(Verdict::wireName).toList());
    }

    @Test
    void severitiesKeepTheirDocumentedWireNames() {
        assertEquals(
                List.of("high", "medium", "low"),
                Arrays.stream(Severity.values()).map(Severity::wireName).toList());
    }

    @Test
    void everyWireNameReadsBackAsItsConstant() {
        for (Verdict verdict : Verdict.values()) {
            assertEquals(Optional.of(verdict), Verdict.fromWireName(verdict.wireName()));
        }
        for (Severity severity : Severity.values()) {
            assertEquals(Optional.of(severity), Severity.fromWireName(severity.wireName()));
        }
        assertEquals(
                Optional.empty(), Verdict.fromWireName("LEAK_SUSPECTED"), "the constant's name is not a wire name");
        assertEquals(Optional.empty(), Severity.fromWireName("critical"));
    }

    @Test
    void everyVerdictAndSeverityRoundTripsThroughTheJson() throws Exception {
        LeakReport base = JsonReportWriterTest.handMade();
        for (Verdict verdict : Verdict.values()) {
            for (Severity severity : Severity.values()) {
                LeakReport report = withVerdictAndSeverity(base, verdict, severity);
                String json = new JsonReportWriter().render(report);
                JsonNode root = new ObjectMapper().readTree(json);
                assertEquals(verdict.wireName(), root.path("verdict").asText());
                assertEquals(
                        severity.wireName(),
                        root.path("suspects").get(0).path("severity").asText());
                assertEquals(report, ReportJson.read(json), verdict + ", " + severity);
            }
        }
    }

    @Test
    void theTextReportShowsTheWireNames() {
        String text = new TextReportWriter()
                .render(withVerdictAndSeverity(
                        JsonReportWriterTest.handMade(), Verdict.NOT_ENOUGH_DATA, Severity.MEDIUM));
        assertTrue(text.startsWith("leakwatch report: not-enough-data. "), text);
        assertTrue(text.contains("confidence 0.90 (medium)"), text);
    }

    @Test
    void anUnknownVerdictOrSeverityIsRefusedAsJson() {
        String json = new JsonReportWriter().render(JsonReportWriterTest.handMade());
        JsonProcessingException verdict = assertThrows(
                JsonProcessingException.class,
                () -> ReportJson.read(json.replace("\"leak-suspected\"", "\"LEAK_SUSPECTED\"")));
        assertTrue(verdict.getOriginalMessage().contains("not a known verdict"), verdict.getOriginalMessage());
        JsonProcessingException severity = assertThrows(
                JsonProcessingException.class,
                () -> ReportJson.read(json.replace("\"severity\" : \"high\"", "\"severity\" : \"critical\"")));
        assertTrue(severity.getOriginalMessage().contains("not a known severity"), severity.getOriginalMessage());
    }

    private static LeakReport withVerdictAndSeverity(LeakReport report, Verdict verdict, Severity severity) {
        Suspect s = report.suspects().get(0);
        Suspect graded = new Suspect(
                s.rank(),
                s.className(),
                s.confidence(),
                severity,
                s.growthBytesPerMinute(),
                s.growthInstancesPerMinute(),
                s.liveBytes(),
                s.liveInstances(),
                s.firstSeenGrowing(),
                s.summary(),
                s.explanation(),
                s.evidence(),
                s.relatedClasses(),
                s.allocationSites());
        return new LeakReport(
                report.schemaVersion(),
                report.generatedAt(),
                report.source(),
                verdict,
                report.summary(),
                List.of(graded),
                report.candidates(),
                report.findings(),
                report.heap(),
                report.snapshots(),
                report.agent(),
                report.warnings());
    }
}
