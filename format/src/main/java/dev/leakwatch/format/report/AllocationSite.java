package dev.leakwatch.format.report;

import dev.leakwatch.format.model.SiteRetention;
import java.util.List;

/**
 * Where a suspect's retained growth is allocated: one method of the application (the first application frame of the
 * allocation paths, else their first frame outside the JDK, else the allocation itself) with every sampled path
 * through it that shows retention, from the agent's sampled allocation tracking. The stack shown is that of the
 * site's path with the most growth; the figures add up the site's paths.
 *
 * @param frames                the stack of the site's path with the most growth, innermost (the allocation) first,
 *                              like {@code com.acme.Cache.put(Cache.java:42)}
 * @param allocatedType         what that path allocates
 * @param allocatedTypes        every type the site's paths allocate, the one with the most growth first; a report of
 *                              schema 4 or older (one path per site) reads as {@code [allocatedType]}
 * @param paths                 how many allocation paths the site adds up; a report of schema 4 or older reads as 1
 * @param share                 fraction (0..1) of the suspect's retained growth, over the paths that show retention,
 *                              that this site holds
 * @param growthBytesPerMinute  growth of the site's estimated retained bytes: the sum of its paths' Theil-Sen slopes
 * @param estimatedLiveBytes    estimated retained bytes now (sampled live objects scaled by the sampling rate)
 * @param liveSamples           sampled objects of the site still alive
 * @param distinctEpochs        the most snapshot epochs any of its paths' live samples were allocated in: a leak
 *                              keeps adding them
 * @param oldestAgeSeconds      age of the oldest live sample
 * @param firstNonJdkFrame      index in {@code frames} of the first frame outside the JDK, -1 if none
 * @param firstApplicationFrame index of the first frame of the application itself (not a known library), -1 if none
 */
public record AllocationSite(
        List<String> frames,
        String allocatedType,
        List<String> allocatedTypes,
        int paths,
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
        // Schema 4 had one path per site, and neither field: its site reads as the one path it was.
        if (allocatedTypes == null) {
            allocatedTypes = allocatedType == null ? List.of() : List.of(allocatedType);
        } else {
            allocatedTypes = List.copyOf(allocatedTypes);
        }
        if (paths == 0) {
            paths = 1;
        }
    }

    /** The frame a person should open first: the application's own, else the first outside the JDK, else the site. */
    public String keyFrame() {
        return SiteRetention.keyFrame(frames, firstApplicationFrame, firstNonJdkFrame);
    }
}
