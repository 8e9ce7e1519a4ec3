package dev.leakwatch.format.report;

import java.util.List;

/**
 * An allocation path that holds part of a suspect's retained growth: the allocation site and the stack that led to
 * it, from the agent's sampled allocation tracking.
 *
 * @param frames                stack frames, innermost (the allocation) first, like {@code com.acme.Cache.put(Cache.java:42)}
 * @param allocatedType         what is allocated there
 * @param share                 fraction (0..1) of the suspect's attributed retained growth that this path holds
 * @param growthBytesPerMinute  estimated retained bytes of this path, Theil-Sen slope
 * @param estimatedLiveBytes    estimated retained bytes now (sampled live objects scaled by the sampling rate)
 * @param liveSamples           sampled objects of this path still alive
 * @param distinctEpochs        snapshot epochs the live samples were allocated in: a leak keeps adding them
 * @param oldestAgeSeconds      age of the oldest live sample
 * @param firstNonJdkFrame      index in {@code frames} of the first frame outside the JDK, -1 if none
 * @param firstApplicationFrame index of the first frame of the application itself (not a known library), -1 if none
 */
public record AllocationSite(
        List<String> frames,
        String allocatedType,
        double share,
        double growthBytesPerMinute,
        long estimatedLiveBytes,
        long liveSamples,
        int distinctEpochs,
        double oldestAgeSeconds,
        int firstNonJdkFrame,
        int firstApplicationFrame) {

    public AllocationSite {
        frames = List.copyOf(frames);
    }

    /** The frame a person should open first: the application's own, else the first outside the JDK, else the site. */
    public String keyFrame() {
        int index = firstApplicationFrame >= 0 ? firstApplicationFrame : firstNonJdkFrame >= 0 ? firstNonJdkFrame : 0;
        return frames.isEmpty() ? "" : frames.get(Math.min(index, frames.size() - 1));
    }
}
