package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The verdict on synthetic shapes. Noisy shapes run over many seeds, so a passing test means the behaviour
 * holds for the shape, not for one lucky draw.
 */
class GrowthVerdictTest {

    private static final int SEEDS = 200;

    @Test
    void cleanLinearSeriesIsCertain() {
        TrendFit fit = SyntheticSeries.linear(20).fit();
        assertTrue(GrowthVerdict.confidence(fit) > 0.9, "confidence " + GrowthVerdict.confidence(fit));
        assertTrue(GrowthVerdict.stillGrowing(fit));
    }

    /**
     * Noise of 30% of the total growth over 30 points. Measured over 1000 seeds: median confidence 0.86,
     * 68% of series at 0.5 or more. The rest are series whose last third happens to look flat, which a
     * {@link TrendFit} cannot tell apart from a plateau (see {@link GrowthVerdict}'s known limit).
     */
    @Test
    void noisyLinearLeakUsuallyReachesHalf() {
        double[] confidences = confidences(seed -> SyntheticSeries.noisyLinear(30, 0.3, seed));
        long reachingHalf = Arrays.stream(confidences).filter(c -> c >= 0.5).count();
        assertTrue(median(confidences) >= 0.5, "median " + median(confidences));
        assertTrue(reachingHalf >= 0.6 * SEEDS, reachingHalf + " of " + SEEDS + " series reach 0.5");
    }

    @Test
    void moderatelyNoisyLinearLeakReachesHalf() {
        double[] confidences = confidences(seed -> SyntheticSeries.noisyLinear(30, 0.1, seed));
        long reachingHalf = Arrays.stream(confidences).filter(c -> c >= 0.5).count();
        assertTrue(reachingHalf >= 0.95 * SEEDS, reachingHalf + " of " + SEEDS + " series reach 0.5");
    }

    @Test
    void plateauIsNotALeak() {
        assertAllBelow(0.3, seed -> SyntheticSeries.plateau(30, seed));
        assertAllBelow(0.3, seed -> SyntheticSeries.plateau(60, seed));
        for (long seed = 0; seed < SEEDS; seed++) {
            assertFalse(
                    GrowthVerdict.stillGrowing(SyntheticSeries.plateau(30, seed).fit()), "seed " + seed);
        }
    }

    /** Three cycles is the fewest {@link GrowthVerdict#TAU_NO_TREND} is chosen to reject. */
    @Test
    void sawtoothIsNotALeak() {
        assertAllBelow(0.3, seed -> SyntheticSeries.sawtooth(30, 10, seed));
        assertAllBelow(0.3, seed -> SyntheticSeries.sawtooth(40, 8, seed));
        assertAllBelow(0.3, seed -> SyntheticSeries.sawtooth(36, 12, seed));
    }

    @Test
    void stationaryNoiseIsNotALeak() {
        assertAllBelow(0.3, seed -> SyntheticSeries.stationaryNoise(30, seed));
    }

    @Test
    void singleStepIsNotALeak() {
        assertAllBelow(0.5, seed -> SyntheticSeries.step(30, seed));
    }

    @Test
    void linearLeakWithTwoHugeOutliers() {
        for (long seed = 0; seed < SEEDS; seed++) {
            for (int[] at : new int[][] {{8, 20}, {1, 3}, {25, 28}}) {
                double confidence =
                        GrowthVerdict.confidence(SyntheticSeries.linearWithTwoOutliers(30, at[0], at[1], seed)
                                .fit());
                assertTrue(
                        confidence >= 0.7, "outliers at " + Arrays.toString(at) + ", seed " + seed + ": " + confidence);
            }
        }
    }

    /**
     * Four points leave no recent part apart from the whole. Five perfectly rising points reach p = 0.014, short of
     * the 0.001 that counts in full; eight reach 0.0004.
     */
    @Test
    void tooFewPointsGiveNoConfidence() {
        assertEquals(0.0, GrowthVerdict.confidence(SyntheticSeries.linear(4).fit()));
        double five = GrowthVerdict.confidence(SyntheticSeries.linear(5).fit());
        assertTrue(five > 0 && five < 0.5, "five points: " + five);
        assertEquals(1.0, GrowthVerdict.confidence(SyntheticSeries.linear(8).fit()));
        assertEquals(0.0, GrowthVerdict.confidence(SyntheticSeries.linear(0).fit()));
    }

    @Test
    void constantOrShrinkingSeriesHasNoConfidence() {
        TrendFit constant = SyntheticSeries.constant(30, 4096).fit();
        assertEquals(0.0, GrowthVerdict.confidence(constant));
        assertFalse(GrowthVerdict.stillGrowing(constant));
        TrendFit shrinking = new TrendFit(30, -10, 5_000, -6, 1, -1, -10, 1);
        assertEquals(0.0, GrowthVerdict.confidence(shrinking));
    }

    @Test
    void confidenceStaysInRangeAndNeverDropsWhenOneInputImproves() {
        Random random = new Random(3);
        for (int trial = 0; trial < 10_000; trial++) {
            TrendFit fit = randomFit(random);
            double base = GrowthVerdict.confidence(fit);
            assertTrue(base >= 0 && base <= 1, fit + " -> " + base);
            TrendFit[] better = {
                withPoints(fit, fit.points() + 1 + random.nextInt(10)),
                withP(fit, fit.pValueIncreasing() * random.nextDouble()),
                withTau(fit, fit.tau() + random.nextDouble() * (1 - fit.tau())),
                withRecentSlope(fit, fit.recentSlopePerMinute() + random.nextDouble() * fit.slopePerMinute()),
            };
            for (TrendFit improved : better) {
                double after = GrowthVerdict.confidence(improved);
                assertTrue(after >= base && after <= 1, fit + " -> " + base + ", " + improved + " -> " + after);
            }
        }
    }

    @Test
    void stillGrowingNeedsAHealthyRecentSlope() {
        assertTrue(GrowthVerdict.stillGrowing(new TrendFit(30, 10, 0, 5, 1e-6, 0.8, 5, 0.01)));
        assertFalse(GrowthVerdict.stillGrowing(new TrendFit(30, 10, 0, 5, 1e-6, 0.8, 4.9, 0.01)));
        assertFalse(GrowthVerdict.stillGrowing(new TrendFit(30, 10, 0, 5, 1e-6, 0.8, 0, 0.01)));
    }

    @Test
    void stillGrowingNeedsTheRecentRiseToBeSignificant() {
        assertTrue(GrowthVerdict.stillGrowing(new TrendFit(30, 10, 0, 5, 1e-6, 0.8, 10, 0.10)));
        assertFalse(GrowthVerdict.stillGrowing(new TrendFit(30, 10, 0, 5, 1e-6, 0.8, 10, 0.11)));
    }

    /** Twelve points leave a recent part of four: a strict rise (p 0.045) counts, one inversion (p 0.15) not. */
    @Test
    void stillGrowingOnTheShortestRecentPart() {
        SyntheticSeries rising = SyntheticSeries.linear(12);
        assertTrue(GrowthVerdict.stillGrowing(rising.fit()));

        double swap = rising.values[10];
        rising.values[10] = rising.values[11];
        rising.values[11] = swap;
        assertFalse(GrowthVerdict.stillGrowing(rising.fit()));
    }

    /** A series that fell and then rose again is growing now, whatever its overall slope says. */
    @Test
    void stillGrowingAfterAnOverallDecline() {
        assertTrue(GrowthVerdict.stillGrowing(new TrendFit(30, -3, 0, -2, 0.98, -0.3, 8, 0.01)));
    }

    /** A count that grows in every third is judged by its significance and tau alone. */
    @Test
    void aCountGrowingInEveryThirdIsCertain() {
        TrendFit fit = SyntheticSeries.linear(9).fit();
        assertEquals(1.0, GrowthVerdict.countConfidence(fit, new ThirdsGrowth(1, 1, 1)));
        assertEquals(1.0, GrowthVerdict.countConfidence(fit, new ThirdsGrowth(0.5, 2, 0.5)));
        assertEquals(0.5, GrowthVerdict.countConfidence(fit, new ThirdsGrowth(0.25, 1.5, 1.25)), 1e-9);
        assertTrue(GrowthVerdict.stillCounting(new ThirdsGrowth(1, 1.5, 0.5)));
    }

    /** One batch of classes, early or late, or loading that stopped: a third without growth. */
    @Test
    void aCountWithAThirdWithoutGrowthHasNoConfidence() {
        TrendFit fit = SyntheticSeries.linear(30).fit();
        assertEquals(0.0, GrowthVerdict.countConfidence(fit, new ThirdsGrowth(0, 0, 3)));
        assertEquals(0.0, GrowthVerdict.countConfidence(fit, new ThirdsGrowth(1.5, 1.5, 0)));
        assertFalse(GrowthVerdict.stillCounting(new ThirdsGrowth(1.5, 1.2, 0.3)));
        assertEquals(
                0.0, GrowthVerdict.countConfidence(SyntheticSeries.linear(4).fit(), new ThirdsGrowth(1, 1, 1)));
        assertEquals(
                0.0,
                GrowthVerdict.countConfidence(SyntheticSeries.constant(30, 9).fit(), new ThirdsGrowth(1, 1, 1)));
    }

    private static double[] confidences(LongFunction<SyntheticSeries> shape) {
        double[] confidences = new double[SEEDS];
        for (int seed = 0; seed < SEEDS; seed++) {
            confidences[seed] = GrowthVerdict.confidence(shape.apply(seed).fit());
        }
        return confidences;
    }

    private static void assertAllBelow(double bound, LongFunction<SyntheticSeries> shape) {
        double[] confidences = confidences(shape);
        for (int seed = 0; seed < SEEDS; seed++) {
            assertTrue(confidences[seed] < bound, "seed " + seed + ": " + confidences[seed]);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }

    private static TrendFit randomFit(Random random) {
        double slope = random.nextDouble() * 100;
        return new TrendFit(
                random.nextInt(40),
                slope,
                0,
                0,
                random.nextDouble(),
                2 * random.nextDouble() - 1,
                (4 * random.nextDouble() - 2) * slope,
                random.nextDouble());
    }

    private static TrendFit withPoints(TrendFit f, int points) {
        return new TrendFit(
                points,
                f.slopePerMinute(),
                f.intercept(),
                f.mannKendallZ(),
                f.pValueIncreasing(),
                f.tau(),
                f.recentSlopePerMinute(),
                f.recentPValueIncreasing());
    }

    private static TrendFit withP(TrendFit f, double p) {
        return new TrendFit(
                f.points(),
                f.slopePerMinute(),
                f.intercept(),
                f.mannKendallZ(),
                p,
                f.tau(),
                f.recentSlopePerMinute(),
                f.recentPValueIncreasing());
    }

    private static TrendFit withTau(TrendFit f, double tau) {
        return new TrendFit(
                f.points(),
                f.slopePerMinute(),
                f.intercept(),
                f.mannKendallZ(),
                f.pValueIncreasing(),
                tau,
                f.recentSlopePerMinute(),
                f.recentPValueIncreasing());
    }

    private static TrendFit withRecentSlope(TrendFit f, double recentSlope) {
        return new TrendFit(
                f.points(),
                f.slopePerMinute(),
                f.intercept(),
                f.mannKendallZ(),
                f.pValueIncreasing(),
                f.tau(),
                recentSlope,
                f.recentPValueIncreasing());
    }
}
