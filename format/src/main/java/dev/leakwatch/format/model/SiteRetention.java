package dev.leakwatch.format.model;

import java.util.List;

/**
 * What the sampled, still-live objects of one allocation path retain at one snapshot. A path is an allocation site
 * together with the short stack that led to it, so that {@code HashMap.newNode} reached from two different
 * application methods counts as two paths.
 *
 * @param allocatedType         binary name of the allocated type ({@code byte[]} for arrays)
 * @param frames                the stack, innermost (the allocation site) first, like {@code com.acme.Cache.put(Cache.java:42)}
 * @param firstNonJdkFrame      index in {@code frames} of the first frame outside the JDK, -1 when none
 * @param firstApplicationFrame index of the first frame of the application itself (not a known library), -1 when none
 * @param liveSamples           sampled objects of this path still reachable
 * @param estimatedLiveInstances {@code liveSamples} scaled by the sampling rate
 * @param estimatedLiveBytes    their shallow sizes, scaled likewise
 * @param distinctEpochs        in how many distinct snapshot epochs the live samples were allocated ("surviving
 *                              generations"): a leak keeps adding epochs, a cache that turns over does not
 * @param oldestAllocationMillis when the oldest live sample was allocated (epoch millis)
 */
public record SiteRetention(
        String allocatedType,
        List<String> frames,
        int firstNonJdkFrame,
        int firstApplicationFrame,
        long liveSamples,
        long estimatedLiveInstances,
        long estimatedLiveBytes,
        int distinctEpochs,
        long oldestAllocationMillis) {

    /**
     * Epochs a path's live samples must come from for some of them to have outlived a snapshot: a sample of an older
     * epoch than another was alive when the snapshot that ended its epoch was taken, and still is.
     */
    public static final int SURVIVOR_EPOCHS = 2;

    public SiteRetention {
        frames = List.copyOf(frames);
    }

    /**
     * Whether some of the live samples outlived a snapshot. A path without is no evidence of a leak, however many
     * samples it holds at that moment: churn not yet collected looks the same (issue 13).
     */
    public boolean hasSurvivors() {
        return distinctEpochs >= SURVIVOR_EPOCHS;
    }

    /** A stable key for the path across snapshots. */
    public String pathKey() {
        return allocatedType + "|" + String.join(";", frames);
    }

    /** The frame a person should open first: the application's own, else the first outside the JDK, else the site. */
    public String keyFrame() {
        return keyFrame(frames, firstApplicationFrame, firstNonJdkFrame);
    }

    /** {@link #keyFrame()} of any stack; the report's allocation sites pick theirs the same way. */
    public static String keyFrame(List<String> frames, int firstApplicationFrame, int firstNonJdkFrame) {
        int index = firstApplicationFrame >= 0 ? firstApplicationFrame : firstNonJdkFrame >= 0 ? firstNonJdkFrame : 0;
        return frames.isEmpty() ? "" : frames.get(Math.min(index, frames.size() - 1));
    }
}
