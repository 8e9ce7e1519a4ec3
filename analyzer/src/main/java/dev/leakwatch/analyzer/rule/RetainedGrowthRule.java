package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;
import static dev.leakwatch.analyzer.rule.Rounding.significant;

import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.TheilSen;
import dev.leakwatch.analyzer.trend.TrendFit;
import dev.leakwatch.analyzer.trend.TrendFitter;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Suspect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds classes whose retained bytes keep growing and groups those that grow in step into one suspect per leak
 * ({@link ClassGrouping}), named after its most specific member ({@link GroupNaming}). Stateless: everything comes
 * from the window.
 *
 * <p>A class is a suspect when its group's growth passes every test: a consistent upward trend (Mann-Kendall,
 * robust Theil-Sen slope, folded into a confidence), still rising in the newest part of the window (a plateau is
 * not a leak), above the heap's noise floor in bytes per minute and above a floor relative to its own size. The
 * confidence, the window and the noise floor are those every rule shares ({@link SharedThresholds}).
 */
public final class RetainedGrowthRule implements LeakRule {
    public static final String ID = "retained-growth";

    /** Growth this consistent but not a suspect goes into the report's candidates. */
    static final double CANDIDATE_CONFIDENCE = 0.25;
    /** Over the window a suspect must have grown by at least this fraction of its size at the window's start. */
    static final double MIN_GROWTH_FRACTION_OF_START = 0.03;
    /** A class growing slower than this is not even considered as a member of a group, nor makes a group of its own. */
    static final double MIN_MEMBER_GROWTH_BYTES_PER_MINUTE = 1024;
    /**
     * A class that could name a group (one of a specific tier, see {@link ClassSpecificity}) is considered down to this
     * growth, to join and name a group it grows in step with: a hundredth of the smallest growth a suspect can have.
     * A holder can be that much smaller than what it holds (a plugin's one driver object per class loader next to the
     * loader's strings, issue 13; {@code GroupNamingTest#aSpecificClassAHundredTimesSmallerStillNamesTheGroup}).
     */
    static final double MIN_NAMING_MEMBER_GROWTH_BYTES_PER_MINUTE = SharedThresholds.HEAP_NOISE_BYTES_PER_MINUTE / 100;
    /**
     * Correlation of two classes' smoothed bytes ({@link InStep}) from which they are taken to grow in step, one leak:
     * a class that started or stopped growing two fifths of the window apart from a leak is not part of it, one whose
     * bytes wander by a third of its growth is ({@code InStepTest}).
     */
    static final double IN_STEP_CORRELATION = 0.95;
    /** Two application types whose instance counts grow at rates this close (ratio) are one leak (owner and owned). */
    static final double ONE_TO_ONE_RATE_TOLERANCE = 0.15;
    /** A window shorter than this gets a caveat in the explanation. */
    static final double SHORT_WINDOW_MINUTES = 5;
    /** The growth onset is the last point within this fraction of the group's range above its minimum. */
    static final double ONSET_FRACTION_OF_RANGE = 0.05;

    /** A suspect is {@link Severity#HIGH} from this confidence when it grows by at least the next one. */
    static final double HIGH_SEVERITY_CONFIDENCE = 0.8;
    /** The growth a {@link Severity#HIGH} suspect needs besides its confidence: 1 MiB a minute. */
    static final double HIGH_SEVERITY_BYTES_PER_MINUTE = 1024 * 1024;
    /** Any other suspect is {@link Severity#MEDIUM} from this confidence and {@link Severity#LOW} below it. */
    static final double MEDIUM_SEVERITY_CONFIDENCE = 0.7;

    private static final List<String> OWN_PACKAGES =
            List.of("dev.leakwatch.agent.", "dev.leakwatch.analyzer.", "dev.leakwatch.shaded.");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleResult evaluate(AnalysisWindow window) {
        if (!SharedThresholds.enoughForATrend(window)) {
            return RuleResult.notEnoughData(ID);
        }
        List<ClassTrend> trends = growingClasses(window);
        List<List<ClassTrend>> groups = ClassGrouping.group(
                trends, IN_STEP_CORRELATION, ONE_TO_ONE_RATE_TOLERANCE, MIN_MEMBER_GROWTH_BYTES_PER_MINUTE, window);
        List<Suspect> suspects = new ArrayList<>();
        List<Suspect> candidates = new ArrayList<>();
        String caveat = histogramCaveat(window);
        for (List<ClassTrend> group : groups) {
            judge(window, group, caveat, suspects, candidates);
        }
        return RuleResult.suspects(ID, ranked(suspects), ranked(candidates));
    }

    private List<ClassTrend> growingClasses(AnalysisWindow window) {
        List<ClassTrend> trends = new ArrayList<>();
        double span = Math.max(window.spanMinutes(), 1e-9);
        for (String className : window.table().classNames()) {
            if (isOwn(className)) {
                continue;
            }
            AnalysisWindow.Series bytes = window.classBytes(className);
            double floor = ClassSpecificity.mayNameAGroup(className)
                    ? MIN_NAMING_MEMBER_GROWTH_BYTES_PER_MINUTE
                    : MIN_MEMBER_GROWTH_BYTES_PER_MINUTE;
            if (bytes.size() < SharedThresholds.MIN_POINTS || (bytes.last() - bytes.first()) / span < floor) {
                continue;
            }
            TrendFit fit = TrendFitter.fit(bytes.minutes(), bytes.values());
            double confidence = GrowthVerdict.confidence(fit);
            if (fit.slopePerMinute() >= floor && confidence >= CANDIDATE_CONFIDENCE) {
                trends.add(new ClassTrend(className, bytes, fit, confidence));
            }
        }
        trends.sort(Comparator.comparingDouble(ClassTrend::slope).reversed());
        return trends;
    }

    private void judge(
            AnalysisWindow window,
            List<ClassTrend> group,
            String caveat,
            List<Suspect> suspects,
            List<Suspect> candidates) {
        ClassTrend leader = group.get(0);
        AnalysisWindow.Series total = window.of(index -> groupBytes(window, group, index));
        TrendFit fit = TrendFitter.fit(total.minutes(), total.values());
        double confidence = GrowthVerdict.confidence(fit);
        if (confidence < CANDIDATE_CONFIDENCE) {
            return;
        }
        double startLevel = Math.max(fit.intercept(), 1);
        double growthFraction = fit.slopePerMinute() * window.spanMinutes() / startLevel;
        String notSuspectBecause = null;
        if (confidence < SharedThresholds.REPORTED_CONFIDENCE) {
            notSuspectBecause = Wording.BELOW_CONFIDENCE;
        } else if (!GrowthVerdict.stillGrowing(fit)) {
            notSuspectBecause = Wording.LEVELLED_OFF;
        } else if (fit.slopePerMinute() < SharedThresholds.HEAP_NOISE_BYTES_PER_MINUTE) {
            notSuspectBecause = String.format(
                    Wording.BELOW_ABSOLUTE_FLOOR, Wording.bytes(SharedThresholds.HEAP_NOISE_BYTES_PER_MINUTE) + "/min");
        } else if (growthFraction < MIN_GROWTH_FRACTION_OF_START) {
            notSuspectBecause =
                    String.format(java.util.Locale.ROOT, Wording.BELOW_RELATIVE_FLOOR, growthFraction * 100);
        }
        AnalysisWindow.Series leaderInstances = window.classInstances(leader.className());
        double instancesPerMinute =
                leaderInstances.size() >= 2 ? TheilSen.slope(leaderInstances.minutes(), leaderInstances.values()) : 0;
        double recentShare =
                fit.slopePerMinute() > 0 ? Math.max(0, fit.recentSlopePerMinute() / fit.slopePerMinute()) : 0;
        boolean stillGrowing = GrowthVerdict.stillGrowing(fit);
        String explanation = Wording.suspectExplanation(
                fit.points(),
                window.spanMinutes(),
                fit.tau(),
                fit.pValueIncreasing(),
                recentShare,
                stillGrowing,
                growthFraction * 100,
                window.spanMinutes() < SHORT_WINDOW_MINUTES,
                caveat);
        if (notSuspectBecause != null) {
            explanation = Wording.candidateWhy(notSuspectBecause) + " " + explanation;
        }
        List<RelatedClass> related = new ArrayList<>();
        for (ClassTrend member : group.subList(1, group.size())) {
            related.add(new RelatedClass(
                    member.className(),
                    round(member.slope()),
                    (long) member.bytes().last(),
                    lastKnown(window.classInstances(member.className()))));
        }
        related.sort(
                Comparator.comparingDouble(RelatedClass::growthBytesPerMinute).reversed());
        java.util.Set<String> members = new java.util.HashSet<>();
        group.forEach(member -> members.add(member.className()));
        List<AllocationSite> sites = AllocationAttribution.sitesFor(window, leader.className(), members);
        if (AllocationAttribution.confirms(window, sites)) {
            explanation += " " + Wording.ALLOCATION_AGREES;
        }
        Suspect suspect = new Suspect(
                0,
                leader.className(),
                round(confidence),
                severity(confidence, fit.slopePerMinute()),
                round(fit.slopePerMinute()),
                round(instancesPerMinute),
                (long) total.last(),
                lastKnown(leaderInstances),
                Instant.ofEpochMilli(window.epochMillis(onset(total))).toString(),
                GroupNaming.summary(group, window, fit.slopePerMinute(), notSuspectBecause == null),
                explanation,
                new Suspect.Evidence(
                        fit.points(),
                        round(window.spanMinutes()),
                        round(fit.mannKendallZ()),
                        significant(fit.pValueIncreasing()),
                        round(fit.tau()),
                        round(fit.recentSlopePerMinute()),
                        round(growthFraction * 100)),
                related,
                sites);
        (notSuspectBecause == null ? suspects : candidates).add(suspect);
    }

    private static long groupBytes(AnalysisWindow window, List<ClassTrend> group, int index) {
        long sum = 0;
        for (ClassTrend member : group) {
            long bytes = window.table().classBytes(member.className(), window.tablePoint(index));
            if (bytes > 0) {
                sum += bytes;
            }
        }
        return sum;
    }

    /** The window index from which the group rose: the last time it was still near its minimum. */
    private static int onset(AnalysisWindow.Series total) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double value : total.values()) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double threshold = min + ONSET_FRACTION_OF_RANGE * (max - min);
        int onset = 0;
        for (int i = 0; i < total.size(); i++) {
            if (total.values()[i] <= threshold) {
                onset = i;
            }
        }
        return total.index()[onset];
    }

    /**
     * Grades a suspect for a reader, and decides nothing else: not the verdict, not the rank (confidence times growth
     * rate). No measurement chose its thresholds; {@code RetainedGrowthRuleTest#severityGradesBeginAtTheirThresholds}
     * pins where each grade begins.
     */
    static Severity severity(double confidence, double bytesPerMinute) {
        if (confidence >= HIGH_SEVERITY_CONFIDENCE && bytesPerMinute >= HIGH_SEVERITY_BYTES_PER_MINUTE) {
            return Severity.HIGH;
        }
        return confidence >= MEDIUM_SEVERITY_CONFIDENCE ? Severity.MEDIUM : Severity.LOW;
    }

    private static String histogramCaveat(AnalysisWindow window) {
        for (int i = 0; i < window.points(); i++) {
            if (window.table().kind(window.tablePoint(i)) != HistogramKind.LIVE) {
                return Wording.ALL_HISTOGRAM_CAVEAT;
            }
        }
        return null;
    }

    private static List<Suspect> ranked(List<Suspect> suspects) {
        List<Suspect> sorted = new ArrayList<>(suspects);
        sorted.sort(Comparator.comparingDouble((Suspect s) -> s.confidence() * s.growthBytesPerMinute())
                .reversed());
        List<Suspect> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(sorted.get(i).withRank(i + 1));
        }
        return ranked;
    }

    private static long lastKnown(AnalysisWindow.Series series) {
        return series.isEmpty() ? 0 : (long) series.last();
    }

    private static boolean isOwn(String className) {
        for (String prefix : OWN_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return className.equals(SeriesTable.class.getName());
    }
}
