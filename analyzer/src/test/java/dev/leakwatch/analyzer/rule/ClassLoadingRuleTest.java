package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.plateau;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.analysis.SyntheticRecording.Curve;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.TrendFitter;
import dev.leakwatch.format.report.GaugeFinding;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Class-loader leaks in the two shapes issue 13 saw stay silent, and the class loading that is not one, on synthetic
 * recordings judged by the rule alone (the whole window, no warm-up). Unless a test says otherwise, the recording
 * snapshots every 30 s (the agent's default interval) for 8 minutes: 17 points.
 */
class ClassLoadingRuleTest {
    private static final String PLUGIN_LOADER = "com.acme.plugins.PluginClassLoader";
    private static final String SCRIPT_LOADER = "com.acme.script.ScriptClassLoader";
    private static final String APP_LOADER = "jdk.internal.loader.ClassLoaders$AppClassLoader";

    private static SyntheticRecording every30sFor8Minutes() {
        return SyntheticRecording.create().every(Duration.ofSeconds(30)).lasting(Duration.ofMinutes(8));
    }

    private static RuleResult judge(SyntheticRecording recording) {
        return new ClassLoadingRule().evaluate(new AnalysisWindow(recording.table(), 0));
    }

    private static GaugeFinding finding(SyntheticRecording recording) {
        RuleResult result = judge(recording);
        assertEquals(1, result.findings().size(), () -> "no class-loading finding: " + result);
        GaugeFinding finding = result.findings().get(0);
        assertEquals(ClassLoadingRule.KIND, finding.kind());
        assertTrue(finding.confidence() >= SharedThresholds.REPORTED_CONFIDENCE, "confidence " + finding.confidence());
        return finding;
    }

    private static void assertNoFinding(SyntheticRecording recording) {
        RuleResult result = judge(recording);
        assertTrue(result.enoughData(), result::toString);
        assertEquals(List.of(), result.findings());
    }

    /**
     * (a) A hot reload every 2.5 minutes defines the plugin's 240 classes in a new loader and the old one stays
     * pinned. The loaded classes climb in steps 5 snapshots apart; every third of the 8 minutes holds a reload, wherever
     * the reloads fall against the snapshots.
     */
    @Test
    void aNewLoaderPerReloadIsAFindingThatNamesItsType() {
        for (int offsetSeconds = 0; offsetSeconds < 150; offsetSeconds += 15) {
            Curve reloads = shifted(steps(1, 1, 150), offsetSeconds);
            SyntheticRecording recording = every30sFor8Minutes()
                    .loadedClasses(reloads.times(240).plus(constant(5_000)))
                    .withLoaders(PLUGIN_LOADER, reloads, reloads.times(240))
                    .withLoaders(APP_LOADER, constant(1), constant(2_400));
            GaugeFinding finding = finding(recording);
            assertEquals(96, finding.growthPerMinute(), 24, "classes per minute");
            assertTrue(
                    finding.explanation().contains("Class loaders of type " + PLUGIN_LOADER + " accumulate"),
                    finding.explanation());
        }
    }

    /**
     * The same reloads judged as a sampled size is: the newest third of the points (6 of 17, 2.5 minutes) holds one
     * reload, and where it falls next to that part's edge, the part's Theil-Sen slope is 0 and its trend test not
     * significant, so the leak reads as levelled off: for 4 of these 10 offsets. That silenced the class-loading
     * finding while loaded classes were judged as a gauge is.
     */
    @Test
    void theNewestThirdOfThePointsMissesSomeOfTheReloads() {
        int missed = 0;
        for (int offsetSeconds = 0; offsetSeconds < 150; offsetSeconds += 15) {
            Curve loaded = shifted(steps(1, 1, 150), offsetSeconds).times(240).plus(constant(5_000));
            AnalysisWindow.Series series = new AnalysisWindow(
                            every30sFor8Minutes().loadedClasses(loaded).table(), 0)
                    .gauge(dev.leakwatch.analyzer.series.SeriesTable.Gauge.LOADED_CLASSES);
            var fit = TrendFitter.fit(series.minutes(), series.values());
            if (GrowthVerdict.confidence(fit) < SharedThresholds.REPORTED_CONFIDENCE
                    || !GrowthVerdict.stillGrowing(fit)) {
                missed++;
            }
        }
        assertTrue(missed >= 3, missed + " of 10 offsets missed");
    }

    /**
     * (b) One long-lived loader compiles a class for every distinct script it evaluates, 300 a minute: the number of
     * loaders stays at one while the classes they defined climb.
     */
    @Test
    void oneLoaderDefiningClassesPerEvaluationIsAFindingThatNamesItsType() {
        GaugeFinding finding = finding(every30sFor8Minutes()
                .loadedClasses(linear(5_000, 300))
                .withLoaders(SCRIPT_LOADER, constant(1), linear(40, 300))
                .withLoaders(APP_LOADER, constant(1), constant(2_400)));
        assertEquals(300, finding.growthPerMinute(), 3);
        assertTrue(
                finding.explanation().contains("1 class loader of type " + SCRIPT_LOADER + " keeps defining classes"),
                finding.explanation());
        assertFalse(finding.explanation().contains("hidden"), finding.explanation());
    }

    /**
     * (b) with hidden classes (a lambda or {@code Lookup.defineHiddenClass} per evaluation): they count as loaded, but
     * reach no class-file hook, so no loader type's count moves.
     */
    @Test
    void hiddenClassesNameNoLoaderType() {
        GaugeFinding finding = finding(every30sFor8Minutes()
                .loadedClasses(linear(5_000, 300))
                .withLoaders(APP_LOADER, constant(1), constant(2_400)));
        assertTrue(finding.explanation().contains(Wording.NO_LOADER_DEFINES_THEM), finding.explanation());
    }

    /** The JDK's loaders defining a class now and then beside hidden ones are not named. */
    @Test
    void aFewClassesFromTheJdksLoadersBesideHiddenOnesNameNoLoaderType() {
        GaugeFinding finding = finding(every30sFor8Minutes()
                .loadedClasses(linear(5_000, 300))
                .withLoaders("<bootstrap>", constant(1), linear(2_000, 6))
                .withLoaders(APP_LOADER, constant(1), linear(400, 3)));
        assertTrue(finding.explanation().contains(Wording.NO_LOADER_DEFINES_THEM), finding.explanation());
    }

    /** A loader type that defines some of the new classes is named, and the rest said to be hidden. */
    @Test
    void hiddenClassesBesideALoaderAreSaidToBeHidden() {
        GaugeFinding finding = finding(every30sFor8Minutes()
                .loadedClasses(linear(5_000, 600))
                .withLoaders(SCRIPT_LOADER, constant(1), linear(40, 90)));
        assertTrue(finding.explanation().contains("keeps defining classes"), finding.explanation());
        assertTrue(finding.explanation().contains("They defined 15% of the new classes"), finding.explanation());
        assertTrue(finding.explanation().contains(Wording.HIDDEN_CLASSES), finding.explanation());
    }

    /** Without allocation tracking there are no class-definition counts: the finding stands, and says how to name. */
    @Test
    void withoutClassDefinitionCountsTheFindingSaysHowToNameTheLoader() {
        GaugeFinding finding =
                finding(every30sFor8Minutes().loadedClasses(linear(5_000, 300)).unloadedClasses(constant(0)));
        assertTrue(finding.explanation().contains(Wording.LOADER_TYPES_NOT_RECORDED), finding.explanation());
        assertTrue(finding.explanation().contains("2400 classes were loaded and 0 unloaded"), finding.explanation());
        assertTrue(finding.explanation().contains("Metaspace grew by"), finding.explanation());
    }

    /** Issue 13's recording: 9 snapshots 12 s apart are enough when every one adds classes. */
    @Test
    void nineSnapshotsTwelveSecondsApartAreEnough() {
        SyntheticRecording recording = SyntheticRecording.create()
                .every(Duration.ofSeconds(12))
                .lasting(Duration.ofSeconds(96))
                .loadedClasses(linear(5_000, 472))
                .withLoaders(SCRIPT_LOADER, constant(1), linear(10, 472));
        assertEquals(9, recording.pointCount());
        assertEquals(1.0, finding(recording).confidence());
    }

    // ---- class loading that is no leak ----

    /** A feature first used late loads its few hundred classes once: one step, two thirds without growth. */
    @Test
    void oneBatchOfClassesIsNoFinding() {
        for (double at : new double[] {60, 240, 400}) {
            assertNoFinding(every30sFor8Minutes().loadedClasses(seconds -> seconds < at ? 5_000 : 5_600));
        }
    }

    /** Loading that went on for two thirds of the window and stopped (a long warm-up) has levelled off. */
    @Test
    void loadingThatStoppedIsNoFinding() {
        assertNoFinding(every30sFor8Minutes().loadedClasses(plateau(5_000, 300, 300)));
    }

    /**
     * Classes generated and dropped (a loader per script, released): the count rises between collections and falls
     * when they unload them, thousands loaded and as many unloaded.
     */
    @Test
    void classesUnloadedAsFastAsTheyAreLoadedAreNoFinding() {
        Curve loadedSinceLastUnload = seconds -> 300 * (seconds % 90) / 60;
        Curve unloadedSoFar = seconds -> 450 * Math.floor(seconds / 90);
        assertNoFinding(every30sFor8Minutes()
                .loadedClasses(loadedSinceLastUnload.plus(constant(5_000)))
                .unloadedClasses(unloadedSoFar));
    }

    /** Reflection accessors and lambdas as new code paths warm up: steady, but a few a minute. */
    @Test
    void aFewClassesAMinuteAreNoFinding() {
        assertNoFinding(every30sFor8Minutes().loadedClasses(linear(5_000, 20)));
    }

    private static Curve shifted(Curve curve, double seconds) {
        return at -> curve.at(at + seconds);
    }
}
