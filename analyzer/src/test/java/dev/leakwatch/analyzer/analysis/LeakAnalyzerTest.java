package dev.leakwatch.analyzer.analysis;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.START;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linearFrom;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.plateau;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.sawtooth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.SyntheticRecording.Curve;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole analysis, from a {@link SeriesTable} to a {@link LeakReport}, on recordings whose truth is known: each
 * test builds a synthetic recording (snapshots every 2 s for 10 minutes unless it says otherwise, loaded classes
 * settling after 10 s) and checks the verdict a user would act on.
 */
class LeakAnalyzerTest {
    /** Sessions leaked per minute in the main scenario, and what each one retains. */
    private static final double SESSIONS_PER_MINUTE = 3_000;

    private static final long SESSION_BYTES = 40;
    private static final long NODE_BYTES = 32;
    private static final long PAYLOAD_BYTES = 512;

    /**
     * What every scenario runs on top of: a big steady {@code java.lang.String} population and classes whose
     * retained size churns with the load but does not trend (request objects, buffers).
     */
    private static SyntheticRecording typicalApplication() {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .withClass(
                        "com.acme.web.Request",
                        constant(500 * KB).plus(noise(400 * KB, 4)),
                        constant(5_000).plus(noise(4_000, 5)))
                .withClass(
                        "char[]",
                        constant(300 * KB).plus(noise(250 * KB, 6)),
                        constant(3_000).plus(noise(2_000, 7)));
    }

    /** A session leak: each leaked {@code com.acme.Session} holds a map entry and a 512-byte payload. */
    private static SyntheticRecording sessionLeak(Curve sessions) {
        return typicalApplication()
                .withObjects("com.acme.Session", SESSION_BYTES, sessions)
                .withObjects("java.util.HashMap$Node", NODE_BYTES, sessions.plus(constant(30_000)))
                .withClass(
                        "byte[]",
                        sessions.times(PAYLOAD_BYTES).plus(constant(8 * MB)).plus(noise(100 * KB, 9)),
                        sessions.plus(constant(40_000)));
    }

    private static List<String> relatedNames(Suspect suspect) {
        return suspect.relatedClasses().stream().map(RelatedClass::className).toList();
    }

    private static Stream<Suspect> suspectsAndCandidates(LeakReport report) {
        return Stream.concat(report.suspects().stream(), report.candidates().stream());
    }

    private static void assertWithin(double expected, double actual, double fraction, String what) {
        assertTrue(
                Math.abs(actual - expected) <= fraction * Math.abs(expected),
                what + ": expected " + expected + " within " + (fraction * 100) + "%, was " + actual);
    }

    // ---- (a) a leak among steady and churning classes ----

    @Test
    void aLinearSessionLeakIsTheOneSuspectWithWhatItHolds() {
        LeakReport report = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE)).analyze();

        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        assertEquals(1, report.suspects().size(), () -> "suspects: " + report.suspects());
        Suspect suspect = report.suspects().get(0);
        assertEquals("com.acme.Session", suspect.className());
        assertEquals(1, suspect.rank());
        assertTrue(
                relatedNames(suspect).containsAll(List.of("java.util.HashMap$Node", "byte[]")),
                "related: " + relatedNames(suspect));
        assertFalse(relatedNames(suspect).contains("java.lang.String"), "the steady String pool is not part of it");
        assertTrue(suspect.confidence() >= 0.5, "confidence " + suspect.confidence());
        assertWithin(
                SESSIONS_PER_MINUTE * (SESSION_BYTES + NODE_BYTES + PAYLOAD_BYTES),
                suspect.growthBytesPerMinute(),
                0.10,
                "group growth in bytes per minute");
        assertWithin(SESSIONS_PER_MINUTE, suspect.growthInstancesPerMinute(), 0.10, "sessions per minute");
        assertEquals(1_000 + 30_000, suspect.liveInstances(), "sessions in the newest snapshot");
        assertTrue(suspect.allocationSites().isEmpty());
        assertFalse(suspect.summary().isBlank());
        assertFalse(suspect.explanation().isBlank());
        suspectsAndCandidates(report)
                .forEach(found -> assertFalse(
                        List.of("java.lang.String", "java.lang.Object[]", "com.acme.web.Request", "char[]")
                                .contains(found.className()),
                        "steady or churning class reported: " + found.className()));
    }

    /**
     * Issue 13: a scripting engine kept what it compiled for every distinct script, and a 1% budget spaced the
     * snapshots 12 s apart, so 9 points fell in the window: rising in every pair (p = 0.00013), +320% of its size,
     * 944 KB/min. Its confidence must come from that evidence, not from how few points carry it.
     */
    @Test
    void aCleanRiseOverNinePointsIsASuspect() {
        LeakReport report = typicalApplication()
                .every(Duration.ofSeconds(12))
                .lasting(Duration.ofSeconds(108))
                .withObjects("com.acme.script.CompiledScript", 2 * KB, linear(236, 472))
                .analyze();
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        Suspect suspect = report.suspects().get(0);
        assertEquals("com.acme.script.CompiledScript", suspect.className());
        assertEquals(9, suspect.evidence().points());
        assertEquals(1.0, suspect.evidence().kendallTau());
        assertTrue(suspect.confidence() >= 0.9, "confidence " + suspect.confidence());
        assertWithin(944 * KB, suspect.growthBytesPerMinute(), 0.05, "growth per minute");
    }

    @Test
    void aLeakThatStartsMidRunIsFirstSeenGrowingNearItsOnset() {
        Instant onset = START.plusSeconds(240);
        LeakReport report =
                sessionLeak(linearFrom(1_000, SESSIONS_PER_MINUTE, 240)).analyze();

        assertEquals(1, report.suspects().size(), () -> "suspects: " + report.suspects());
        Suspect suspect = report.suspects().get(0);
        assertEquals("com.acme.Session", suspect.className());
        Instant firstSeen = Instant.parse(suspect.firstSeenGrowing());
        assertTrue(
                Duration.between(onset, firstSeen).abs().compareTo(Duration.ofSeconds(30)) <= 0,
                "first seen growing at " + firstSeen + ", the leak started at " + onset);
    }

    // ---- (b) to (e): growth that is not a leak ----

    @Test
    void aCacheThatFillsAndThenStaysFlatIsNoSuspect() {
        // Grows 2.9 MB/min for the first 40% of the run, then not at all.
        LeakReport report = typicalApplication()
                .withObjects("com.acme.ProductCache", 1_000, plateau(1_000, SESSIONS_PER_MINUTE, 240))
                .analyze();
        assertEquals(List.of(), report.suspects());
        assertEquals(List.of(), report.candidates(), "a filled cache is not even worth a second look");
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
        assertFalse(report.heap().growing(), report.heap().summary());
    }

    @ParameterizedTest(name = "cleared every {0} s")
    @ValueSource(ints = {60, 120, 200})
    void aCacheThatIsClearedPeriodicallyIsNoSuspect(int periodSeconds) {
        LeakReport report = typicalApplication()
                .withObjects("com.acme.BatchBuffer", 1_000, sawtooth(1_000, SESSIONS_PER_MINUTE, periodSeconds))
                .analyze();
        assertEquals(List.of(), report.suspects());
        assertEquals(List.of(), report.candidates(), "rising ramps of a cycle are not a trend");
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
    }

    @Test
    void stationaryNoiseIsNoLeak() {
        LeakReport report = typicalApplication().analyze();
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
        assertEquals(List.of(), report.suspects());
        assertEquals(List.of(), report.candidates());
        assertEquals(List.of(), report.findings());
        assertFalse(report.heap().growing(), report.heap().summary());
        assertNull(report.heap().minutesToExhaustion());
        assertEquals("No retained growth found.", report.summary());
    }

    @Test
    void steadyGrowthBelowTheAbsoluteNoiseFloorIsOnlyACandidate() {
        // 256 objects of 32 bytes a minute: 8 KB/min, perfectly steady, well above its size relative floor.
        LeakReport report = typicalApplication()
                .withObjects("com.acme.AuditTrail", 32, linear(2_000, 256))
                .analyze();
        assertEquals(List.of(), report.suspects());
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
        Suspect candidate = report.candidates().stream()
                .filter(c -> c.className().equals("com.acme.AuditTrail"))
                .findFirst()
                .orElseThrow();
        assertWithin(8 * KB, candidate.growthBytesPerMinute(), 0.10, "candidate growth");
        assertTrue(
                candidate.explanation().startsWith("Not reported as a suspect: it grows by less than the noise floor"),
                candidate.explanation());
    }

    // ---- (f) too little data ----

    @Test
    void tooFewSnapshotsGiveNoVerdictButSayWhy() {
        LeakReport report = sessionLeak(linear(1_000, 30 * SESSIONS_PER_MINUTE))
                .lasting(Duration.ofSeconds(10))
                .analyze();
        assertEquals(Verdict.NOT_ENOUGH_DATA, report.verdict());
        assertEquals(List.of(), report.suspects());
        assertEquals(List.of(), report.findings());
        assertTrue(
                report.warnings().stream().anyMatch(w -> w.startsWith("Not enough data yet")),
                "warnings: " + report.warnings());
        assertEquals("Not enough data for a verdict yet.", report.summary());
    }

    @Test
    void manySnapshotsOverAFewSecondsAreStillNotEnough() {
        LeakReport report = sessionLeak(linear(1_000, 30 * SESSIONS_PER_MINUTE))
                .every(Duration.ofMillis(250))
                .lasting(Duration.ofSeconds(15))
                .analyze();
        assertEquals(Verdict.NOT_ENOUGH_DATA, report.verdict());
        assertTrue(
                report.snapshots().analysedPoints() >= 8,
                "plenty of points: " + report.snapshots().analysedPoints());
        assertEquals(List.of(), report.suspects());
    }

    @Test
    void anEmptyTableIsNotEnoughData() {
        LeakReport report = new LeakAnalyzer()
                .analyze(
                        new SeriesTable(8),
                        SyntheticRecording.source(),
                        new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK));
        assertEquals(Verdict.NOT_ENOUGH_DATA, report.verdict());
        assertEquals(0, report.snapshots().count());
        assertNull(report.snapshots().first());
    }

    // ---- (g) and (h): naming and ranking ----

    @Test
    void aPureJdkLeakIsNamedAfterStringRatherThanItsByteArrays() {
        Curve strings = linear(400_000, SESSIONS_PER_MINUTE);
        LeakReport report = SyntheticRecording.create()
                .withObjects("java.lang.String", 24, strings.plus(noise(2_000, 1)))
                .withClass("byte[]", strings.times(48).plus(noise(20_000, 8)), strings)
                .withClass(
                        "java.lang.Object[]",
                        constant(2 * MB).plus(noise(MB, 2)),
                        constant(20_000).plus(noise(5_000, 3)))
                .analyze();
        assertEquals(1, report.suspects().size(), () -> "suspects: " + report.suspects());
        Suspect suspect = report.suspects().get(0);
        assertEquals("java.lang.String", suspect.className());
        assertEquals(List.of("byte[]"), relatedNames(suspect));
        assertWithin(SESSIONS_PER_MINUTE * (24 + 48), suspect.growthBytesPerMinute(), 0.10, "group growth");
    }

    @Test
    void twoIndependentLeaksAreTwoSuspectsRankedByGrowth() {
        // Sessions leak more objects, entries more bytes: the rank follows the bytes.
        LeakReport report = typicalApplication()
                .withObjects("com.acme.Session", SESSION_BYTES, linear(1_000, SESSIONS_PER_MINUTE))
                .withObjects("com.acme.cache.Entry", 512, linear(1_000, 1_000))
                .analyze();
        assertEquals(
                List.of("com.acme.cache.Entry", "com.acme.Session"),
                report.suspects().stream().map(Suspect::className).toList());
        assertEquals(
                List.of(1, 2), report.suspects().stream().map(Suspect::rank).toList());
        assertWithin(512 * 1_000, report.suspects().get(0).growthBytesPerMinute(), 0.10, "entries");
        assertWithin(
                SESSION_BYTES * SESSIONS_PER_MINUTE, report.suspects().get(1).growthBytesPerMinute(), 0.10, "sessions");
        assertEquals("2 leak suspects.", report.summary());
    }

    @Test
    void anOwnerAndTheTypeItHoldsOneToOneAreOneSuspect() {
        Curve sessions = linear(1_000, SESSIONS_PER_MINUTE);
        LeakReport report = typicalApplication()
                .withObjects("com.acme.Session", SESSION_BYTES, sessions)
                .withObjects("com.acme.SessionAttributes", 96, sessions)
                .analyze();
        assertEquals(1, report.suspects().size(), () -> "suspects: " + report.suspects());
        Suspect suspect = report.suspects().get(0);
        assertEquals(
                List.of("com.acme.SessionAttributes", "com.acme.Session"),
                Stream.concat(Stream.of(suspect.className()), relatedNames(suspect).stream())
                        .toList(),
                "led by the member that grows most");
    }

    // ---- (i) JVM-level growth ----

    @Test
    void classesLoadedSteadilyAreAClassLoadingFinding() {
        LeakReport report =
                typicalApplication().loadedClasses(linear(5_000, 600)).analyze();
        GaugeFinding finding = finding(report, "class-loading");
        assertWithin(600, finding.growthPerMinute(), 0.10, "classes per minute");
        assertEquals("classes", finding.unit());
        assertTrue(finding.confidence() >= 0.5, "confidence " + finding.confidence());
        assertTrue(finding.explanation().contains("Metaspace grew by"), finding.explanation());
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        assertEquals("0 leak suspects and 1 JVM-level growth finding.", report.summary());
    }

    @Test
    void threadsStartedSteadilyAreAThreadsFinding() {
        LeakReport report = typicalApplication().liveThreads(linear(20, 10)).analyze();
        GaugeFinding finding = finding(report, "threads");
        assertWithin(10, finding.growthPerMinute(), 0.10, "threads per minute");
        assertEquals(Verdict.LEAK_SUSPECTED, report.verdict());
        assertTrue(report.findings().stream().noneMatch(f -> f.kind().equals("class-loading")));
    }

    @Test
    void directBuffersGrowingSteadilyAreADirectMemoryFinding() {
        LeakReport report =
                typicalApplication().directBufferBytes(linear(MB, 2 * MB)).analyze();
        GaugeFinding finding = finding(report, "direct-memory");
        assertWithin(2 * MB, finding.growthPerMinute(), 0.10, "direct bytes per minute");
    }

    @Test
    void slowGaugeDriftBelowItsFloorIsNoFinding() {
        // A few classes a minute (lambdas, reflection accessors) and a thread now and then are normal life.
        LeakReport report = typicalApplication()
                .loadedClasses(linear(5_000, 10))
                .liveThreads(linear(20, 1))
                .analyze();
        assertEquals(List.of(), report.findings());
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
    }

    private static GaugeFinding finding(LeakReport report, String kind) {
        return report.findings().stream()
                .filter(f -> f.kind().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " finding in " + report.findings()));
    }

    // ---- (j) the heap's live set ----

    @Test
    void aGrowingLiveSetProjectsWhenTheHeapRunsOut() {
        double bytesPerMinute = SESSIONS_PER_MINUTE * 1_000;
        LeakReport report = typicalApplication()
                .withObjects("com.acme.Session", 1_000, linear(1_000, SESSIONS_PER_MINUTE))
                .heapMax(256 * MB)
                .analyze();
        var heap = report.heap();
        assertTrue(heap.growing(), heap.summary());
        assertEquals("live-histogram", heap.liveSetSource());
        assertEquals(256 * MB, heap.maxHeapBytes());
        assertWithin(bytesPerMinute, heap.growthBytesPerMinute(), 0.10, "live set growth");
        assertNotNull(heap.minutesToExhaustion());
        assertWithin(
                (heap.maxHeapBytes() - heap.liveBytesNow()) / heap.growthBytesPerMinute(),
                heap.minutesToExhaustion(),
                0.01,
                "minutes to exhaustion");
        assertWithin(
                (256 * MB - heap.liveBytesNow()) / bytesPerMinute,
                heap.minutesToExhaustion(),
                0.10,
                "minutes to exhaustion at the true rate");
        Instant last = Instant.parse(report.snapshots().last());
        Instant projected = Instant.parse(heap.projectedExhaustionAt());
        assertWithin(
                heap.minutesToExhaustion(),
                Duration.between(last, projected).toMillis() / 60_000.0,
                0.01,
                "projected exhaustion time");
        assertTrue(heap.summary().contains("the heap would be full in about"), heap.summary());
    }

    @Test
    void withoutLiveHistogramsTheLiveSetComesFromThePoolsAfterGc() {
        LeakReport report = typicalApplication()
                .kind(HistogramKind.ALL_AFTER_GC)
                .heapLiveAfterGc(linear(100 * MB, 4 * MB).plus(noise(MB, 11)))
                .heapMax(1024 * MB)
                .analyze();
        var heap = report.heap();
        assertEquals("pool-usage-after-gc", heap.liveSetSource());
        assertTrue(heap.growing(), heap.summary());
        assertWithin(4 * MB, heap.growthBytesPerMinute(), 0.10, "live set growth");
        assertWithin(
                (1024 * MB - heap.liveBytesNow()) / (4.0 * MB),
                heap.minutesToExhaustion(),
                0.10,
                "minutes to exhaustion");
    }

    @Test
    void withoutAKnownMaximumThereIsNoExhaustionProjection() {
        LeakReport report = typicalApplication()
                .withObjects("com.acme.Session", 1_000, linear(1_000, SESSIONS_PER_MINUTE))
                .withoutGauges()
                .analyze();
        assertTrue(report.heap().growing(), report.heap().summary());
        assertEquals(-1, report.heap().maxHeapBytes());
        assertNull(report.heap().minutesToExhaustion());
        assertNull(report.heap().projectedExhaustionAt());
    }

    // ---- (k) warm-up ----

    @Test
    void aFixedWarmupOptionIsHonoured() {
        LeakReport report = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE))
                .analyze(new AnalysisSettings(Optional.of(Duration.ofMinutes(2)), SyntheticRecording.FIXED_CLOCK));
        assertEquals(Warmup.RULE_OPTION, report.snapshots().warmupRule());
        assertEquals(120.0, report.snapshots().warmupSeconds(), 4.0);
        assertTrue(
                report.snapshots().analysedPoints() < report.snapshots().count() * 0.85,
                "analysed " + report.snapshots().analysedPoints() + " of "
                        + report.snapshots().count());
        Instant firstSeen = Instant.parse(report.suspects().get(0).firstSeenGrowing());
        assertFalse(firstSeen.isBefore(START.plusSeconds(120)), "growth seen inside the warm-up: " + firstSeen);
    }

    @Test
    void aWarmupOptionLongerThanTheRecordingLeavesNotEnoughData() {
        LeakReport report = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE))
                .analyze(new AnalysisSettings(Optional.of(Duration.ofMinutes(30)), SyntheticRecording.FIXED_CLOCK));
        assertEquals(Verdict.NOT_ENOUGH_DATA, report.verdict());
        assertEquals(Warmup.RULE_OPTION, report.snapshots().warmupRule());
    }

    @Test
    void theAutomaticWarmupEndsWhenClassLoadingSettles() {
        // Classes load for the first 10 s; the table keeps a point every 4 s once thinned.
        LeakReport report = typicalApplication().analyze();
        assertEquals(Warmup.RULE_CLASS_LOADING, report.snapshots().warmupRule());
        assertTrue(
                report.snapshots().warmupSeconds() >= 8 && report.snapshots().warmupSeconds() <= 14,
                "warm-up " + report.snapshots().warmupSeconds() + " s");

        LeakReport later = typicalApplication()
                .loadedClasses(SyntheticRecording.settlesAt(120, 2_000, 8_000))
                .analyze();
        assertEquals(Warmup.RULE_CLASS_LOADING, later.snapshots().warmupRule());
        assertTrue(
                later.snapshots().warmupSeconds() >= 110 && later.snapshots().warmupSeconds() <= 124,
                "warm-up " + later.snapshots().warmupSeconds() + " s");
    }

    @Test
    void growthDuringTheWarmupIsNotALeak() {
        // A cache that fills while classes still load (the first two minutes), then stays put.
        LeakReport report = typicalApplication()
                .loadedClasses(SyntheticRecording.settlesAt(120, 2_000, 8_000))
                .withObjects("com.acme.ProductCache", 1_000, plateau(1_000, 10 * SESSIONS_PER_MINUTE, 120))
                .analyze();
        assertEquals(List.of(), report.suspects());
        assertTrue(suspectsAndCandidates(report).noneMatch(s -> s.className().equals("com.acme.ProductCache")));
    }

    @Test
    void theWarmupIsCappedWhenClassLoadingNeverSettles() {
        LeakReport report =
                typicalApplication().loadedClasses(linear(5_000, 600)).analyze();
        assertEquals(Warmup.RULE_CAPPED, report.snapshots().warmupRule());
        assertEquals(0.3 * 600, report.snapshots().warmupSeconds(), 4.0);
    }

    @Test
    void withoutGaugesAShareOfTheSpanIsTakenAsWarmup() {
        LeakReport report = typicalApplication().withoutGauges().analyze();
        assertEquals(Warmup.RULE_NO_GAUGES, report.snapshots().warmupRule());
        assertEquals(0.15 * 600, report.snapshots().warmupSeconds(), 4.0);
    }

    // ---- (l) the tool's own classes ----

    @Test
    void leakwatchsOwnClassesAreNeverSuspects() {
        Curve growing = linear(1_000, SESSIONS_PER_MINUTE);
        LeakReport report = typicalApplication()
                .withObjects("dev.leakwatch.agent.snapshot.SnapshotBuffer", 1_000, growing)
                .withObjects("dev.leakwatch.analyzer.series.SeriesTable", 200, growing)
                .withObjects("dev.leakwatch.shaded.com.fasterxml.jackson.core.JsonToken", 100, growing)
                .analyze();
        assertEquals(List.of(), report.suspects());
        assertEquals(List.of(), report.candidates());
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
    }

    @Test
    void leakwatchsOwnClassesAreNotListedAsRelatedEither() {
        Curve sessions = linear(1_000, SESSIONS_PER_MINUTE);
        LeakReport report = typicalApplication()
                .withObjects("com.acme.Session", SESSION_BYTES, sessions)
                .withObjects("dev.leakwatch.agent.snapshot.SnapshotBuffer", 64, sessions)
                // The sample applications live under dev.leakwatch too, and their leaks are real.
                .withObjects(
                        "dev.leakwatch.samples.leaks.ListenerLeak$Listener", 48, linear(1_000, 5 * SESSIONS_PER_MINUTE))
                .analyze();
        List<String> named = suspectsAndCandidates(report)
                .flatMap(s -> Stream.concat(Stream.of(s.className()), relatedNames(s).stream()))
                .toList();
        assertTrue(
                named.containsAll(List.of("com.acme.Session", "dev.leakwatch.samples.leaks.ListenerLeak$Listener")),
                "named: " + named);
        assertTrue(named.stream().noneMatch(name -> name.startsWith("dev.leakwatch.agent.")), "named: " + named);
    }

    // ---- caveats ----

    @Test
    void histogramsThatCountGarbageMakeTheRatesApproximate() {
        LeakReport report = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE))
                .kind(HistogramKind.ALL)
                .analyze();
        Suspect suspect = report.suspects().get(0);
        assertTrue(suspect.explanation().contains("garbage included"), suspect.explanation());
        assertEquals(
                java.util.Map.of("all", report.snapshots().count()),
                report.snapshots().histogramKinds());
    }

    @Test
    void aShortWindowSaysACacheCouldLookTheSame() {
        LeakReport shortRun = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE))
                .lasting(Duration.ofMinutes(2))
                .analyze();
        assertTrue(
                shortRun.suspects().get(0).explanation().contains("The window is short"),
                shortRun.suspects().get(0).explanation());
        LeakReport longRun = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE)).analyze();
        assertFalse(
                longRun.suspects().get(0).explanation().contains("The window is short"),
                longRun.suspects().get(0).explanation());
        assertFalse(longRun.suspects().get(0).explanation().contains("garbage"), "live histograms need no caveat");
    }

    // ---- the report around the findings ----

    @Test
    void theAgentSummarySaysHowMuchCodeTheAllocationTrackingCovered() {
        LeakReport counted = analyzeAllocations(new InstrumentationCounts(2_315, 41_207, 1));
        var tracking = counted.agent().allocationTracking();
        assertEquals(2_315L, tracking.instrumentedClasses(), "from the newest snapshot");
        assertEquals(41_207L, tracking.instrumentedSites());
        assertEquals(1L, tracking.failedClasses());

        var uncounted = analyzeAllocations(null).agent().allocationTracking();
        assertNotNull(uncounted, "allocation tracking ran");
        assertNull(uncounted.instrumentedClasses(), "snapshots of format 2 did not record it: unknown, not zero");
        assertNull(uncounted.failedClasses());
    }

    @Test
    void theAgentSummarySaysWhichSamplerPickedTheSamples() {
        var instrumented = analyzeAllocations(new InstrumentationCounts(2_315, 41_207, 1))
                .agent()
                .allocationTracking();
        assertEquals(AllocationSampler.INSTRUMENTATION, instrumented.sampler());
        assertEquals(4096, instrumented.samplingInterval());

        SeriesTable table = new SeriesTable(16);
        for (int i = 0; i < 10; i++) {
            ClassHistogram histogram = new ClassHistogram(
                    HistogramKind.LIVE, new String[] {"byte[]"}, new long[] {10}, new long[] {1_000});
            // The newest snapshot decides, as for the other totals.
            AllocationStats stats = new AllocationStats(4096, 10, 100_000, 0, List.of())
                    .withSampler(i == 9 ? AllocationSampler.JVM : AllocationSampler.INSTRUMENTATION, 512 * 1024);
            table.add(new Snapshot(
                    i,
                    START.toEpochMilli() + i * 60_000L,
                    i * 60_000L,
                    1,
                    "17.0.15",
                    5,
                    histogram,
                    Optional.empty(),
                    Optional.of(stats)));
        }
        var sampled = new LeakAnalyzer()
                .analyze(
                        table,
                        SyntheticRecording.source(),
                        new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK))
                .agent()
                .allocationTracking();
        assertEquals(AllocationSampler.JVM, sampled.sampler());
        assertEquals(512 * 1024, sampled.samplingInterval(), "in bytes");
        assertNull(sampled.instrumentedClasses(), "the JVM sampler instruments nothing");
    }

    /** Ten snapshots with allocation tracking, the last one carrying {@code newest} (and the others less). */
    private static LeakReport analyzeAllocations(InstrumentationCounts newest) {
        SeriesTable table = new SeriesTable(16);
        for (int i = 0; i < 10; i++) {
            ClassHistogram histogram = new ClassHistogram(
                    HistogramKind.LIVE, new String[] {"byte[]"}, new long[] {10}, new long[] {1_000});
            AllocationStats stats = new AllocationStats(4096, 10, 100_000, 0, List.of());
            if (newest != null) {
                stats = stats.withInstrumentation(i == 9 ? newest : new InstrumentationCounts(i, i, 0));
            }
            table.add(new Snapshot(
                    i,
                    START.toEpochMilli() + i * 60_000L,
                    i * 60_000L,
                    1,
                    "17.0.15",
                    5,
                    histogram,
                    Optional.empty(),
                    Optional.of(stats)));
        }
        return new LeakAnalyzer()
                .analyze(
                        table,
                        SyntheticRecording.source(),
                        new AnalysisSettings(Optional.empty(), SyntheticRecording.FIXED_CLOCK));
    }

    @Test
    void theReportDescribesWhatWasAnalysed() {
        LeakReport report = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE)).analyze();
        assertEquals(LeakReport.SCHEMA_VERSION, report.schemaVersion());
        assertEquals("2026-11-25T12:00:00Z", report.generatedAt(), "stamped by the settings' clock");
        assertEquals("synthetic recording", report.source());
        var snapshots = report.snapshots();
        assertEquals(START.toString(), snapshots.first());
        assertEquals(START.plus(Duration.ofMinutes(10)).toString(), snapshots.last());
        assertEquals(600.0, snapshots.spanSeconds());
        assertTrue(snapshots.count() <= SyntheticRecording.TABLE_CAPACITY, "count " + snapshots.count());
        assertEquals(301, snapshots.recordsRead());
        assertEquals(java.util.Map.of("live", snapshots.count()), snapshots.histogramKinds());
        assertEquals(4242L, snapshots.pid());
        assertEquals("17.0.15+6", snapshots.jvm());
        assertEquals("live", report.agent().histogramMode());
        // 301 snapshots of 40 ms each over 600 s.
        assertEquals(301 * 0.040, report.agent().snapshotSecondsTotal(), 0.05);
        assertEquals(100 * 301 * 0.040 / 600, report.agent().overheadPercent(), 0.01);
        assertNull(report.agent().suppressedErrors());
    }

    @Test
    void theSameInputGivesTheSameReport() {
        SyntheticRecording recording = sessionLeak(linear(1_000, SESSIONS_PER_MINUTE));
        assertEquals(recording.analyze(), recording.analyze());
    }
}
