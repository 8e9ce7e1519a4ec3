package dev.leakwatch.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Eight recording threads against each other and against a snapshot thread. */
class ConcurrentRecordTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 4_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void countsStayConsistentUnderConcurrentRecordsAndSnapshots() throws Exception {
        AllocationTracker tracker = Trackers.tracker();
        List<List<Object>> retained = run(tracker);

        AllocationStats stats = Trackers.awaitStats(tracker, s -> s.paths().size() == 2);

        assertEquals(0, tracker.failures());
        assertEquals(0, stats.evictedSamples());
        for (SiteRetention path : stats.paths()) {
            assertEquals(THREADS * PER_THREAD / 4, path.liveSamples(), "every retained sample of its site");
        }
        assertEquals(THREADS * PER_THREAD / 2, stats.trackedObjects());
        Reference.reachabilityFence(retained);
    }

    @Test
    void thinningUnderContentionKeepsTheCap() throws Exception {
        int capacity = 1_000;
        AllocationTracker tracker = Trackers.tracker(Trackers.settings().withCapacity(capacity));
        List<List<Object>> retained = run(tracker);

        AllocationStats stats = Trackers.awaitStats(tracker, s -> s.paths().size() == 2);

        assertEquals(0, tracker.failures());
        assertTrue(stats.trackedObjects() <= capacity, "tracked " + stats.trackedObjects());
        assertTrue(stats.evictedSamples() > 0);
        long estimated = stats.paths().stream()
                .mapToLong(SiteRetention::estimatedLiveInstances)
                .sum();
        long truth = THREADS * PER_THREAD / 2;
        assertTrue(Math.abs(estimated - truth) < truth / 2, "estimated " + estimated + " of " + truth);
        Reference.reachabilityFence(retained);
    }

    /** Each thread records on 4 sites, keeping every other object (sites 0 and 2); a ninth thread snapshots along. */
    private List<List<Object>> run(AllocationTracker tracker) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean recording = new AtomicBoolean(true);
        Future<Integer> snapshots = pool.submit(() -> {
            start.await();
            int taken = 0;
            while (recording.get()) {
                tracker.snapshot(1, 10);
                tracker.advanceEpoch();
                taken++;
            }
            return taken;
        });
        List<Future<List<Object>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                List<Object> kept = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    Object object = new byte[8];
                    recordOnSite(tracker, object, i % 4);
                    if (i % 2 == 0) {
                        kept.add(object);
                    }
                }
                return kept;
            }));
        }
        start.countDown();
        List<List<Object>> retained = new ArrayList<>();
        for (Future<List<Object>> worker : workers) {
            retained.add(worker.get(60, TimeUnit.SECONDS));
        }
        recording.set(false);
        assertTrue(snapshots.get(60, TimeUnit.SECONDS) >= 1);
        return retained;
    }

    /** Sites 0 and 2 only ever hold retained objects, 1 and 3 only dropped ones. */
    private static void recordOnSite(AllocationTracker tracker, Object object, int site) {
        switch (site) {
            case 0 -> tracker.record(object, 0);
            case 1 -> tracker.record(object, 1);
            case 2 -> tracker.record(object, 2);
            default -> tracker.record(object, 3);
        }
    }
}
