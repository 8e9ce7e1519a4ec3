package dev.leakwatch.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleWeightTest {
    @Test
    void weightIsTheInverseOfTheChanceToBeSampled() {
        assertEquals(1 / (1 - Math.exp(-0.5)), SampleWeight.objectsPerSample(512, 1024), 1e-12);
        // Far below the interval: about interval / size (+ 1/2); far above it: about 1.
        assertEquals(128 * 1024 / 16.0 + 0.5, SampleWeight.objectsPerSample(16, 128 * 1024), 1e-3);
        assertEquals(1.0, SampleWeight.objectsPerSample(64L << 20, 128 * 1024), 1e-12);
        assertEquals(1.0, SampleWeight.objectsPerSample(0, 1024), "a size the JVM did not report counts as one object");
    }

    @Test
    void roundingKeepsTheExpectation() {
        for (double weight : new double[] {1.0, 1.25, 3.5, 8192.9, 1e6 + 0.01}) {
            int draws = 10_000;
            double sum = 0;
            for (int i = 0; i < draws; i++) {
                int rounded = SampleWeight.round(weight, (i + 0.5) / draws);
                assertTrue(
                        rounded == Math.floor(weight) || rounded == Math.floor(weight) + 1,
                        () -> weight + " -> " + rounded);
                sum += rounded;
            }
            assertEquals(weight, sum / draws, 1e-3, "mean of the rounded weights of " + weight);
        }
        assertEquals(Integer.MAX_VALUE, SampleWeight.round(1e12, 0.5), "saturates rather than overflows");
    }

    /**
     * Byte sampling as a Poisson process (exponential distances with mean {@code interval}, the allocation that
     * crosses a sample point sampled): the weighted samples must estimate every size class's count, whether it is far
     * below the interval or far above it.
     */
    @Test
    void weightedSamplesEstimateCountsOfEverySize() {
        long[] sizes = {16, 48, 1_040, 96 * 1024, 4L << 20};
        double[] ratios = simulate(sizes, false);
        for (int kind = 0; kind < sizes.length; kind++) {
            assertEquals(1.0, ratios[kind], 0.05, "estimated/allocated count of " + sizes[kind] + "-byte objects");
        }
    }

    /**
     * HotSpot's sampler ({@code ThreadHeapSampler::pick_next_sample}) subtracts the overshoot of the sampled
     * allocation from the next distance only when the next distance is longer, which shortens the distance after a
     * large allocation: objects allocated right after objects near or above the interval are sampled more often than
     * the Poisson model says. Where objects stay well below the interval, as in most heaps, the estimates hold.
     */
    @Test
    void hotSpotsOvershootCorrectionLeavesTypicalHeapsUnbiased() {
        long[] sizes = {16, 48, 1_040, 2 * 1024, 8 * 1024};
        double[] ratios = simulate(sizes, true);
        for (int kind = 0; kind < sizes.length; kind++) {
            assertEquals(1.0, ratios[kind], 0.05, "estimated/allocated count of " + sizes[kind] + "-byte objects");
        }
    }

    /** @return per size class, the estimated count divided by the allocated count */
    private static double[] simulate(long[] sizes, boolean hotSpotCorrection) {
        long interval = 128 * 1024;
        long[] allocated = new long[sizes.length];
        double[] estimated = new double[sizes.length];
        Random random = new Random(42);
        double untilSample = nextDistance(random, interval);
        for (int i = 0; i < 20_000_000; i++) {
            int kind = pick(random.nextInt(1000));
            long size = sizes[kind];
            allocated[kind]++;
            untilSample -= size;
            if (untilSample <= 0) {
                estimated[kind] +=
                        SampleWeight.round(SampleWeight.objectsPerSample(size, interval), random.nextDouble());
                double overshoot = -untilSample;
                untilSample = nextDistance(random, interval);
                if (!hotSpotCorrection) {
                    while (untilSample <= overshoot) { // further points inside the same object: no more samples
                        untilSample += nextDistance(random, interval);
                    }
                    untilSample -= overshoot;
                } else if (untilSample > overshoot) {
                    untilSample -= overshoot;
                }
            }
        }
        double[] ratios = new double[sizes.length];
        for (int kind = 0; kind < sizes.length; kind++) {
            ratios[kind] = estimated[kind] / allocated[kind];
        }
        return ratios;
    }

    /** Mostly small objects, as in a real heap, with a few large ones. */
    private static int pick(int perMille) {
        if (perMille < 600) {
            return 0;
        }
        if (perMille < 900) {
            return 1;
        }
        if (perMille < 995) {
            return 2;
        }
        return perMille < 999 ? 3 : 4;
    }

    private static double nextDistance(Random random, long interval) {
        return -Math.log(1 - random.nextDouble()) * interval;
    }
}
