package dev.leakwatch.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SampleRateCeilingTest {
    private static final long BASE = 4096;
    private static final int CEILING = 300;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSteadyHighRateSettlesUnderTheCeilingAndTheEstimateStaysUnbiased() {
        Hook hook = new Hook(1);
        SampleRateCeiling ceiling = hook.ceiling(CEILING);

        List<Long> perSecond = hook.run(ceiling, 1_500 * BASE, 60);

        assertTrue(ceiling.multiplier() > 1, "raised");
        for (int second = 2; second < perSecond.size(); second++) {
            long samples = perSecond.get(second);
            assertTrue(samples < CEILING && samples >= CEILING / 4, "second " + second + ": " + perSecond);
        }
        assertTrue(ceiling.retunes() <= 2, "it settles instead of moving back and forth: " + ceiling.retunes());
        hook.assertEstimateUnbiased();
        hook.assertIntervalsArePowersOfTwoTimesTheBase(ceiling);
    }

    @Test
    void aBurstGetsAboutOneWindowThroughAndThenAnIntervalThatFitsIt() {
        Hook hook = new Hook(2);
        SampleRateCeiling ceiling = hook.ceiling(CEILING);
        hook.run(ceiling, 100 * BASE, 10);
        assertEquals(1, ceiling.multiplier(), "100 samples/s is within the ceiling");
        long before = hook.samples;

        List<Long> burst = hook.run(ceiling, 100_000 * BASE, 5);

        assertTrue(burst.get(0) <= 2 * CEILING, "the first second of the burst: " + burst);
        for (long samples : burst.subList(1, burst.size())) {
            assertTrue(samples < CEILING, "after the first second: " + burst);
        }
        assertTrue(
                hook.samples - before < 6 * CEILING,
                "500,000 samples/s at the base interval became " + (hook.samples - before) + " in 5 s");
        assertTrue(ceiling.multiplier() >= 256, "multiplier " + ceiling.multiplier());
        hook.assertEstimateUnbiased();
        hook.assertIntervalsArePowersOfTwoTimesTheBase(ceiling);
    }

    @Test
    void aRateFallingBackLowersTheIntervalToTheBaseInAFewSteps() {
        Hook hook = new Hook(3);
        SampleRateCeiling ceiling = hook.ceiling(CEILING);
        hook.run(ceiling, 20_000 * BASE, 5);
        int raised = ceiling.multiplier();
        assertTrue(raised >= 64, "multiplier " + raised);
        long retunesBefore = ceiling.retunes();

        // 150 samples/s at the base interval: within the ceiling, so the base interval is where it must end.
        List<Long> perSecond = hook.run(ceiling, 150 * BASE, 30);

        assertEquals(1, ceiling.multiplier());
        assertEquals(BASE, ceiling.interval());
        assertEquals(BASE, hook.interval);
        // The window open at the change mixes both rates, so the first lowering can fall short: one or two more.
        assertTrue(
                ceiling.retunes() - retunesBefore <= 3,
                "lowered several powers of two at a time, from " + raised + " in " + (ceiling.retunes() - retunesBefore)
                        + " retunes");
        long lastSecond = perSecond.get(perSecond.size() - 1);
        assertTrue(lastSecond >= CEILING / 4 && lastSecond < CEILING, perSecond.toString());
        hook.assertEstimateUnbiased();
        hook.assertIntervalsArePowersOfTwoTimesTheBase(ceiling);
    }

    /** Windows close only when a sample arrives: a long silence is a low rate, seen by the next sample. */
    @Test
    void aLongSilenceCountsAsALowRate() {
        Hook hook = new Hook(4);
        SampleRateCeiling ceiling = hook.ceiling(CEILING);
        hook.run(ceiling, 5_000 * BASE, 5);
        int raised = ceiling.multiplier();
        assertTrue(raised > 1, "multiplier " + raised);

        long retunesBefore = ceiling.retunes();

        hook.nanos += 600 * SECOND;
        assertEquals(raised, ceiling.onSample(), "the sample after the silence was drawn at the raised interval");

        assertEquals(1, ceiling.multiplier());
        assertEquals(retunesBefore + 1, ceiling.retunes(), "all the way down in one step");
        assertEquals(BASE, hook.interval);
    }

    @Test
    void theIntervalStopsAtTheLargestMultiplier() {
        Hook hook = new Hook(5);
        SampleRateCeiling ceiling = hook.ceiling(1);
        // One sample per allocation at the base interval, 10^12 allocations a second: more than 2^20 can absorb.
        hook.run(ceiling, 1e12 * BASE, 1);

        assertEquals(1 << SampleRateCeiling.MAX_EXPONENT, ceiling.multiplier());
        assertEquals(BASE << SampleRateCeiling.MAX_EXPONENT, hook.interval);
        hook.assertIntervalsArePowersOfTwoTimesTheBase(ceiling);
    }

    @Test
    void ceilingZeroNeverRetunesNorReadsTheClock() {
        List<Long> applied = new ArrayList<>();
        SampleRateCeiling none = new SampleRateCeiling(
                BASE,
                0,
                () -> {
                    throw new AssertionError("clock read");
                },
                applied::add);

        for (int i = 0; i < 100_000; i++) {
            assertEquals(1, none.onSample());
        }

        assertEquals(List.of(), applied);
        assertEquals(0, none.retunes());
        assertEquals(1, none.multiplier());
        assertEquals(BASE, none.interval());
    }

    /**
     * Four threads share a clock that each call moves 20 µs on (50,000 samples/s at the base interval). Whatever the
     * interleaving: every multiplier is a power of two within range, the interval applied last is the one in force,
     * and the ceiling raised the interval.
     */
    @Test
    void concurrentCallersKeepTheInvariants() throws InterruptedException {
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<Long> applied = new ConcurrentLinkedQueue<>();
        AtomicLong lastApplied = new AtomicLong(BASE);
        SampleRateCeiling ceiling = new SampleRateCeiling(BASE, CEILING, clock::get, interval -> {
            applied.add(interval);
            lastApplied.set(interval);
        });
        int threads = 4;
        int callsPerThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> badMultipliers = new ConcurrentLinkedQueue<>();
        AtomicLong weighted = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < callsPerThread; i++) {
                    clock.addAndGet(20_000);
                    int multiplier = ceiling.onSample();
                    weighted.addAndGet(multiplier);
                    if (Integer.bitCount(multiplier) != 1 || multiplier > 1 << SampleRateCeiling.MAX_EXPONENT) {
                        badMultipliers.add(multiplier);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertEquals(List.of(), List.copyOf(badMultipliers));
        assertTrue(ceiling.multiplier() > 1, "multiplier " + ceiling.multiplier());
        assertEquals(ceiling.interval(), lastApplied.get(), "the hook was left on the interval in force");
        for (long interval : applied) {
            assertTrue(interval % BASE == 0 && Long.bitCount(interval / BASE) == 1, "applied " + interval);
        }
        assertTrue(ceiling.retunes() >= 1);
        assertTrue(weighted.get() >= (long) threads * callsPerThread);
    }

    @Test
    void argumentsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SampleRateCeiling(0, 1, () -> 0, i -> {}));
        assertThrows(IllegalArgumentException.class, () -> new SampleRateCeiling(1, -1, () -> 0, i -> {}));
        assertThrows(NullPointerException.class, () -> new SampleRateCeiling(1, 1, null, i -> {}));
        assertThrows(NullPointerException.class, () -> new SampleRateCeiling(1, 1, () -> 0, null));
    }

    /**
     * A fake hook on one stripe and a fake clock: allocations arrive at a steady rate, and the hook samples after a
     * geometric (here exponential) number of them whose mean is the interval applied when the previous sample
     * re-armed it, as {@code AllocationHook} does. It counts the true allocations and the estimate the weighted
     * samples make of them, as the tracker would.
     */
    private static final class Hook {
        private final Random random;
        long nanos;
        long interval = BASE;
        long samples;
        double allocations;
        double estimate;
        /** Sum of the squared weights: the variance of the estimate, which is a thinned Poisson process. */
        double variance;

        private long pendingUntil = -1;
        private final List<Long> appliedIntervals = new ArrayList<>();

        Hook(long seed) {
            random = new Random(seed);
        }

        SampleRateCeiling ceiling(int maxSamplesPerSecond) {
            return new SampleRateCeiling(BASE, maxSamplesPerSecond, () -> nanos, applied -> {
                interval = applied;
                appliedIntervals.add(applied);
            });
        }

        /** Runs for {@code seconds} at {@code allocationsPerSecond}; the samples of each second. */
        List<Long> run(SampleRateCeiling ceiling, double allocationsPerSecond, int seconds) {
            List<Long> perSecond = new ArrayList<>();
            long end = nanos + seconds * SECOND;
            long secondEnds = nanos + SECOND;
            long inThisSecond = 0;
            if (pendingUntil < nanos) {
                pendingUntil = nanos + nextGap(allocationsPerSecond);
            }
            while (pendingUntil < end) {
                while (pendingUntil >= secondEnds) {
                    perSecond.add(inThisSecond);
                    inThisSecond = 0;
                    secondEnds += SECOND;
                }
                nanos = pendingUntil;
                // Re-armed before the recorder runs, with the interval in force until now.
                pendingUntil = nanos + nextGap(allocationsPerSecond);
                double weight = (double) ceiling.onSample() * BASE;
                estimate += weight;
                variance += weight * weight;
                samples++;
                inThisSecond++;
            }
            while (perSecond.size() < seconds) {
                perSecond.add(inThisSecond);
                inThisSecond = 0;
            }
            allocations += allocationsPerSecond * seconds;
            nanos = end;
            // The next phase has its own rate: what is left of this gap does not carry over.
            pendingUntil = -1;
            return perSecond;
        }

        private long nextGap(double allocationsPerSecond) {
            double allocationsUntilSample = -Math.log(1 - random.nextDouble()) * interval;
            return Math.max(1, (long) (allocationsUntilSample / allocationsPerSecond * SECOND));
        }

        /**
         * Within 4 standard deviations of the truth. The stripe lag (one sample per retune weighed at the new
         * interval) is far smaller than that.
         */
        void assertEstimateUnbiased() {
            double sigma = Math.sqrt(variance);
            assertTrue(
                    Math.abs(estimate - allocations) < 4 * sigma,
                    "estimated " + estimate + " allocations of " + allocations + ", sigma " + sigma);
            assertTrue(sigma < 0.05 * allocations, "enough samples to mean something: sigma " + sigma);
        }

        void assertIntervalsArePowersOfTwoTimesTheBase(SampleRateCeiling ceiling) {
            assertEquals(ceiling.interval(), BASE * ceiling.multiplier());
            assertEquals(1, Integer.bitCount(ceiling.multiplier()));
            for (long applied : appliedIntervals) {
                assertTrue(applied % BASE == 0 && Long.bitCount(applied / BASE) == 1, "applied " + applied);
            }
        }
    }
}
