package dev.leakwatch.analyzer.model;

import java.util.List;

/**
 * The allocation-site tracking state at one snapshot.
 *
 * @param samplingInterval   on average one allocation in this many is sampled
 * @param trackedObjects     sampled objects tracked now (live or not yet found dead)
 * @param capacity           the tracking table's cap
 * @param evictedSamples     samples dropped since start because the table was full
 * @param paths              retention per allocation path, largest estimated live bytes first (may be cut to the top N)
 */
public record AllocationStats(
        long samplingInterval, long trackedObjects, long capacity, long evictedSamples, List<SiteRetention> paths) {
    public AllocationStats {
        paths = List.copyOf(paths);
    }
}
