package dev.leakwatch.analyzer.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.series.SeriesTable;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What "in step" tells apart, over the window the rules usually see: 296 snapshots 2 s apart (ten minutes after a
 * 10 s warm-up), the leak rising linearly over all of it.
 */
class InStepTest {
    private static final int POINTS = 296;

    /** Values of {@code shape} at {@code POINTS} times spread over [0, 1], plus uniform noise of {@code noise}. */
    private static AnalysisWindow.Series series(DoubleUnaryOperator shape, double noise, long seed) {
        double[] minutes = new double[POINTS];
        double[] values = new double[POINTS];
        int[] index = new int[POINTS];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < POINTS; i++) {
            double t = i / (double) (POINTS - 1);
            minutes[i] = 10 * t;
            values[i] = shape.applyAsDouble(t) + noise * (2 * random.nextDouble() - 1);
            index[i] = i;
        }
        return new AnalysisWindow.Series(minutes, values, index);
    }

    private static final AnalysisWindow.Series LEAK = series(t -> t, 0, 1);

    private static double inStep(AnalysisWindow.Series a, AnalysisWindow.Series b) {
        return InStep.correlation(a, b);
    }

    private static double raw(AnalysisWindow.Series a, AnalysisWindow.Series b) {
        return InStep.pearson(a.values(), b.values(), a.size());
    }

    @Test
    void aMemberWhoseBytesWanderByAThirdOfItsGrowthIsStillInStep() {
        AnalysisWindow.Series member = series(t -> t, 1 / 3.0, 7);
        AnalysisWindow.Series startedLater = series(t -> Math.max(0, t - 1 / 3.0), 0, 3);
        assertTrue(raw(LEAK, member) < 0.9, () -> "raw " + raw(LEAK, member));
        assertTrue(raw(LEAK, startedLater) > 0.96, () -> "raw, started later " + raw(LEAK, startedLater));
        assertTrue(inStep(LEAK, member) >= 0.97, () -> "smoothed " + inStep(LEAK, member));
    }

    /**
     * A class has no values until it first holds {@code SeriesTable.TRACKING_FLOOR_BYTES}. One that grew in step from
     * the start, 12 KB over the window, stays in step; one that appeared halfway does not, though over the points it
     * has it rises exactly with the leak.
     */
    @Test
    void beforeAClassIsTrackedItCountsAsFollowingTheLeakUpToTheTrackingFloor() {
        double floor = SeriesTable.TRACKING_FLOOR_BYTES;
        AnalysisWindow.Series leak = series(t -> 100 * floor * t, 0, 1);
        AnalysisWindow.Series small = tracked(series(t -> 3 * floor * t, 0, 1));
        AnalysisWindow.Series appeared = tracked(series(t -> 3 * floor * Math.max(0, 2 * t - 1), 0, 1));

        assertTrue(small.size() < POINTS * 0.7, "untracked for its first third");
        assertTrue(inStep(leak, small) >= GroupNaming.NAMING_CORRELATION, () -> "small " + inStep(leak, small));
        assertTrue(
                inStep(leak, appeared) < RetainedGrowthRule.IN_STEP_CORRELATION,
                () -> "appeared " + inStep(leak, appeared));
    }

    /** The points from the first that reached the tracking floor on, as {@code SeriesTable} records them. */
    private static AnalysisWindow.Series tracked(AnalysisWindow.Series series) {
        int first = 0;
        while (series.values()[first] < SeriesTable.TRACKING_FLOOR_BYTES) {
            first++;
        }
        int n = series.size();
        return new AnalysisWindow.Series(
                Arrays.copyOfRange(series.minutes(), first, n),
                Arrays.copyOfRange(series.values(), first, n),
                Arrays.copyOfRange(series.index(), first, n));
    }

    /** A class that started growing a third of the window after the leak, or stopped a third before its end. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aClassThatStartedOrStoppedAThirdOfTheWindowApartIsNotInStepEnoughToNameALeak(boolean started) {
        AnalysisWindow.Series other = series(started ? t -> Math.max(0, t - 1 / 3.0) : t -> Math.min(t, 2 / 3.0), 0, 3);
        double correlation = inStep(LEAK, other);
        assertTrue(correlation < GroupNaming.NAMING_CORRELATION, () -> "smoothed " + correlation);
        assertTrue(correlation > 0.96, () -> "only just: smoothed " + correlation);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aClassThatStartedOrStoppedTwoFifthsOfTheWindowApartIsNotOfTheLeak(boolean started) {
        AnalysisWindow.Series other = series(started ? t -> Math.max(0, t - 0.4) : t -> Math.min(t, 0.6), 0, 3);
        double correlation = inStep(LEAK, other);
        assertTrue(correlation < RetainedGrowthRule.IN_STEP_CORRELATION, () -> "smoothed " + correlation);
    }

    @Test
    void oneOutlierDoesNotSurviveSmoothing() {
        AnalysisWindow.Series spiked = series(t -> t, 0, 1);
        spiked.values()[100] = 50;
        assertEquals(LEAK.values()[100], InStep.smooth(spiked.values())[100], 0.01);
    }

    @Test
    void seriesArePairedByWindowPointAndFlatOnesCorrelateWithNothing() {
        AnalysisWindow.Series everyOther =
                new AnalysisWindow.Series(new double[] {0, 2, 4, 6}, new double[] {0, 2, 4, 6}, new int[] {0, 2, 4, 6});
        assertEquals(1.0, inStep(LEAK, everyOther), 1e-9);
        assertEquals(0.0, inStep(LEAK, series(t -> 5, 0, 1)));
    }
}
