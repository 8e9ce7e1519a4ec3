package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.trend.TheilSen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a class belongs to a group's leak, judged against the group's anchor (its first member). One per grouping:
 * it keeps each class's instance rate and smoothed bytes ({@link InStep.Cache}) for the many comparisons.
 *
 * <p>Three kinds of evidence:
 *
 * <ul>
 *   <li><b>In step</b>: the class correlates with the anchor as closely as {@code inStepCorrelation}. Most members
 *       of a leak join so.
 *   <li><b>A resized table</b>: an array of references whose bytes grow while their number does not, the backing
 *       table of a growing collection ({@code HashMap$Node[]}, {@code Object[]}). It grows in doublings, so it
 *       never tracks a steady leak closely (0.88 to 0.91 for the logger tree's children map in real recordings) and,
 *       held to in-step, stood as a second suspect beside the leak it belongs to. It joins the group it follows best.
 *   <li><b>One to one</b>, for data in step with no group (a class that cannot name a leak,
 *       {@link ClassSpecificity#mayNameAGroup}): it gains instances at the anchor's rate (a name's {@code String} per
 *       {@code LogNode}, a map entry per session) and grows roughly in step. Something else keeping a batch of
 *       strings or map entries once puts a step in their bytes that the leak does not share (0.949 against the nodes
 *       in a real recording, after the agent's first retention search); their count still grows at the nodes' rate.
 * </ul>
 */
final class Membership {
    /** A class one to one with an anchor joins it at this correlation: the shared rate carries the rest. */
    static final double ONE_TO_ONE_CORRELATION = 0.90;
    /** A resized table joins the group it follows best at this correlation: doubling steps cost the rest. */
    static final double TABLE_CORRELATION = 0.80;
    /**
     * A reference array is a resized table when new arrays account for less than this share of its byte growth: the
     * rest comes from arrays growing.
     */
    static final double TABLE_NEW_ARRAYS_SHARE = 0.5;
    /** Application types must track each other this closely to be one leak: they are distinct types after all. */
    static final double APPLICATION_TYPES_CORRELATION = 0.97;

    private final AnalysisWindow window;
    private final double inStepCorrelation;
    private final double rateTolerance;
    private final InStep.Cache inStep = new InStep.Cache();
    private final Map<String, Double> instanceRates = new HashMap<>();
    private final Set<String> looselyJoined = new HashSet<>();

    Membership(AnalysisWindow window, double inStepCorrelation, double rateTolerance) {
        this.window = window;
        this.inStepCorrelation = inStepCorrelation;
        this.rateTolerance = rateTolerance;
    }

    InStep.Cache inStep() {
        return inStep;
    }

    /** Two application types are one leak: an owner and the object it owns, one each per leaked entry. */
    boolean sameLeak(ClassTrend seed, ClassTrend trend) {
        return inStep.correlation(seed, trend) >= APPLICATION_TYPES_CORRELATION && oneToOne(seed, trend);
    }

    /**
     * The group {@code follower} joins, or null. A resized table joins the group it follows best. Anything else joins
     * a group it grows in step with, a seeded one before an unseeded one, the best correlated; failing that, data (a
     * class that cannot name a leak, {@link ClassSpecificity#mayNameAGroup}) joins a group it is one to one with.
     */
    List<ClassTrend> groupFor(ClassTrend follower, List<List<ClassTrend>> seeded, List<List<ClassTrend>> unseeded) {
        List<List<ClassTrend>> all = new ArrayList<>(seeded);
        all.addAll(unseeded);
        if (isResizedTable(follower)) {
            return joinedLoosely(follower, bestCorrelated(follower, all, TABLE_CORRELATION, false));
        }
        List<ClassTrend> group = bestCorrelated(follower, seeded, inStepCorrelation, false);
        if (group == null) {
            group = bestCorrelated(follower, unseeded, inStepCorrelation, false);
        }
        // A specific class must grow in step on its own: one to one with a leak that began later is another leak.
        if (group == null && !ClassSpecificity.mayNameAGroup(follower.className())) {
            group = joinedLoosely(follower, bestCorrelated(follower, all, ONE_TO_ONE_CORRELATION, true));
        }
        return group;
    }

    private List<ClassTrend> joinedLoosely(ClassTrend follower, List<ClassTrend> group) {
        if (group != null) {
            looselyJoined.add(follower.className());
        }
        return group;
    }

    /**
     * Whether a class was placed by the looser evidence, as a table or one to one: it may join a leak, but it does not
     * track it closely enough to tell which member names the leak ({@link GroupNaming#leaderFirst}).
     */
    boolean joinedLoosely(String className) {
        return looselyJoined.contains(className);
    }

    private List<ClassTrend> bestCorrelated(
            ClassTrend follower, List<List<ClassTrend>> groups, double minimum, boolean oneToOneOnly) {
        List<ClassTrend> best = null;
        double bestCorrelation = minimum;
        for (List<ClassTrend> group : groups) {
            ClassTrend anchor = group.get(0);
            double correlation = inStep.correlation(anchor, follower);
            // Strictly better than the best so far: a tie stays with the group found first.
            boolean better = best == null ? correlation >= bestCorrelation : correlation > bestCorrelation;
            if (better && (!oneToOneOnly || oneToOne(anchor, follower))) {
                best = group;
                bestCorrelation = correlation;
            }
        }
        return best;
    }

    /**
     * An array of references whose bytes grow mostly because the arrays grow, not because there are more of them: the
     * table of a collection that keeps gaining entries.
     */
    boolean isResizedTable(ClassTrend trend) {
        String name = trend.className();
        if (!ClassSpecificity.isArray(name) || ClassSpecificity.isPrimitiveArray(name) || trend.slope() <= 0) {
            return false;
        }
        AnalysisWindow.Series instances = window.classInstances(name);
        double meanInstances = mean(instances.values());
        if (meanInstances <= 0) {
            return false;
        }
        double meanArrayBytes = mean(trend.bytes().values()) / meanInstances;
        double newArraysBytesPerMinute = Math.max(0, instanceRate(trend)) * meanArrayBytes;
        return newArraysBytesPerMinute < TABLE_NEW_ARRAYS_SHARE * trend.slope();
    }

    private boolean oneToOne(ClassTrend a, ClassTrend b) {
        double rateA = instanceRate(a);
        double rateB = instanceRate(b);
        if (rateA <= 0 || rateB <= 0) {
            return false;
        }
        return Math.abs(rateA - rateB) / Math.max(rateA, rateB) <= rateTolerance;
    }

    private double instanceRate(ClassTrend trend) {
        return instanceRates.computeIfAbsent(trend.className(), name -> {
            AnalysisWindow.Series instances = window.classInstances(name);
            return instances.size() < 2 ? 0.0 : TheilSen.slope(instances.minutes(), instances.values());
        });
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
