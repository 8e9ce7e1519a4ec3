package dev.leakwatch.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.Suspect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The prewarm is only worth its start-up time if it takes the analysis' paths; a path it misses links its classes in
 * the middle of a recording ({@code AgentFootprintIT}).
 */
class AnalysisPrewarmTest {
    @Test
    void thePrewarmRecordingTakesTheAnalysisPaths() {
        LeakReport report = AnalysisPrewarm.run();

        assertEquals(1, report.suspects().size(), () -> "suspects: " + report.suspects());
        Suspect suspect = report.suspects().get(0);
        assertEquals("prewarm.PluginLoader", suspect.className(), "a group named after its class loader");
        assertTrue(
                suspect.summary()
                        .startsWith("Class loaders of type prewarm.PluginLoader and what they load (prewarm.Session;"),
                suspect::summary);
        assertTrue(suspect.relatedClasses().stream()
                .map(RelatedClass::className)
                .toList()
                .contains("byte[]"));
        assertFalse(suspect.allocationSites().isEmpty());
        List<String> candidates =
                report.candidates().stream().map(Suspect::className).toList();
        assertTrue(candidates.contains("prewarm.Late"), () -> "a class tracked late, among " + candidates);
        assertFalse(report.findings().isEmpty());
        // The HTML page's heap projection (its own strings and markers) is drawn only for a heap on its way to -Xmx.
        assertNotNull(report.heap().projectedExhaustionAt(), report.heap()::summary);
    }
}
