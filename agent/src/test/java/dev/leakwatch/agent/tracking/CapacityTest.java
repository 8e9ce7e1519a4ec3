package dev.leakwatch.agent.tracking;

import static dev.leakwatch.agent.tracking.Trackers.allocatedIn;
import static dev.leakwatch.agent.tracking.Trackers.awaitStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caps on samples and paths, and the thinning that keeps estimates honest past them. */
class CapacityTest {
    private static final int CAPACITY = 4_000;

    private final AllocationTracker tracker =
            Trackers.tracker(Trackers.settings().withCapacity(CAPACITY));

    @Test
    void capBoundsTrackedSamplesCountsEvictionsAndKeepsEstimatesUnbiased() {
        List<Object> retained = new ArrayList<>();
        int big = 30_000;
        int small = 10_000;
        for (int i = 0; i < big + small; i++) {
            retained.add(i % 4 == 3 ? smallPath() : bigPath());
            assertTrue(tracker.trackedSamples() <= CAPACITY, "tracked " + tracker.trackedSamples());
        }

        AllocationStats stats = tracker.snapshot(10, 10);

        assertTrue(stats.trackedObjects() <= CAPACITY);
        assertTrue(stats.evictedSamples() > 0, "evictions are counted");
        assertEquals(stats.evictedSamples(), tracker.evictions());
        assertTrue(tracker.thinningRate() >= 8, "rate " + tracker.thinningRate());
        SiteRetention bigPath = allocatedIn(stats, "bigPath").orElseThrow();
        SiteRetention smallPath = allocatedIn(stats, "smallPath").orElseThrow();
        assertTrue(bigPath.liveSamples() + smallPath.liveSamples() <= CAPACITY);
        // Every sample kept stands for rate-many; the estimates stay within 5 standard deviations of the truth.
        assertWithin(big * 10L, bigPath.estimatedLiveInstances(), 0.2);
        assertWithin(small * 10L, smallPath.estimatedLiveInstances(), 0.2);
        assertEquals(bigPath.estimatedLiveInstances() * Trackers.SHALLOW_SIZE, bigPath.estimatedLiveBytes());
        assertEquals(1, bigPath.distinctEpochs());
        Reference.reachabilityFence(retained);
    }

    @Test
    void thinningRelaxesOnceTheRetainedSetIsGone() {
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 3 * CAPACITY; i++) {
            retained.add(bigPath());
        }
        int thinned = tracker.thinningRate();
        assertTrue(thinned > 1, "rate " + thinned);

        retained.clear();
        awaitStats(tracker, stats -> stats.trackedObjects() == 0);
        awaitStats(tracker, stats -> tracker.thinningRate() == 1);

        assertEquals(0, tracker.trackedSamples());
        assertEquals(0, tracker.paths(), "empty paths are retired");
        Object fresh = bigPath();
        SiteRetention path = tracker.snapshot(1, 10).paths().get(0);
        assertEquals(1, path.estimatedLiveInstances(), "a new sample weighs 1 again");
        Reference.reachabilityFence(fresh);
    }

    @Test
    void excessStacksCollapseIntoOneOtherStacksPathPerSite() {
        SiteNames names = new SiteNames() {
            @Override
            public String allocatedType(int siteId) {
                return "com.acme.Widget";
            }

            @Override
            public String frame(int siteId) {
                return "com.acme.Factory.make(Factory.java:" + siteId + ")";
            }
        };
        AllocationTracker narrow =
                new AllocationTracker(object -> 16, names, Trackers.settings().withMaxPaths(2));
        List<Object> retained = new ArrayList<>();
        for (int line = 0; line < 5; line++) {
            retained.add(recordFromLine(narrow, line, 9));
        }
        retained.add(recordFromLine(narrow, 0, 10));
        retained.add(recordFromLine(narrow, 1, 11));

        AllocationStats stats = narrow.snapshot(1, 100);

        assertEquals(4, narrow.paths(), "2 stack paths, 2 other-stacks paths");
        SiteRetention other = stats.paths().stream()
                .filter(path ->
                        path.frames().equals(List.of("com.acme.Factory.make(Factory.java:9)", "<other stacks>")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(stats.paths().toString()));
        assertEquals(3, other.liveSamples());
        assertEquals("com.acme.Widget", other.allocatedType());
        assertEquals(0, other.firstApplicationFrame());
        assertEquals(
                7, stats.paths().stream().mapToLong(SiteRetention::liveSamples).sum());
        Reference.reachabilityFence(retained);
    }

    @Test
    void pastAsManyOtherStacksPathsEverythingGoesToOnePath() {
        AllocationTracker narrow = Trackers.tracker(Trackers.settings().withMaxPaths(1));
        List<Object> retained = new ArrayList<>();
        for (int site = 0; site < 4; site++) {
            retained.add(recordFromLine(narrow, site, site));
        }

        AllocationStats stats = narrow.snapshot(1, 100);

        assertEquals(2, narrow.paths(), "1 stack path, 1 other-stacks path");
        assertEquals(3, stats.paths().size(), stats.paths().toString());
        SiteRetention rest = stats.paths().stream()
                .filter(path -> path.frames().equals(List.of(PathFactory.OTHER_SITES)))
                .findFirst()
                .orElseThrow();
        assertEquals(2, rest.liveSamples());
        Reference.reachabilityFence(retained);
    }

    private Object bigPath() {
        Object object = new Object();
        tracker.record(object, 1);
        return object;
    }

    private Object smallPath() {
        Object object = new Object();
        tracker.record(object, 2);
        return object;
    }

    /** A distinct stack (bytecode index) per line. */
    private static Object recordFromLine(AllocationTracker target, int line, int siteId) {
        Object object = new Object();
        switch (line) {
            case 0 -> target.record(object, siteId);
            case 1 -> target.record(object, siteId);
            case 2 -> target.record(object, siteId);
            case 3 -> target.record(object, siteId);
            default -> target.record(object, siteId);
        }
        return object;
    }

    private static void assertWithin(long expected, long actual, double tolerance) {
        assertTrue(
                Math.abs(actual - expected) <= expected * tolerance,
                "expected " + expected + " within " + tolerance * 100 + "%, was " + actual);
    }
}
