package dev.leakwatch.analyzer.analysis;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.fingerprint.LeakFingerprint;
import dev.leakwatch.analyzer.rule.AnalysisWindow;
import dev.leakwatch.analyzer.rule.LeakRule;
import dev.leakwatch.analyzer.rule.RuleResult;
import dev.leakwatch.analyzer.rule.SharedThresholds;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract between the analysis and its rules ({@link LeakRule}): every registered rule answers "not enough
 * data" on a window too short for it rather than guess, tags its result with its own id, and the analysis runs each
 * registered rule once, in the list's order, and assembles the report from nothing but their results.
 */
class LeakRuleContractTest {
    private static final AnalysisSettings FIXED =
            new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK);

    /** A session leak, a thread leak and a growing heap: something for every rule to find on a long window. */
    private static SyntheticRecording leakingEverywhere() {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000))
                .withObjects("com.acme.Session", 40, linear(1_000, 3_000))
                .withClass("byte[]", linear(1_000, 3_000).times(512).plus(constant(8 * MB)), linear(41_000, 3_000))
                .liveThreads(linear(20, 12))
                .loadedClasses(linear(5_000, 600))
                .directBufferBytes(linear(MB, 2 * MB));
    }

    @Test
    void theRulesRunInAFixedOrderUnderDistinctIds() {
        assertEquals(
                List.of("retained-growth", "class-loading", "threads", "direct-memory", "heap-live-set"),
                LeakAnalyzer.RULES.stream().map(LeakRule::id).toList());
    }

    @Test
    void everyRuleSaysNotEnoughDataOnAWindowWithTooFewPoints() {
        SyntheticRecording shortRun = leakingEverywhere().lasting(Duration.ofSeconds(10));
        assertTrue(shortRun.pointCount() < SharedThresholds.MIN_POINTS, "points: " + shortRun.pointCount());
        for (SeriesTable table : List.of(shortRun.table(), new SeriesTable(8))) {
            AnalysisWindow window = new AnalysisWindow(table, 0);
            for (LeakRule rule : LeakAnalyzer.RULES) {
                RuleResult result = rule.evaluate(window);
                assertEquals(rule.id(), result.rule());
                assertFalse(result.enoughData(), () -> rule.id() + " judged " + window.points() + " points");
                assertEquals(List.of(), result.suspects(), rule.id());
                assertEquals(List.of(), result.candidates(), rule.id());
                assertEquals(List.of(), result.findings(), rule.id());
                assertTrue(result.heap() == null || !result.heap().growing(), () -> rule.id() + ": " + result.heap());
            }
        }
    }

    @Test
    void noRuleFindsAnythingInAFewSecondsHoweverManyPoints() {
        AnalysisWindow window = new AnalysisWindow(
                leakingEverywhere()
                        .every(Duration.ofMillis(250))
                        .lasting(Duration.ofSeconds(15))
                        .table(),
                0);
        assertTrue(window.points() >= SharedThresholds.MIN_POINTS, "points: " + window.points());
        for (LeakRule rule : LeakAnalyzer.RULES) {
            RuleResult result = rule.evaluate(window);
            assertEquals(List.of(), result.suspects(), rule.id());
            assertEquals(List.of(), result.findings(), rule.id());
        }
    }

    @Test
    void onALongWindowEveryRuleJudgesAndFindsItsLeak() {
        AnalysisWindow window = new AnalysisWindow(leakingEverywhere().table(), 10);
        for (LeakRule rule : LeakAnalyzer.RULES) {
            RuleResult result = rule.evaluate(window);
            assertEquals(rule.id(), result.rule());
            assertTrue(result.enoughData(), rule.id());
            boolean found = !result.suspects().isEmpty()
                    || !result.findings().isEmpty()
                    || result.heap() != null && result.heap().growing();
            assertTrue(found, () -> rule.id() + " found nothing: " + result);
        }
    }

    @Test
    void theAnalyzerRunsEveryRegisteredRuleOnceInOrderOnOneWindow() {
        List<String> calls = new ArrayList<>();
        List<AnalysisWindow> windows = new ArrayList<>();
        Suspect suspect = suspect("com.acme.Session");
        GaugeFinding threads = new GaugeFinding("threads", 0.9, 12, 92, "threads", "threads grow", "why");
        HeapSummary heap = new HeapSummary("live-histogram", 2 * MB, MB, 64 * MB, 0, 0, false, null, null, "flat");
        HeapSummary second = new HeapSummary("histogram-total", 0, 0, -1, 0, 0, false, null, null, "not used");
        List<LeakRule> rules = List.of(
                rule("finds-threads", calls, windows, id -> RuleResult.finding(id, threads)),
                rule("finds-a-suspect", calls, windows, id -> RuleResult.suspects(id, List.of(suspect), List.of())),
                rule("too-short", calls, windows, RuleResult::notEnoughData),
                rule("heap", calls, windows, id -> RuleResult.heap(id, heap, true)),
                rule("another-heap", calls, windows, id -> RuleResult.heap(id, second, true)));

        LeakReport report =
                new LeakAnalyzer(rules).analyze(leakingEverywhere().table(), SyntheticRecording.source(), FIXED);

        assertEquals(List.of("finds-threads", "finds-a-suspect", "too-short", "heap", "another-heap"), calls);
        assertTrue(windows.stream().allMatch(window -> window == windows.get(0)), "one window for all rules");
        // The analysis gives each finding its fingerprint, and changes nothing else.
        assertEquals(List.of(threads), withoutFingerprints(report.findings()));
        assertEquals(List.of(suspect.withFingerprint(LeakFingerprint.of(suspect, null))), report.suspects());
        assertSame(heap, report.heap(), "the first heap summary is the report's");
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        assertEquals("1 leak suspect and 1 JVM-level growth finding.", report.summary());
    }

    @Test
    void aRuleJoinsTheReportByJoiningTheList() {
        List<String> calls = new ArrayList<>();
        GaugeFinding fleet = new GaugeFinding("fleet", 0.8, 1, 3, "instances", "a new kind of finding", "why");
        List<LeakRule> rules = new ArrayList<>(LeakAnalyzer.RULES);
        rules.add(rule("fleet", calls, new ArrayList<>(), id -> RuleResult.finding(id, fleet)));

        LeakReport report = new LeakAnalyzer(rules)
                .analyze(SyntheticRecording.create().table(), SyntheticRecording.source(), FIXED);

        assertEquals(List.of("fleet"), calls);
        assertEquals(
                List.of(fleet),
                withoutFingerprints(report.findings()),
                "a steady recording: the new rule's is the only finding");
        assertEquals(LeakFingerprint.of(fleet), report.findings().get(0).fingerprint());
        assertNotNull(report.heap());
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
    }

    private interface Outcome {
        RuleResult of(String id);
    }

    private static LeakRule rule(String id, List<String> calls, List<AnalysisWindow> windows, Outcome outcome) {
        return new LeakRule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public RuleResult evaluate(AnalysisWindow window) {
                calls.add(id);
                windows.add(window);
                return outcome.of(id);
            }
        };
    }

    private static Suspect suspect(String className) {
        return new Suspect(
                1,
                className,
                0.9,
                Severity.MEDIUM,
                64_000,
                1_000,
                2 * MB,
                50_000,
                "2026-11-25T10:00:00Z",
                className + " grows",
                "because",
                new Suspect.Evidence(100, 10, 9, 1e-9, 0.9, 60_000, 80),
                List.of(),
                List.of());
    }

    private static List<GaugeFinding> withoutFingerprints(List<GaugeFinding> findings) {
        return findings.stream().map(finding -> finding.withFingerprint(null)).toList();
    }
}
