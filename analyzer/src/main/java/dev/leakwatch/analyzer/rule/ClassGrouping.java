package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.trend.TheilSen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups growing classes into one group per leak, so a person reads "Session leaks" rather than five rows for
 * Session, its HashMap$Node, its String, its byte[] and its char[].
 *
 * <p>Application and library types seed the groups. Two of them join when they grow in step with the same instance
 * rate (an owner and the object it owns, one each per leaked entry). Every other class joins the group whose
 * anchor (its first member) it correlates with best; those that follow no application type form groups of their
 * own, each anchored by its largest grower. A class growing too slowly to be a group of its own may still join one.
 * {@link GroupNaming} then chooses which member names each group.
 */
final class ClassGrouping {
    /** Application types must track each other this closely to be one leak: they are distinct types after all. */
    private static final double APPLICATION_TYPES_CORRELATION = 0.97;
    /**
     * Types that may join a leak's group but never make one of their own: {@code java.lang.Class} mirrors grow with
     * class loading, which {@link ClassLoadingRule} judges with its own floor; alone they were a false alarm in every
     * control, from the few hundred classes any JVM (and the agent itself) loads after start-up.
     */
    private static final Set<String> FOLLOWERS_ONLY = Set.of("java.lang.Class");

    private ClassGrouping() {}

    /**
     * @param trends sorted by slope, largest first
     * @param minOwnGroupGrowth bytes per minute below which a class may join a group but not make one
     * @return the groups, each with its leader first ({@link GroupNaming#leaderFirst})
     */
    static List<List<ClassTrend>> group(
            List<ClassTrend> trends,
            double inStepCorrelation,
            double rateTolerance,
            double minOwnGroupGrowth,
            AnalysisWindow window) {
        Map<String, Double> instanceRates = new HashMap<>();
        InStep.Cache inStep = new InStep.Cache();
        List<List<ClassTrend>> seeded = new ArrayList<>();
        List<ClassTrend> followers = new ArrayList<>();
        for (ClassTrend trend : trends) {
            if (!ClassSpecificity.isApplicationType(trend.className()) || trend.slope() < minOwnGroupGrowth) {
                followers.add(trend);
                continue;
            }
            List<ClassTrend> owner = null;
            for (List<ClassTrend> group : seeded) {
                ClassTrend seed = group.get(0);
                if (inStep.correlation(seed, trend) >= APPLICATION_TYPES_CORRELATION
                        && similarRate(
                                instanceRate(seed, window, instanceRates),
                                instanceRate(trend, window, instanceRates),
                                rateTolerance)) {
                    owner = group;
                    break;
                }
            }
            if (owner == null) {
                List<ClassTrend> group = new ArrayList<>();
                group.add(trend);
                seeded.add(group);
            } else {
                owner.add(trend);
            }
        }
        List<List<ClassTrend>> unseeded = new ArrayList<>();
        for (ClassTrend follower : followers) {
            List<ClassTrend> best = bestCorrelated(seeded, follower, inStepCorrelation, inStep);
            if (best == null) {
                best = bestCorrelated(unseeded, follower, inStepCorrelation, inStep);
            }
            if (best == null) {
                if (FOLLOWERS_ONLY.contains(follower.className()) || follower.slope() < minOwnGroupGrowth) {
                    continue;
                }
                best = new ArrayList<>();
                unseeded.add(best);
            }
            best.add(follower);
        }
        List<List<ClassTrend>> all = new ArrayList<>(seeded);
        all.addAll(unseeded);
        all.forEach(group -> GroupNaming.leaderFirst(group, window, inStep));
        return all;
    }

    private static List<ClassTrend> bestCorrelated(
            List<List<ClassTrend>> groups, ClassTrend trend, double minimum, InStep.Cache inStep) {
        List<ClassTrend> best = null;
        double bestCorrelation = minimum;
        for (List<ClassTrend> group : groups) {
            double correlation = inStep.correlation(group.get(0), trend);
            // Strictly better than the best so far: a tie stays with the larger group found first.
            if (best == null ? correlation >= bestCorrelation : correlation > bestCorrelation) {
                best = group;
                bestCorrelation = correlation;
            }
        }
        return best;
    }

    private static double instanceRate(ClassTrend trend, AnalysisWindow window, Map<String, Double> cache) {
        return cache.computeIfAbsent(trend.className(), name -> {
            AnalysisWindow.Series instances = window.classInstances(name);
            return instances.size() < 2 ? 0.0 : TheilSen.slope(instances.minutes(), instances.values());
        });
    }

    private static boolean similarRate(double a, double b, double tolerance) {
        if (a <= 0 || b <= 0) {
            return false;
        }
        return Math.abs(a - b) / Math.max(a, b) <= tolerance;
    }
}
