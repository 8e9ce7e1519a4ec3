package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.TheilSen;
import dev.leakwatch.analyzer.trend.ThirdsGrowth;
import dev.leakwatch.analyzer.trend.TrendFit;
import dev.leakwatch.analyzer.trend.TrendFitter;
import dev.leakwatch.format.report.GaugeFinding;
import java.util.TreeSet;

/**
 * Classes loaded and not unloaded, steadily: class loaders that stay reachable (a new one per reload, plugin or
 * script) or one long-lived loader that defines new classes per evaluation. A finding on its own, from the JVM's
 * class counts alone; no suspect and no allocation tracking is needed for it. The confidence threshold and the window
 * are those every rule shares ({@link SharedThresholds}).
 *
 * <p>Loaded classes are an exact count, net of those unloaded, that moves in steps when classes come in batches (one
 * reload a minute). Its steadiness is therefore judged over the thirds of the window's time span
 * ({@link GrowthVerdict#countConfidence}), not by the slope of the newest third of the points, which can fall between
 * two reloads and read as flat ({@code ClassLoadingRuleTest#aNewLoaderPerReloadEveryMinuteIsAFinding}).
 *
 * <p>The finding names the class loader type whose loaders defined the most new classes, from the agent's
 * class-definition counts (recorded with allocation tracking): a type whose loaders accumulate, or one loader that
 * keeps defining. Hidden classes (lambdas, {@code Lookup.defineHiddenClass}) are never shown to a class-file hook, so
 * no loader type accounts for them, and the explanation says so rather than name a type that does not explain the
 * growth.
 */
public final class ClassLoadingRule implements LeakRule {
    public static final String KIND = "class-loading";

    /**
     * Loading fewer classes than this per minute is normal life (lambdas, proxies, reflection accessors): Java 17
     * generates one accessor class per reflectively called method after 15 calls, which a JSON or RPC library can
     * spread over minutes.
     */
    static final double CLASSES_PER_MINUTE_FLOOR = 60;

    /**
     * A loader type accounts for the growth when its loaders defined at least this share of the classes the count
     * grew by; with less, the explanation adds that the rest reached no class-file hook (hidden classes). The agent's
     * hook sees every class but hidden ones, so a type that defines all the new classes is at about 1, and a loader
     * type that defines a few classes beside a hidden-class leak is near 0
     * ({@code ClassLoadingRuleTest#hiddenClassesBesideALoaderAreSaidToBeHidden}).
     */
    static final double ACCOUNTED_SHARE = 0.5;

    /**
     * A loader type whose loaders defined less than this share of the new classes is not named at all: it explains
     * none of the growth, and naming it would send the reader to the JDK's boot or application loader, which define a
     * few classes as code paths warm up, beside hidden classes that no loader type accounts for.
     */
    static final double NAMED_SHARE = 0.1;

    @Override
    public String id() {
        return KIND;
    }

    @Override
    public RuleResult evaluate(AnalysisWindow window) {
        if (!SharedThresholds.enoughForATrend(window)) {
            return RuleResult.notEnoughData(KIND);
        }
        AnalysisWindow.Series loaded = window.gauge(SeriesTable.Gauge.LOADED_CLASSES);
        if (loaded.size() < SharedThresholds.MIN_POINTS) {
            return RuleResult.notEnoughData(KIND);
        }
        TrendFit fit = TrendFitter.fit(loaded.minutes(), loaded.values());
        ThirdsGrowth thirds = ThirdsGrowth.of(loaded.minutes(), loaded.values());
        double confidence = GrowthVerdict.countConfidence(fit, thirds);
        if (confidence < SharedThresholds.REPORTED_CONFIDENCE
                || !GrowthVerdict.stillCounting(thirds)
                || fit.slopePerMinute() < CLASSES_PER_MINUTE_FLOOR) {
            return RuleResult.nothingFound(KIND);
        }
        // StringBuilder rather than string concatenation: each concatenation site links a class of its own the first
        // time it runs, and in the agent that must happen before its first report (AgentFootprintIT).
        StringBuilder explanation = new StringBuilder(Wording.CLASS_LOADING_EXPLANATION);
        AnalysisWindow.Series unloaded = window.gauge(SeriesTable.Gauge.UNLOADED_CLASSES);
        if (unloaded.size() == loaded.size()) {
            double unloadedInWindow = unloaded.last() - unloaded.first();
            double loadedInWindow = loaded.last() - loaded.first() + unloadedInWindow;
            explanation
                    .append(' ')
                    .append(Wording.classCounts(
                            window.spanMinutes(), (long) loadedInWindow, (long) unloadedInWindow, thirds.least()));
        }
        explanation.append(' ').append(definingLoader(window, fit.slopePerMinute()));
        AnalysisWindow.Series metaspace = window.gauge(SeriesTable.Gauge.METASPACE_USED);
        if (metaspace.size() >= 2) {
            double perMinute = (metaspace.last() - metaspace.first()) / Math.max(window.spanMinutes(), 1e-9);
            explanation.append(' ').append(Wording.metaspaceGrowth(perMinute));
        }
        return RuleResult.finding(
                KIND,
                new GaugeFinding(
                        KIND,
                        round(confidence),
                        round(fit.slopePerMinute()),
                        loaded.last(),
                        "classes",
                        Wording.gaugeSummary("Loaded classes", fit.slopePerMinute(), "classes", loaded.last()),
                        explanation.toString()));
    }

    /**
     * The sentence naming the loader type whose loaders defined classes fastest over the window, or saying why none
     * can be named: the recording has no class-definition counts, or no type's loaders defined the new classes.
     */
    private static String definingLoader(AnalysisWindow window, double classesPerMinute) {
        TreeSet<String> types = new TreeSet<>();
        for (String type : window.table().loaderTypes()) {
            types.add(type);
        }
        if (types.isEmpty()) {
            return Wording.LOADER_TYPES_NOT_RECORDED;
        }
        String fastest = null;
        double fastestPerMinute = 0;
        AnalysisWindow.Series fastestDefined = null;
        for (String type : types) {
            AnalysisWindow.Series defined =
                    window.of(index -> window.table().classesDefinedBy(type, window.tablePoint(index)));
            if (defined.size() < 2) {
                continue;
            }
            double perMinute = TheilSen.slope(defined.minutes(), defined.values());
            if (perMinute > fastestPerMinute) {
                fastest = type;
                fastestPerMinute = perMinute;
                fastestDefined = defined;
            }
        }
        double share = fastestPerMinute / classesPerMinute;
        if (fastest == null || share < NAMED_SHARE) {
            return Wording.NO_LOADER_DEFINES_THEM;
        }
        String type = fastest;
        AnalysisWindow.Series live = window.of(index -> window.table().liveLoaders(type, window.tablePoint(index)));
        double livePerMinute = live.size() >= 2 ? TheilSen.slope(live.minutes(), live.values()) : 0;
        return Wording.definingLoader(
                type,
                (long) live.last(),
                livePerMinute,
                (long) fastestDefined.last(),
                fastestPerMinute,
                share,
                share >= ACCOUNTED_SHARE);
    }
}
