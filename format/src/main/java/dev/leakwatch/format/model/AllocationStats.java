package dev.leakwatch.format.model;

import java.util.List;
import java.util.Objects;

/**
 * The allocation-site tracking state at one snapshot.
 *
 * @param samplingInterval   the base sampling interval, in the sampler's unit: on average one allocation in this many
 *                           ({@link AllocationSampler#INSTRUMENTATION}), or one sample per this many bytes allocated
 *                           ({@link AllocationSampler#JVM})
 * @param trackedObjects     sampled objects tracked now (live or not yet found dead)
 * @param capacity           the tracking table's cap
 * @param evictedSamples     samples dropped since start because the table was full
 * @param paths              retention per allocation path (may be cut to the top N): those with samples that outlived
 *                           a snapshot ({@link SiteRetention#hasSurvivors}) first, then the others, each by largest
 *                           estimated live bytes
 * @param loaders            class loaders per type: how many are alive and how many classes they defined
 * @param instrumentation    what the instrumentation covered by then; null when the snapshot did not record it
 *                           (snapshot format 2 and older, and always with the JVM sampler, which instruments nothing)
 * @param sampler            what picked the samples; {@link AllocationSampler#INSTRUMENTATION} for snapshot format 3 and
 *                           older
 */
public record AllocationStats(
        long samplingInterval,
        long trackedObjects,
        long capacity,
        long evictedSamples,
        List<SiteRetention> paths,
        List<LoaderStats> loaders,
        InstrumentationCounts instrumentation,
        AllocationSampler sampler) {
    public AllocationStats {
        paths = List.copyOf(paths);
        loaders = List.copyOf(loaders);
        Objects.requireNonNull(sampler, "sampler");
    }

    public AllocationStats(
            long samplingInterval,
            long trackedObjects,
            long capacity,
            long evictedSamples,
            List<SiteRetention> paths,
            List<LoaderStats> loaders,
            InstrumentationCounts instrumentation) {
        this(
                samplingInterval,
                trackedObjects,
                capacity,
                evictedSamples,
                paths,
                loaders,
                instrumentation,
                AllocationSampler.INSTRUMENTATION);
    }

    public AllocationStats(
            long samplingInterval, long trackedObjects, long capacity, long evictedSamples, List<SiteRetention> paths) {
        this(samplingInterval, trackedObjects, capacity, evictedSamples, paths, List.of(), null);
    }

    public AllocationStats withLoaders(List<LoaderStats> newLoaders) {
        return new AllocationStats(
                samplingInterval,
                trackedObjects,
                capacity,
                evictedSamples,
                paths,
                newLoaders,
                instrumentation,
                sampler);
    }

    public AllocationStats withInstrumentation(InstrumentationCounts counts) {
        return new AllocationStats(
                samplingInterval, trackedObjects, capacity, evictedSamples, paths, loaders, counts, sampler);
    }

    /** The same state, sampled by {@code newSampler} at {@code newSamplingInterval} (in that sampler's unit). */
    /** The same with {@code more} samples counted as evicted: refused for room before they reached the table. */
    public AllocationStats withMoreEvictions(long more) {
        return new AllocationStats(
                samplingInterval,
                trackedObjects,
                capacity,
                evictedSamples + more,
                paths,
                loaders,
                instrumentation,
                sampler);
    }

    public AllocationStats withSampler(AllocationSampler newSampler, long newSamplingInterval) {
        return new AllocationStats(
                newSamplingInterval,
                trackedObjects,
                capacity,
                evictedSamples,
                paths,
                loaders,
                instrumentation,
                newSampler);
    }
}
