package dev.leakwatch.analyzer.rule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Groups growing classes into one group per leak, so a person reads "Session leaks" rather than five rows for
 * Session, its HashMap$Node, its String, its byte[] and its char[].
 *
 * <p>Application and library types seed the groups. Two of them join when they grow in step with the same instance
 * rate (an owner and the object it owns, one each per leaked entry). Every other class joins the group whose anchor
 * (its first member) it belongs with ({@link Membership}); those that follow no application type form groups of their
 * own, each anchored by its most specific class. A class growing too slowly to be a group of its own may still join
 * one. {@link GroupNaming} then chooses which member names each group.
 */
final class ClassGrouping {
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
        Membership membership = new Membership(window, inStepCorrelation, rateTolerance);
        List<List<ClassTrend>> seeded = new ArrayList<>();
        List<ClassTrend> followers = new ArrayList<>();
        for (ClassTrend trend : trends) {
            if (!ClassSpecificity.isApplicationType(trend.className()) || trend.slope() < minOwnGroupGrowth) {
                followers.add(trend);
                continue;
            }
            List<ClassTrend> owner = null;
            for (List<ClassTrend> group : seeded) {
                if (membership.sameLeak(group.get(0), trend)) {
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
        for (ClassTrend follower : anchorsFirst(followers, minOwnGroupGrowth)) {
            List<ClassTrend> best = membership.groupFor(follower, seeded, unseeded);
            if (best == null) {
                if (!mayAnchor(follower, minOwnGroupGrowth)) {
                    continue;
                }
                best = new ArrayList<>();
                unseeded.add(best);
            }
            best.add(follower);
        }
        List<List<ClassTrend>> all = new ArrayList<>(seeded);
        all.addAll(unseeded);
        all.forEach(group -> GroupNaming.leaderFirst(group, window, membership.inStep(), membership::joinedLoosely));
        return all;
    }

    /**
     * The order in which followers look for a group: first those that may make a group of their own, the most specific
     * first and within a tier the largest grower, then the rest by growth. The first follower of an unseeded group is
     * its anchor, which every later one is compared with; ordered by growth alone, the anchor was the largest grower,
     * often a generic one: a map's table ({@code HashMap$Node[]}) took the strings of a logger-per-name leak into a
     * group of its own, and {@code LogManager$LogNode} stood apart with a smaller share of the leak's bytes.
     */
    private static List<ClassTrend> anchorsFirst(List<ClassTrend> followers, double minOwnGroupGrowth) {
        Comparator<ClassTrend> bySpecificity =
                Comparator.comparing(ClassTrend::className, ClassSpecificity.MOST_SPECIFIC_FIRST);
        List<ClassTrend> ordered = new ArrayList<>(followers);
        ordered.sort(Comparator.comparing((ClassTrend trend) -> !mayAnchor(trend, minOwnGroupGrowth))
                .thenComparing((a, b) -> mayAnchor(a, minOwnGroupGrowth) ? bySpecificity.compare(a, b) : 0)
                .thenComparing(Comparator.comparingDouble(ClassTrend::slope).reversed()));
        return ordered;
    }

    private static boolean mayAnchor(ClassTrend trend, double minOwnGroupGrowth) {
        return !FOLLOWERS_ONLY.contains(trend.className()) && trend.slope() >= minOwnGroupGrowth;
    }
}
