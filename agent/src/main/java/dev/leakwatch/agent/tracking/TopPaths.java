package dev.leakwatch.agent.tracking;

import dev.leakwatch.format.model.SiteRetention;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code limit} paths a snapshot names, as its records: first those some of whose live samples outlived a
 * snapshot, then the others, each by largest estimated live bytes. A min-heap of at most {@code limit} entries: a path
 * that does not make the cut costs no allocation.
 *
 * <p>Why survivors first: a snapshot names a few hundred of up to thousands of paths, and at the moment it is taken
 * the paths with the most live bytes are often churn not yet collected, every sample from the newest epoch. A leak of
 * small, rarely sampled objects would lose its place to them, and the analysis takes no path whose samples come from
 * one epoch as a leak site anyway (issue 13; {@code AllocationTrackerTest#pathsWhoseSamplesOutlivedASnapshotComeFirst}).
 */
final class TopPaths {
    /**
     * Smallest first: the others before survivors, then by bytes; ties broken by instances, type and stack so that the
     * order is the same run to run (a list's hash code over strings is specified).
     */
    private static final Comparator<SiteRetention> ORDER = Comparator.comparing(SiteRetention::hasSurvivors)
            .thenComparingLong(SiteRetention::estimatedLiveBytes)
            .thenComparingLong(SiteRetention::estimatedLiveInstances)
            .thenComparing(SiteRetention::allocatedType)
            .thenComparingInt(retention -> retention.frames().hashCode());

    private final int limit;
    private final long samplingInterval;
    private final PriorityQueue<SiteRetention> smallestFirst;

    TopPaths(int limit, long samplingInterval) {
        this.limit = limit;
        this.samplingInterval = samplingInterval;
        this.smallestFirst = new PriorityQueue<>(Math.min(limit, 1024) + 1, ORDER);
    }

    void offer(AllocationPath path, PathMeasure measure) {
        if (limit == 0 || measure.liveSamples == 0) {
            return;
        }
        long bytes = PathMeasure.saturatedMultiply(measure.weightedBytes, samplingInterval);
        if (smallestFirst.size() == limit) {
            SiteRetention smallest = smallestFirst.peek();
            int bySurvival =
                    Boolean.compare(measure.distinctEpochs >= SiteRetention.SURVIVOR_EPOCHS, smallest.hasSurvivors());
            if (bySurvival < 0 || (bySurvival == 0 && bytes < smallest.estimatedLiveBytes())) {
                return;
            }
        }
        smallestFirst.add(new SiteRetention(
                path.allocatedType,
                path.frames,
                path.firstNonJdkFrame,
                path.firstApplicationFrame,
                measure.liveSamples,
                PathMeasure.saturatedMultiply(measure.weightedCount, samplingInterval),
                bytes,
                measure.distinctEpochs,
                measure.oldestAllocationMillis));
        if (smallestFirst.size() > limit) {
            smallestFirst.poll();
        }
    }

    /** Survivors first, then the others, each by largest estimated live bytes. */
    List<SiteRetention> ranked() {
        SiteRetention[] ranked = smallestFirst.toArray(new SiteRetention[0]);
        Arrays.sort(ranked, ORDER.reversed());
        return List.of(ranked);
    }
}
