package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrendFitterTest {

    @Test
    void cleanLinearSeriesIsFitExactlyInUnitsPerMinute() {
        TrendFit fit = SyntheticSeries.linear(20).fit();
        double perMinute = SyntheticSeries.STEP / SyntheticSeries.MINUTES_PER_SAMPLE;
        assertAll(
                () -> assertEquals(20, fit.points()),
                () -> assertEquals(perMinute, fit.slopePerMinute(), 1e-9),
                () -> assertEquals(1_000, fit.intercept(), 1e-9),
                () -> assertEquals(1.0, fit.tau()),
                () -> assertTrue(fit.mannKendallZ() > 5, "z = " + fit.mannKendallZ()),
                () -> assertTrue(fit.pValueIncreasing() < 1e-6, "p = " + fit.pValueIncreasing()),
                () -> assertEquals(perMinute, fit.recentSlopePerMinute(), 1e-9),
                () -> assertTrue(fit.recentPValueIncreasing() < 0.01, "recent p = " + fit.recentPValueIncreasing()));
    }

    /** 30 points: the last 10 are flat, so the recent slope is exactly 0 while the overall one is not. */
    @Test
    void recentPartSeesThePlateauTheWholeWindowHides() {
        double[] minutes = new double[30];
        double[] values = new double[30];
        for (int i = 0; i < 30; i++) {
            minutes[i] = i;
            values[i] = 100 * Math.min(i, 20);
        }
        TrendFit fit = TrendFitter.fit(minutes, values);
        assertTrue(fit.slopePerMinute() > 50, "overall slope " + fit.slopePerMinute());
        assertEquals(0.0, fit.recentSlopePerMinute());
        assertEquals(1.0, fit.recentPValueIncreasing());
    }

    @ParameterizedTest(name = "n = {0} -> last {1}")
    @CsvSource({"0, 0", "1, 1", "3, 3", "4, 4", "12, 4", "13, 5", "30, 10", "31, 11", "300, 100"})
    void recentPartIsTheLastThirdButAtLeastFourPoints(int n, int expected) {
        assertEquals(expected, TrendFitter.recentCount(n));
    }

    @Test
    void tooFewPointsGiveANeutralFit() {
        assertEquals(new TrendFit(0, 0, 0, 0, 1, 0, 0, 1), TrendFitter.fit(new double[0], new double[0]));
        assertEquals(new TrendFit(1, 0, 7, 0, 1, 0, 0, 1), TrendFitter.fit(new double[] {0}, new double[] {7}));
        TrendFit two = TrendFitter.fit(new double[] {0, 1}, new double[] {7, 9});
        assertEquals(2.0, two.slopePerMinute());
        assertEquals(1.0, two.pValueIncreasing());
    }

    @Test
    void constantSeriesHasNoTrend() {
        TrendFit fit = SyntheticSeries.constant(12, 4096).fit();
        assertEquals(new TrendFit(12, 0, 4096, 0, 1, 0, 0, 1), fit);
    }

    @Test
    void repeatedTimesAreAllowed() {
        TrendFit fit = TrendFitter.fit(new double[] {0, 1, 1, 2}, new double[] {0, 10, 10, 20});
        assertEquals(10.0, fit.slopePerMinute());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                IllegalArgumentException.class, () -> TrendFitter.fit(new double[] {0, 2, 1}, new double[] {1, 2, 3}));
        assertThrows(
                IllegalArgumentException.class, () -> TrendFitter.fit(new double[] {0, 1}, new double[] {1, 2, 3}));
        assertThrows(
                IllegalArgumentException.class,
                () -> TrendFitter.fit(new double[] {0, 1, 2}, new double[] {1, Double.NaN, 3}));
        assertThrows(
                IllegalArgumentException.class,
                () -> TrendFitter.fit(new double[] {0, Double.NaN, 2}, new double[] {1, 2, 3}));
    }
}
