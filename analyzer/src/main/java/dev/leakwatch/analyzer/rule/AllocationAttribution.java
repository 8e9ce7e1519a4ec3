package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.rule.Rounding.round;

import dev.leakwatch.analyzer.trend.MannKendall;
import dev.leakwatch.analyzer.trend.TheilSen;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.report.AllocationSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Names the code behind a suspect: among the allocation paths the agent sampled, those that allocate one of the
 * suspect's classes and whose retained share keeps growing, each with its part of the growth. Stateless.
 *
 * <p>A path that keeps growing with live objects from ever more snapshot epochs is a leak signal of its own, found
 * without any histogram: {@link #confirms} tells whether it agrees with the histogram trend.
 */
final class AllocationAttribution {
    /** Paths shown per suspect. */
    static final int SITES_SHOWN = 5;
    /** Paths must hold at least this share of the attributed growth to be shown. */
    static final double MIN_SHARE = 0.02;
    /** A path "keeps growing" when its live samples rise with this significance (one-sided Mann-Kendall). */
    static final double PATH_TREND_P_VALUE = 0.05;

    private AllocationAttribution() {}

    /**
     * @param leader  the suspect's leading class: paths that allocate it come first, since where the leader is
     *                created is the line a person needs (a loader's own byte[] may weigh more, but says less)
     * @param classes every class of the suspect's group, the leader included
     */
    static List<AllocationSite> sitesFor(AnalysisWindow window, String leader, Set<String> classes) {
        if (!window.table().hasAllocations() || window.points() < 2) {
            return List.of();
        }
        long now = window.epochMillis(window.points() - 1);
        List<AllocationSite> growing = new ArrayList<>();
        double totalGrowth = 0;
        for (String key : window.table().pathKeys()) {
            SiteRetention path = window.table().path(key);
            if (!classes.contains(path.allocatedType())) {
                continue;
            }
            AnalysisWindow.Series bytes = window.pathBytes(key);
            if (bytes.size() < 2) {
                continue;
            }
            double slope = TheilSen.slope(bytes.minutes(), bytes.values());
            if (slope <= 0) {
                continue;
            }
            totalGrowth += slope;
            growing.add(new AllocationSite(
                    path.frames(),
                    path.allocatedType(),
                    0,
                    round(slope),
                    (long) bytes.last(),
                    lastOf(window.pathSamples(key)),
                    (int) lastOf(window.pathEpochs(key)),
                    path.oldestAllocationMillis() > 0 ? Math.max(0, (now - path.oldestAllocationMillis()) / 1000.0) : 0,
                    path.firstNonJdkFrame(),
                    path.firstApplicationFrame()));
        }
        List<AllocationSite> shared = new ArrayList<>();
        for (AllocationSite site : growing) {
            double share = site.growthBytesPerMinute() / totalGrowth;
            if (share >= MIN_SHARE || site.allocatedType().equals(leader)) {
                shared.add(new AllocationSite(
                        site.frames(),
                        site.allocatedType(),
                        round(share),
                        site.growthBytesPerMinute(),
                        site.estimatedLiveBytes(),
                        site.liveSamples(),
                        site.distinctEpochs(),
                        site.oldestAgeSeconds(),
                        site.firstNonJdkFrame(),
                        site.firstApplicationFrame()));
            }
        }
        shared.sort(Comparator.comparing(
                        (AllocationSite site) -> !site.allocatedType().equals(leader))
                .thenComparing(Comparator.comparingDouble(AllocationSite::growthBytesPerMinute)
                        .reversed()));
        return shared.size() > SITES_SHOWN ? List.copyOf(shared.subList(0, SITES_SHOWN)) : shared;
    }

    /**
     * Whether the top path tells the same story as the histogram: its live samples rise significantly and come from
     * more and more snapshot epochs (old objects survive while new ones join).
     */
    static boolean confirms(AnalysisWindow window, List<AllocationSite> sites) {
        if (sites.isEmpty()) {
            return false;
        }
        AllocationSite top = sites.get(0);
        String key = top.allocatedType() + "|" + String.join(";", top.frames());
        AnalysisWindow.Series samples = window.pathSamples(key);
        AnalysisWindow.Series epochs = window.pathEpochs(key);
        if (samples.size() < SharedThresholds.MIN_POINTS || epochs.size() < 2) {
            return false;
        }
        return MannKendall.test(samples.values()).pValueIncreasing() <= PATH_TREND_P_VALUE
                && epochs.last() > epochs.first();
    }

    private static long lastOf(AnalysisWindow.Series series) {
        return series.isEmpty() ? 0 : (long) series.last();
    }
}
