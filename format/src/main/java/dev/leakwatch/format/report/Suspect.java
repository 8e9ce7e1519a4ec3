package dev.leakwatch.format.report;

import java.util.List;

/**
 * One retained-growth finding: a group of classes that grow in step, named after its most specific member.
 *
 * @param rank                     1 for the most important suspect
 * @param className                binary name of the leading class ({@code java.util.HashMap$Node}, {@code byte[]})
 * @param fingerprint              (schema 6) a short hash that names the same leak in every JVM and after restarts,
 *                                 computed by the analyzer after its rules; null in reports of schema 5 and older
 * @param confidence               0..1, how sure the analysis is that this keeps growing
 * @param severity                 from confidence and growth rate, written by its {@link Severity#wireName() wire name}
 * @param growthBytesPerMinute     robust (Theil-Sen) slope of the group's retained bytes
 * @param growthInstancesPerMinute the same for the leading class's instance count
 * @param liveBytes                the group's bytes in the newest snapshot
 * @param liveInstances            the leading class's instances in the newest snapshot
 * @param firstSeenGrowing         ISO-8601 instant from which the growth was seen
 * @param summary                  one line for a person
 * @param explanation              why the analysis believes it, with its caveats
 * @param relatedClasses           the other members of the group, largest growth first
 * @param allocationSites          where the leading class is allocated; empty until allocation tracking runs
 * @param retainedBy               who holds its objects, from the agent's walk of the running heap; empty until a
 *                                 walk found a chain (and always in a report of schema 5 or older, or from
 *                                 {@code analyze}, which has no heap to walk)
 */
public record Suspect(
        int rank,
        String className,
        String fingerprint,
        double confidence,
        Severity severity,
        double growthBytesPerMinute,
        double growthInstancesPerMinute,
        long liveBytes,
        long liveInstances,
        String firstSeenGrowing,
        String summary,
        String explanation,
        Evidence evidence,
        List<RelatedClass> relatedClasses,
        List<AllocationSite> allocationSites,
        List<RetentionChain> retainedBy) {

    public Suspect {
        relatedClasses = List.copyOf(relatedClasses);
        allocationSites = List.copyOf(allocationSites);
        // Schema 5 and older have no chains; the analysis itself never finds any (only the agent's walk does).
        retainedBy = retainedBy == null ? List.of() : List.copyOf(retainedBy);
    }

    /**
     * A suspect as a rule finds it: no {@link #fingerprint()} yet (the analysis gives it after its rules) and no
     * {@link #retainedBy()} (only the agent's walk of the running heap finds chains).
     */
    public Suspect(
            int rank,
            String className,
            double confidence,
            Severity severity,
            double growthBytesPerMinute,
            double growthInstancesPerMinute,
            long liveBytes,
            long liveInstances,
            String firstSeenGrowing,
            String summary,
            String explanation,
            Evidence evidence,
            List<RelatedClass> relatedClasses,
            List<AllocationSite> allocationSites) {
        this(
                rank,
                className,
                null,
                confidence,
                severity,
                growthBytesPerMinute,
                growthInstancesPerMinute,
                liveBytes,
                liveInstances,
                firstSeenGrowing,
                summary,
                explanation,
                evidence,
                relatedClasses,
                allocationSites,
                List.of());
    }

    public Suspect withRank(int newRank) {
        return new Suspect(
                newRank,
                className,
                fingerprint,
                confidence,
                severity,
                growthBytesPerMinute,
                growthInstancesPerMinute,
                liveBytes,
                liveInstances,
                firstSeenGrowing,
                summary,
                explanation,
                evidence,
                relatedClasses,
                allocationSites,
                retainedBy);
    }

    public Suspect withFingerprint(String newFingerprint) {
        return new Suspect(
                rank,
                className,
                newFingerprint,
                confidence,
                severity,
                growthBytesPerMinute,
                growthInstancesPerMinute,
                liveBytes,
                liveInstances,
                firstSeenGrowing,
                summary,
                explanation,
                evidence,
                relatedClasses,
                allocationSites,
                retainedBy);
    }

    /** This suspect with the chains that hold it. */
    public Suspect withRetainedBy(List<RetentionChain> chains) {
        return new Suspect(
                rank,
                className,
                fingerprint,
                confidence,
                severity,
                growthBytesPerMinute,
                growthInstancesPerMinute,
                liveBytes,
                liveInstances,
                firstSeenGrowing,
                summary,
                explanation,
                evidence,
                relatedClasses,
                allocationSites,
                chains);
    }

    /**
     * The statistics behind a suspect, so a reader can check the verdict.
     *
     * @param points            snapshots in the analysed window
     * @param windowMinutes     the window's length
     * @param mannKendallZ      the trend test's statistic (above about 2 is a significant rise)
     * @param pValue            one-sided p-value of "no upward trend"
     * @param kendallTau        -1..1: how monotone the growth is
     * @param recentGrowthBytesPerMinute slope over the newest third of the window: near 0 means a plateau
     * @param growthPercentOfStart growth over the window relative to the group's size at its start
     */
    public record Evidence(
            int points,
            double windowMinutes,
            double mannKendallZ,
            double pValue,
            double kendallTau,
            double recentGrowthBytesPerMinute,
            double growthPercentOfStart) {}
}
