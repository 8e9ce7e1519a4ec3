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
 * @param loaders            class loaders per type: how many are alive and how many classes they defined
 * @param instrumentation    what the instrumentation covered by then; null when the snapshot did not record it
 *                           (snapshot format 2 and older)
 */
public record AllocationStats(
        long samplingInterval, long trackedObjects, long capacity, long evictedSamples, List<SiteRetention> paths,
        List<LoaderStats> loaders, InstrumentationCounts instrumentation) {
    public AllocationStats {
        paths = List.copyOf(paths);
        loaders = List.copyOf(loaders);
    }

    public AllocationStats(long samplingInterval, long trackedObjects, long capacity, long evictedSamples,
            List<SiteRetention> paths) {
        this(samplingInterval, trackedObjects, capacity, evictedSamples, paths, List.of(), null);
    }

    public AllocationStats withLoaders(List<LoaderStats> newLoaders) {
        return new AllocationStats(samplingInterval, trackedObjects, capacity, evictedSamples, paths, newLoaders,
                instrumentation);
    }

    public AllocationStats withInstrumentation(InstrumentationCounts counts) {
        return new AllocationStats(samplingInterval, trackedObjects, capacity, evictedSamples, paths, loaders, counts);
    }
}
