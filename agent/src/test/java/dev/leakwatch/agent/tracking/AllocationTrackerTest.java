package dev.leakwatch.agent.tracking;

import static dev.leakwatch.agent.tracking.Trackers.allocatedIn;
import static dev.leakwatch.agent.tracking.Trackers.awaitStats;
import static dev.leakwatch.agent.tracking.Trackers.liveIn;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AllocationTrackerTest {
    private final AllocationTracker tracker = Trackers.tracker();

    @Test
    void retainedObjectsStayLiveWhileDroppedOnesDisappearAfterGc() {
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            retained.add(retainedAllocation());
        }
        dropAllocations(50);
        // Not exactly 100: a GC during the loop may have collected dropped ones, which the next records drained.
        assertTrue(
                tracker.trackedSamples() >= 50 && tracker.trackedSamples() <= 100,
                "tracked " + tracker.trackedSamples());

        AllocationStats stats = awaitStats(tracker, s -> liveIn(s, "droppedAllocation") == 0);

        SiteRetention kept = allocatedIn(stats, "retainedAllocation").orElseThrow();
        assertEquals(50, kept.liveSamples());
        assertEquals("byte[]", kept.allocatedType());
        assertEquals(1, stats.paths().size(), "the dropped path is gone: " + stats.paths());
        assertEquals(50, stats.trackedObjects());
        assertEquals(50, tracker.trackedSamples());
        Reference.reachabilityFence(retained);
    }

    /** On a nearly full heap the agent pauses recording: a record's allocations would fail on the host's thread. */
    @Test
    void whilePausedSamplesAreDroppedUnrecordedAndWithoutFailure() {
        AtomicBoolean heapFull = new AtomicBoolean(true);
        tracker.pauseWhile(heapFull::get);
        Object first = new Object();
        tracker.record(first, 7);
        assertEquals(0, tracker.trackedSamples());

        heapFull.set(false);
        Object second = new Object();
        tracker.record(second, 7);
        assertEquals(1, tracker.trackedSamples());
        assertEquals(0, tracker.failures());
        Reference.reachabilityFence(first);
        Reference.reachabilityFence(second);
    }

    @Test
    void preparingRunsTheRecordingPathAndLeavesNothingBehind() {
        AllocationTracker tracker = Trackers.tracker();
        tracker.prepare();
        assertEquals(0, tracker.failures(), "the recording path ran without failing");
        assertEquals(0, tracker.trackedSamples());
        assertEquals(0, tracker.paths());
        AllocationStats stats = tracker.snapshot(1, Integer.MAX_VALUE);
        assertEquals(List.of(), stats.paths(), "the throwaway sample is forgotten");

        Object retained = new Object();
        tracker.record(retained, 7);
        assertEquals(1, tracker.trackedSamples(), "and the tracker records as before");
        Reference.reachabilityFence(retained);
    }

    @Test
    void estimatesScaleWithTheSamplingInterval() {
        AllocationTracker sized =
                new AllocationTracker(object -> 100, SiteNames.Unavailable.INSTANCE, Trackers.settings());
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            retained.add(recordInto(sized));
        }

        SiteRetention once = sized.snapshot(1, 10).paths().get(0);
        AllocationStats scaledStats = sized.snapshot(512, 10);
        SiteRetention scaled = scaledStats.paths().get(0);

        assertEquals(10, once.liveSamples());
        assertEquals(10, once.estimatedLiveInstances());
        assertEquals(1_000, once.estimatedLiveBytes());
        assertEquals(10, scaled.liveSamples());
        assertEquals(5_120, scaled.estimatedLiveInstances());
        assertEquals(512_000, scaled.estimatedLiveBytes());
        assertEquals(512, scaledStats.samplingInterval());
        Reference.reachabilityFence(retained);
    }

    /**
     * The agent's rate ceiling stretches the interval mid-run: 1,000 allocations at the base interval 10, then 4,000
     * at 40 (every 10th and every 40th recorded here, so the arithmetic is exact). Samples taken at 4x the base count
     * 4x, and the estimate scaled by the base interval is the 5,000 allocated; unweighted it would be 2,000.
     */
    @Test
    void samplesTakenAtAStretchedIntervalWeighByItsMultiplier() {
        AllocationTracker sized =
                new AllocationTracker(object -> 100, SiteNames.Unavailable.INSTANCE, Trackers.settings());
        List<Object> retained = new ArrayList<>();
        int[][] phases = {{1_000, 10, 1}, {4_000, 40, 4}}; // allocations, interval, multiplier
        for (int[] phase : phases) {
            for (int i = 1; i <= phase[0]; i++) {
                Object object = new Object();
                retained.add(object);
                if (i % phase[1] == 0) {
                    sized.record(object, 5, phase[2]); // one call site: one path for both phases
                }
            }
        }

        SiteRetention path = sized.snapshot(10, 10).paths().get(0);

        assertEquals(200, path.liveSamples());
        assertEquals(5_000, path.estimatedLiveInstances());
        assertEquals(500_000, path.estimatedLiveBytes());
        Reference.reachabilityFence(retained);
    }

    /** Thinning doubles weights that a large multiplier already made large: they saturate, never wrap negative. */
    @Test
    void weightsSaturateInsteadOfOverflowing() {
        AllocationTracker tiny = Trackers.tracker(Trackers.settings().withCapacity(4));
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Object object = new Object();
            retained.add(object);
            tiny.record(object, 5, 1 << 30);
        }
        assertTrue(tiny.thinningRate() >= 2, "thinned: rate " + tiny.thinningRate());

        SiteRetention path = tiny.snapshot(1, 10).paths().get(0);

        assertEquals(path.liveSamples() * Integer.MAX_VALUE, path.estimatedLiveInstances());
        Reference.reachabilityFence(retained);
    }

    @Test
    void aMultiplierBelowOneIsCountedAsAFailure() {
        Object object = new Object();
        assertDoesNotThrow(() -> tracker.record(object, 1, 0));

        assertEquals(1, tracker.failures());
        assertEquals(0, tracker.trackedSamples());
    }

    @Test
    void distinctEpochsGrowForALeakAndStayLowForACacheThatTurnsOver() {
        long start = System.currentTimeMillis();
        List<Object> leak = new ArrayList<>();
        List<Object> cache = new ArrayList<>();
        int epochs = 6;
        for (int epoch = 0; epoch < epochs; epoch++) {
            cache.clear();
            for (int i = 0; i < 20; i++) {
                leak.add(leakAllocation());
                cache.add(cacheAllocation());
            }
            tracker.snapshot(1, 10);
            tracker.advanceEpoch();
        }
        assertEquals(epochs, tracker.epoch());

        AllocationStats stats = awaitStats(tracker, s -> liveIn(s, "cacheAllocation") == 20);

        SiteRetention leaking = allocatedIn(stats, "leakAllocation").orElseThrow();
        SiteRetention turningOver = allocatedIn(stats, "cacheAllocation").orElseThrow();
        assertEquals(120, leaking.liveSamples());
        assertEquals(epochs, leaking.distinctEpochs());
        assertEquals(1, turningOver.distinctEpochs());
        assertTrue(leaking.oldestAllocationMillis() >= start, "oldest " + leaking.oldestAllocationMillis());
        assertTrue(leaking.oldestAllocationMillis() <= turningOver.oldestAllocationMillis());
        Reference.reachabilityFence(leak);
        Reference.reachabilityFence(cache);
    }

    @Test
    void identicalStacksShareOnePathWhoseFramesAreBuiltOnce() {
        List<Object> retained = new ArrayList<>();
        List<AllocationStats> snapshots = new ArrayList<>();
        for (int round = 0; round < 2; round++) { // one call site: the same stack both rounds
            retainFive(retained);
            snapshots.add(tracker.snapshot(1, 10));
        }
        SiteRetention first = snapshots.get(0).paths().get(0);
        AllocationStats later = snapshots.get(1);

        assertEquals(5, first.liveSamples());
        assertEquals(1, later.paths().size(), later.paths().toString());
        SiteRetention same = later.paths().get(0);
        assertEquals(10, same.liveSamples());
        assertSame(first.frames(), same.frames(), "the frame strings are built once per path");
        Reference.reachabilityFence(retained);
    }

    @Test
    void theSameSiteReachedFromTwoCallersMakesTwoPaths() {
        List<Object> retained = new ArrayList<>();
        retained.add(retainedAllocation());
        retained.add(retainedAllocation());

        AllocationStats stats = tracker.snapshot(1, 10);

        assertEquals(2, stats.paths().size(), stats.paths().toString());
        assertEquals(2, tracker.paths());
        List<String> one = stats.paths().get(0).frames();
        List<String> other = stats.paths().get(1).frames();
        assertEquals(one.get(0), other.get(0), "same site");
        assertNotEquals(one.get(1), other.get(1), "different lines of this test");
        assertSame(one.get(2), other.get(2), "the outer frames' strings are shared");
        Reference.reachabilityFence(retained);
    }

    @Test
    void ranksPathsByEstimatedLiveBytesAndCutsToTheTopN() {
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            retained.add(retainedAllocation());
        }
        for (int i = 0; i < 7; i++) {
            retained.add(leakAllocation());
        }
        retained.add(cacheAllocation());

        AllocationStats top2 = tracker.snapshot(1, 2);

        assertEquals(2, top2.paths().size());
        assertEquals(7, top2.paths().get(0).liveSamples());
        assertEquals(3, top2.paths().get(1).liveSamples());
        assertEquals(11, top2.trackedObjects());
        assertEquals(TrackingSettings.DEFAULT_CAPACITY, top2.capacity());
        assertTrue(tracker.snapshot(1, 0).paths().isEmpty());
        Reference.reachabilityFence(retained);
    }

    /**
     * A snapshot names the paths some of whose samples outlived a snapshot before larger ones that hold only the newest
     * epoch's: churn not yet collected must not crowd a leak of rarely sampled objects out of the snapshot.
     */
    @Test
    void pathsWhoseSamplesOutlivedASnapshotComeFirst() {
        List<Object> retained = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) { // one call site: one path, with a sample in each epoch
            retained.add(leakAllocation());
            tracker.advanceEpoch();
        }
        for (int i = 0; i < 7; i++) {
            retained.add(cacheAllocation());
        }

        List<SiteRetention> top1 = tracker.snapshot(1, 1).paths();
        List<SiteRetention> both = tracker.snapshot(1, 2).paths();

        assertEquals(1, top1.size());
        assertEquals(2, top1.get(0).liveSamples(), "the path with survivors, though smaller: " + top1);
        assertTrue(top1.get(0).hasSurvivors());
        assertEquals(
                List.of(2L, 7L), both.stream().map(SiteRetention::liveSamples).toList());
        Reference.reachabilityFence(retained);
    }

    @Test
    void recordNeverThrowsAndCountsWhatFailed() {
        AllocationTracker failing = new AllocationTracker(
                object -> {
                    throw new IllegalStateException("no size");
                },
                SiteNames.Unavailable.INSTANCE,
                Trackers.settings());

        assertDoesNotThrow(() -> failing.record(new Object(), 1));
        assertDoesNotThrow(() -> failing.record(null, 1));

        assertEquals(1, failing.failures());
        assertEquals(0, failing.trackedSamples());
        assertTrue(failing.snapshot(1, 10).paths().isEmpty());
    }

    @Test
    void failingSiteNamesAreCountedToo() {
        SiteNames broken = new SiteNames() {
            @Override
            public String allocatedType(int siteId) {
                throw new IllegalStateException("registry bug");
            }

            @Override
            public String frame(int siteId) {
                throw new IllegalStateException("registry bug");
            }
        };
        AllocationTracker tracker =
                new AllocationTracker(object -> 16, broken, Trackers.settings().withMaxPaths(1));
        Object first = recordInto(tracker);
        Object second = leakInto(tracker); // a second stack: the "other stacks" path needs the broken names

        assertEquals(1, tracker.failures());
        assertEquals(1, tracker.trackedSamples(), "the failed sample released its slot");
        assertEquals(1, tracker.paths(), "and its path slot");
        assertEquals(1, tracker.snapshot(1, 10).paths().size());
        Reference.reachabilityFence(first);
        Reference.reachabilityFence(second);
    }

    @Test
    void clearReleasesEverythingAndTheTrackerStaysUsable() {
        List<Object> retained = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            retained.add(retainedAllocation());
        }

        tracker.clear();

        assertEquals(0, tracker.trackedSamples());
        assertEquals(0, tracker.paths());
        AllocationStats cleared = tracker.snapshot(1, 10);
        assertTrue(cleared.paths().isEmpty());
        assertEquals(0, cleared.trackedObjects());
        assertEquals(0, cleared.evictedSamples());

        retained.add(retainedAllocation());
        assertEquals(1, tracker.snapshot(1, 10).paths().get(0).liveSamples());
        Reference.reachabilityFence(retained);
    }

    private Object retainedAllocation() {
        Object object = new byte[32];
        tracker.record(object, 1);
        return object;
    }

    private void retainFive(List<Object> retained) {
        for (int i = 0; i < 5; i++) {
            retained.add(retainedAllocation());
        }
    }

    private void dropAllocations(int count) {
        for (int i = 0; i < count; i++) {
            droppedAllocation();
        }
    }

    private void droppedAllocation() {
        tracker.record(new byte[32], 2);
    }

    private Object leakAllocation() {
        Object object = new Object();
        tracker.record(object, 3);
        return object;
    }

    private Object cacheAllocation() {
        Object object = new Object();
        tracker.record(object, 4);
        return object;
    }

    private static Object recordInto(AllocationTracker target) {
        Object object = new Object();
        target.record(object, 5);
        return object;
    }

    private static Object leakInto(AllocationTracker target) {
        Object object = new Object();
        target.record(object, 6);
        return object;
    }
}
