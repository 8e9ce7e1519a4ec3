package dev.leakwatch.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AllocationHookTest {
    private static final Object OBJECT = new Object();

    @AfterEach
    void uninstall() {
        AllocationHook.uninstall();
    }

    @Test
    void nothingIsRecordedWithoutARecorder() {
        long before = AllocationHook.recorded();
        for (int i = 0; i < 100_000; i++) {
            AllocationHook.allocated(OBJECT, 1);
        }
        assertEquals(before, AllocationHook.recorded());
        assertFalse(AllocationHook.isInstalled());
    }

    @Test
    void intervalOneRecordsEveryAllocationWithItsSite() {
        List<Integer> sites = new ArrayList<>();
        List<Object> objects = new ArrayList<>();
        AllocationHook.install(
                (object, siteId) -> {
                    sites.add(siteId);
                    objects.add(object);
                },
                1);
        Object first = new Object();
        Object second = new int[3];
        AllocationHook.allocated(first, 7);
        AllocationHook.allocated(second, 8);
        assertEquals(List.of(7, 8), sites);
        assertTrue(objects.get(0) == first && objects.get(1) == second);
    }

    /**
     * The number of samples over n calls with mean m is binomial-like with mean n/m; with a geometric interval it
     * is exactly Binomial(n, 1/m) (up to the last, unfinished interval). Bounds of 6 standard deviations make a
     * false failure practically impossible while still catching an off-by-a-factor rate.
     */
    @Test
    void samplingRateIsOneOverTheMean() {
        AtomicLong samples = new AtomicLong();
        long mean = 100;
        int calls = 2_000_000;
        AllocationHook.install((object, siteId) -> samples.incrementAndGet(), mean);
        for (int i = 0; i < calls; i++) {
            AllocationHook.allocated(OBJECT, 1);
        }
        double expected = (double) calls / mean;
        double sigma = Math.sqrt(calls * (1.0 / mean) * (1 - 1.0 / mean));
        assertTrue(
                Math.abs(samples.get() - expected) < 6 * sigma,
                "samples " + samples.get() + ", expected " + expected + " +- " + 6 * sigma);
    }

    @Test
    void samplingRateHoldsAcrossThreads() throws InterruptedException {
        AtomicLong samples = new AtomicLong();
        long mean = 50;
        int threads = 4;
        int callsPerThread = 500_000;
        AllocationHook.install((object, siteId) -> samples.incrementAndGet(), mean);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < callsPerThread; i++) {
                    AllocationHook.allocated(OBJECT, 2);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        // Threads that share a stripe lose racy decrements, which can only lower the rate: allow a generous 40%.
        double expected = (double) threads * callsPerThread / mean;
        assertTrue(
                samples.get() > 0.6 * expected && samples.get() < 1.1 * expected,
                "samples " + samples.get() + ", expected about " + expected);
    }

    /** A fixed interval would alias with periodic allocation patterns; a geometric one has variance ~ mean^2. */
    @Test
    void intervalsAreRandomized() {
        long mean = 64;
        List<Long> sampledAt = new ArrayList<>();
        long[] call = {0};
        AllocationHook.install((object, siteId) -> sampledAt.add(call[0]), mean);
        for (call[0] = 0; call[0] < 1_000_000; call[0]++) {
            AllocationHook.allocated(OBJECT, 3);
        }
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < sampledAt.size(); i++) {
            intervals.add(sampledAt.get(i) - sampledAt.get(i - 1));
        }
        Set<Long> distinct = new HashSet<>(intervals);
        assertTrue(distinct.size() > 100, "distinct intervals: " + distinct.size());
        double average = intervals.stream().mapToLong(Long::longValue).average().orElseThrow();
        double variance = intervals.stream()
                        .mapToDouble(i -> (i - average) * (i - average))
                        .sum()
                / intervals.size();
        assertTrue(Math.abs(average - mean) < 0.1 * mean, "average interval " + average);
        // Geometric: variance = (1 - p) / p^2, about mean^2.
        assertTrue(variance > 0.7 * mean * mean && variance < 1.3 * mean * mean, "variance " + variance);

        // A pattern of period 3 (site 0, 1, 2, 0, 1, 2, ...) is sampled at every phase, not always at the same one.
        int[] bySite = new int[3];
        AllocationHook.install((object, siteId) -> bySite[siteId]++, 3);
        for (int i = 0; i < 300_000; i++) {
            AllocationHook.allocated(OBJECT, i % 3);
        }
        for (int count : bySite) {
            assertTrue(count > 25_000, "samples per phase " + java.util.Arrays.toString(bySite));
        }
    }

    /** The rate follows the new mean, retuned from inside the recorder as a rate ceiling would do it. */
    @Test
    void retuneFromInsideTheRecorderChangesTheRate() {
        AtomicLong samples = new AtomicLong();
        long mean = 400;
        int calls = 2_000_000;
        AllocationHook.install(
                (object, siteId) -> {
                    if (samples.incrementAndGet() == 1) {
                        AllocationHook.retune(mean);
                    }
                },
                1);
        for (int i = 0; i < calls; i++) {
            AllocationHook.allocated(OBJECT, 1);
        }
        assertEquals(mean, AllocationHook.meanInterval());
        // The first call sampled with mean 1 and re-armed with it before the recorder retuned: the second call is
        // sampled too. From then on the rate is 1/mean, within 6 standard deviations.
        double expected = 2 + (double) (calls - 2) / mean;
        double sigma = Math.sqrt(calls * (1.0 / mean) * (1 - 1.0 / mean));
        assertTrue(
                Math.abs(samples.get() - expected) < 6 * sigma,
                "samples " + samples.get() + ", expected " + expected + " +- " + 6 * sigma);
    }

    /**
     * A countdown in progress keeps the mean it was drawn with: here the stripe armed with mean 1 still samples the
     * next call, and only the interval drawn then uses the new mean (10^12: the chance of another sample within 10^4
     * calls is 10^-8).
     */
    @Test
    void retuneLeavesCountdownsInProgressAlone() {
        List<Integer> sites = new ArrayList<>();
        AllocationHook.install((object, siteId) -> sites.add(siteId), 1);
        AllocationHook.retune(1_000_000_000_000L);
        for (int i = 0; i < 10_000; i++) {
            AllocationHook.allocated(OBJECT, i);
        }
        assertEquals(List.of(0), sites);
    }

    @Test
    void installSetsTheMeanAgainAndRetuneValidatesIt() {
        AllocationHook.install((o, s) -> {}, 100);
        AllocationHook.retune(800);
        assertEquals(800, AllocationHook.meanInterval());
        assertThrows(IllegalArgumentException.class, () -> AllocationHook.retune(0));
        assertEquals(800, AllocationHook.meanInterval());
        AllocationHook.install((o, s) -> {}, 100);
        assertEquals(100, AllocationHook.meanInterval());

        // Retuning does not install anything.
        AllocationHook.uninstall();
        AllocationHook.retune(50);
        assertFalse(AllocationHook.isInstalled());
    }

    @Test
    void recorderThrowablesNeverPropagateAndAreCounted() {
        long before = AllocationHook.failures();
        AllocationHook.install(
                (object, siteId) -> {
                    if (siteId == 1) {
                        throw new IllegalStateException("recorder bug");
                    }
                    throw new StackOverflowError();
                },
                1);
        AllocationHook.allocated(OBJECT, 1);
        AllocationHook.allocated(OBJECT, 2);
        AllocationHook.allocated(OBJECT, 1);
        assertEquals(before + 3, AllocationHook.failures());

        // The guard was reset in finally: a working recorder installed afterwards is called again.
        List<Integer> sites = new ArrayList<>();
        AllocationHook.install((object, siteId) -> sites.add(siteId), 1);
        AllocationHook.allocated(OBJECT, 5);
        assertEquals(List.of(5), sites);
    }

    @Test
    void aRecorderThatAllocatesIsNotReentered() {
        List<Integer> sites = new ArrayList<>();
        int[] depth = {0};
        int[] maxDepth = {0};
        long reentrantBefore = AllocationHook.reentrantSkips();
        AllocationHook.install(
                (object, siteId) -> {
                    depth[0]++;
                    maxDepth[0] = Math.max(maxDepth[0], depth[0]);
                    sites.add(siteId);
                    // What an instrumented JDK collection inside the recorder would do.
                    AllocationHook.allocated(new Object(), 99);
                    AllocationHook.allocated(new Object(), 98);
                    depth[0]--;
                },
                1);
        AllocationHook.allocated(OBJECT, 1);
        AllocationHook.allocated(OBJECT, 2);
        assertEquals(List.of(1, 2), sites);
        assertEquals(1, maxDepth[0]);
        assertEquals(reentrantBefore + 4, AllocationHook.reentrantSkips());
    }

    @Test
    void uninstallStopsRecording() {
        AtomicLong samples = new AtomicLong();
        AllocationHook.install((object, siteId) -> samples.incrementAndGet(), 1);
        AllocationHook.allocated(OBJECT, 1);
        assertEquals(1, samples.get());
        AllocationHook.uninstall();
        for (int i = 0; i < 100_000; i++) {
            AllocationHook.allocated(OBJECT, 1);
        }
        assertEquals(1, samples.get());
        assertFalse(AllocationHook.isInstalled());
    }

    @Test
    void installValidatesItsArguments() {
        assertThrows(NullPointerException.class, () -> AllocationHook.install(null, 10));
        assertThrows(IllegalArgumentException.class, () -> AllocationHook.install((o, s) -> {}, 0));
        assertFalse(AllocationHook.isInstalled());
    }
}
