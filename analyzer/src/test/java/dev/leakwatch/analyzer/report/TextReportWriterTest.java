package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal report: what a person on call reads first. Full output is pinned by {@link GoldenReportTest}. */
class TextReportWriterTest {
    private final TextReportWriter writer = new TextReportWriter();

    @Test
    void startsWithTheVerdictAndShowsAllocationSitesAndAgentErrors() {
        String text = writer.render(JsonReportWriterTest.handMade());
        assertTrue(text.startsWith("leakwatch report: leak-suspected. 1 leak suspect.\n"), text);
        assertTrue(text.contains("#1 com.acme.Session  confidence 0.90 (high)\n"), text);
        assertTrue(
                text.contains(
                        "    allocated at (com.acme.Session, byte[] in 2 paths, 75% of the tracked growth, +1.4 MB/min,"
                                + " 60 live samples from 12 snapshots, oldest 5.7 min):\n"
                                + "        at com.acme.SessionStore.open(SessionStore.java:42)   <- application code\n"
                                + "        at com.acme.Login.handle(Login.java:17)\n"
                                + "    also 25% at com.acme.SessionIndex.add(SessionIndex.java:23):"
                                + " java.util.HashMap$Node\n"),
                text);
        assertTrue(text.contains("agent errors survived: 3"), text);
        assertTrue(
                text.contains("allocation sampling: 1 in 4096 allocations, 1000 samples tracked (cap 100000), 2315"
                        + " classes instrumented (41207 sites, 1 failed and run unchanged)\n"),
                text);
        assertTrue(text.contains("warning: a warning\n"), text);
        assertFalse(text.contains("pid"), "no pid known, none shown: " + text);
        assertFalse(text.contains("skipped records"), text);
    }

    @Test
    void aCraftedClassNameCannotForgeALineOrDriveTheTerminal() {
        LeakReport base = JsonReportWriterTest.handMade();
        Suspect suspect = base.suspects().get(0);
        String crafted = "com.acme.X\u001b[2J\nleakwatch report: no-leak-found. FAKE\u202e";
        Suspect forged = new Suspect(
                1,
                crafted,
                suspect.confidence(),
                suspect.severity(),
                suspect.growthBytesPerMinute(),
                suspect.growthInstancesPerMinute(),
                suspect.liveBytes(),
                suspect.liveInstances(),
                suspect.firstSeenGrowing(),
                crafted + " grows",
                "because " + crafted,
                suspect.evidence(),
                List.of(new RelatedClass(crafted, 1, 1, 1)),
                List.of());
        LeakReport report = new LeakReport(
                base.schemaVersion(),
                base.generatedAt(),
                base.source() + "\r\u009b",
                base.verdict(),
                base.summary(),
                List.of(forged),
                List.of(),
                List.of(),
                base.heap(),
                base.snapshots(),
                base.agent(),
                List.of("segment " + crafted + ": skipped"));

        String text = writer.render(report);

        assertFalse(text.lines().anyMatch(line -> line.startsWith("leakwatch report: no-leak-found")), text);
        assertTrue(text.chars().noneMatch(c -> c == 0x1b || c == '\r' || c == 0x9b || c == 0x202e), text);
        assertTrue(
                text.contains("#1 com.acme.X\\u001b[2J\\nleakwatch report: no-leak-found. FAKE\\u202e  confidence"),
                text);
    }

    @Test
    void aChainsNamesFromTheHeapAreEscapedAndItsGrowingReferenceMarked() {
        LeakReport base = JsonReportWriterTest.handMade();
        String crafted = "com.acme.Y\u001b[2J\nleakwatch report: no-leak-found. FAKE\u202e";
        RetentionChain chain = new RetentionChain(
                "thread",
                "worker\r\u009b",
                List.of(crafted + ".CACHE", "java.util.HashMap.table", "[]"),
                new RetentionChain.Container(crafted, crafted + ".CACHE", 0, 1234.4),
                7);
        Suspect held = base.suspects().get(0).withRetainedBy(List.of(chain));
        LeakReport report = new LeakReport(
                base.schemaVersion(),
                base.generatedAt(),
                base.source(),
                base.verdict(),
                base.summary(),
                List.of(held),
                List.of(),
                List.of(),
                base.heap(),
                base.snapshots(),
                base.agent(),
                List.of());

        String text = writer.render(report);

        assertFalse(text.lines().anyMatch(line -> line.startsWith("leakwatch report: no-leak-found")), text);
        assertTrue(text.chars().noneMatch(c -> c == 0x1b || c == '\r' || c == 0x9b || c == 0x202e), text);
        assertTrue(text.contains("    held by thread worker\\r\\u009b (7 objects found):\n"), text);
        assertTrue(
                text.contains("        com.acme.Y\\u001b[2J\\nleakwatch report: no-leak-found. FAKE\\u202e.CACHE"
                        + "   <- grows: com.acme.Y"),
                text);
        assertTrue(text.contains(", +1,234 entries/min\n        -> java.util.HashMap.table\n        -> []\n"), text);
    }

    @Test
    void theJvmSamplersIntervalReadsInBytesAndNoInstrumentationIsClaimed() {
        String text = writer.render(JsonReportWriterTest.sampledByTheJvm(JsonReportWriterTest.handMade()));
        assertTrue(
                text.contains("allocation sampling: JVM heap sampler, one sample per 512.0 KB allocated, 1000 samples"
                        + " tracked (cap 100000)\n"),
                text);
        assertFalse(text.contains("instrumented"), text);
    }

    @Test
    void longListsAreCutShort() {
        LeakReport base = JsonReportWriterTest.handMade();
        Suspect suspect = base.suspects().get(0);
        List<RelatedClass> related = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            related.add(new RelatedClass("com.acme.Part" + i, 1_000 - i, 10, 1));
        }
        Suspect wide = new Suspect(
                1,
                suspect.className(),
                suspect.confidence(),
                suspect.severity(),
                suspect.growthBytesPerMinute(),
                suspect.growthInstancesPerMinute(),
                suspect.liveBytes(),
                suspect.liveInstances(),
                suspect.firstSeenGrowing(),
                suspect.summary(),
                suspect.explanation(),
                suspect.evidence(),
                related,
                List.of());
        List<Suspect> candidates = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            candidates.add(new Suspect(
                    i + 1,
                    "com.acme.Maybe" + i,
                    0.3,
                    Severity.LOW,
                    40_000,
                    10,
                    1_000,
                    10,
                    "2026-11-25T10:00:00Z",
                    "s",
                    "e",
                    suspect.evidence(),
                    List.of(),
                    List.of()));
        }
        LeakReport report = new LeakReport(
                1,
                base.generatedAt(),
                base.source(),
                base.verdict(),
                base.summary(),
                List.of(wide),
                candidates,
                List.of(),
                base.heap(),
                base.snapshots(),
                base.agent(),
                List.of());
        String text = writer.render(report);
        assertTrue(
                text.contains("    with: com.acme.Part0 (1000 B/min), com.acme.Part1 (999 B/min), "
                        + "com.acme.Part2 (998 B/min), com.acme.Part3 (997 B/min), and 2 more\n"),
                text);
        assertTrue(text.contains("com.acme.Maybe4"), text);
        assertFalse(text.contains("com.acme.Maybe5"), "at most five candidates: " + text);
    }
}
