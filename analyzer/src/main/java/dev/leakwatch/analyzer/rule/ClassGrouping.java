package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.trend.TheilSen;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups growing classes into one group per leak, so a person reads "Session leaks" rather than five rows for
 * Session, its HashMap$Node, its String, its byte[] and its char[].
 *
 * <p>Application and library types seed the groups. Two of them join when they grow in step with the same instance
 * rate (an owner and the object it owns, one each per leaked entry). JDK types and arrays join the group whose
 * leader they correlate with best; those that follow no application type form groups of their own.
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

    /** @param trends sorted by slope, largest first; the result's groups have their leader first */
    static List<List<ClassTrend>> group(
            List<ClassTrend> trends, double inStepCorrelation, double rateTolerance, AnalysisWindow window) {
        Map<String, Double> instanceRates = new HashMap<>();
        List<List<ClassTrend>> seeded = new ArrayList<>();
        List<ClassTrend> followers = new ArrayList<>();
        for (ClassTrend trend : trends) {
            if (ClassSpecificity.of(trend.className()) < 3) {
                followers.add(trend);
                continue;
            }
            List<ClassTrend> owner = null;
            for (List<ClassTrend> group : seeded) {
                ClassTrend seed = group.get(0);
                if (correlation(seed, trend) >= APPLICATION_TYPES_CORRELATION
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
            List<ClassTrend> best = bestCorrelated(seeded, follower, inStepCorrelation);
            if (best == null && FOLLOWERS_ONLY.contains(follower.className())) {
                continue;
            }
            if (best == null) {
                best = bestCorrelated(unseeded, follower, inStepCorrelation);
            }
            if (best == null) {
                best = new ArrayList<>();
                unseeded.add(best);
            }
            best.add(follower);
        }
        List<List<ClassTrend>> all = new ArrayList<>(seeded);
        all.addAll(unseeded);
        all.forEach(ClassGrouping::leaderFirst);
        return all;
    }

    private static List<ClassTrend> bestCorrelated(List<List<ClassTrend>> groups, ClassTrend trend, double minimum) {
        List<ClassTrend> best = null;
        double bestCorrelation = minimum;
        for (List<ClassTrend> group : groups) {
            double correlation = correlation(group.get(0), trend);
            // Strictly better than the best so far: a tie stays with the larger group found first.
            if (best == null ? correlation >= bestCorrelation : correlation > bestCorrelation) {
                best = group;
                bestCorrelation = correlation;
            }
        }
        return best;
    }

    private static void leaderFirst(List<ClassTrend> group) {
        group.sort(Comparator.comparingInt((ClassTrend t) -> ClassSpecificity.of(t.className()))
                .thenComparingDouble(ClassTrend::slope)
                .reversed());
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

    /** Pearson correlation of two classes' bytes over the window points both have. */
    static double correlation(ClassTrend a, ClassTrend b) {
        Map<Integer, Double> byIndex = new HashMap<>();
        AnalysisWindow.Series sa = a.bytes();
        for (int i = 0; i < sa.size(); i++) {
            byIndex.put(sa.index()[i], sa.values()[i]);
        }
        AnalysisWindow.Series sb = b.bytes();
        double[] x = new double[sb.size()];
        double[] y = new double[sb.size()];
        int n = 0;
        for (int i = 0; i < sb.size(); i++) {
            Double va = byIndex.get(sb.index()[i]);
            if (va != null) {
                x[n] = va;
                y[n] = sb.values()[i];
                n++;
            }
        }
        return pearson(x, y, n);
    }

    static double pearson(double[] x, double[] y, int n) {
        if (n < 3) {
            return 0;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
