package dev.leakwatch.agent.tracking;

import dev.leakwatch.format.model.SiteRetention;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code limit} paths with the largest estimated live bytes, as the snapshot's records. A min-heap of at most
 * {@code limit} entries: a path that does not make the cut costs no allocation.
 */
final class TopPaths {
    /**
     * Smallest first; ties broken by instances, type and stack so that the order is the same run to run (a list's
     * hash code over strings is specified).
     */
    private static final Comparator<SiteRetention> ORDER = Comparator.comparingLong(SiteRetention::estimatedLiveBytes)
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
        if (smallestFirst.size() == limit && bytes < smallestFirst.peek().estimatedLiveBytes()) {
            return;
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

    /** Largest estimated live bytes first. */
    List<SiteRetention> ranked() {
        SiteRetention[] ranked = smallestFirst.toArray(new SiteRetention[0]);
        Arrays.sort(ranked, ORDER.reversed());
        return List.of(ranked);
    }
}
