package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThirdsGrowthTest {

    private static double[] minutes(int n, double apart) {
        double[] minutes = new double[n];
        for (int i = 0; i < n; i++) {
            minutes[i] = i * apart;
        }
        return minutes;
    }

    @Test
    void aSteadyRiseGrowsByItsShareInEveryThird() {
        double[] minutes = minutes(10, 0.5);
        double[] values = new double[10];
        for (int i = 0; i < 10; i++) {
            values[i] = 5_000 + 300 * minutes[i];
        }
        ThirdsGrowth thirds = ThirdsGrowth.of(minutes, values);
        assertEquals(1.0, thirds.first(), 1e-9);
        assertEquals(1.0, thirds.middle(), 1e-9);
        assertEquals(1.0, thirds.last(), 1e-9);
        assertEquals(1.0, thirds.least(), 1e-9);
    }

    /**
     * A reload every 2 minutes, snapshots every 30 s: the newest third of the points (6 of 17) can lie between two
     * reloads, but every third of the 8 minutes holds a reload or more, each at least half its share, wherever the
     * reloads fall against the snapshots.
     */
    @Test
    void aStaircaseGrowsInEveryThird() {
        double[] minutes = minutes(17, 0.5);
        for (int phase = 0; phase < 8; phase++) {
            double offset = phase * 0.25;
            double[] values = new double[minutes.length];
            for (int i = 0; i < minutes.length; i++) {
                values[i] = 5_000 + 240 * Math.floor((minutes[i] + offset) / 2);
            }
            ThirdsGrowth thirds = ThirdsGrowth.of(minutes, values);
            assertTrue(thirds.least() >= GrowthVerdict.THIRD_FULL_SHARE, "phase " + offset + ": " + thirds);
        }
    }

    @Test
    void oneStepLeavesTwoThirdsWithoutGrowth() {
        double[] minutes = minutes(12, 1);
        double[] late = new double[12];
        double[] early = new double[12];
        for (int i = 0; i < 12; i++) {
            late[i] = i < 9 ? 5_000 : 6_000;
            early[i] = i < 2 ? 5_000 : 6_000;
        }
        ThirdsGrowth afterLate = ThirdsGrowth.of(minutes, late);
        assertEquals(0.0, afterLate.first());
        assertEquals(0.0, afterLate.middle());
        assertEquals(3.0, afterLate.last(), 1e-9);
        ThirdsGrowth afterEarly = ThirdsGrowth.of(minutes, early);
        assertEquals(3.0, afterEarly.first(), 1e-9);
        assertEquals(0.0, afterEarly.last());
    }

    /** Between two samples the count is read on the line that joins them. */
    @Test
    void betweenSamplesTheCountIsInterpolated() {
        ThirdsGrowth thirds = ThirdsGrowth.of(new double[] {0, 3}, new double[] {0, 30});
        assertEquals(1.0, thirds.first(), 1e-9);
        assertEquals(1.0, thirds.middle(), 1e-9);
        assertEquals(1.0, thirds.last(), 1e-9);
    }

    @Test
    void aCountThatDidNotGrowHasNoShares() {
        assertEquals(new ThirdsGrowth(0, 0, 0), ThirdsGrowth.of(minutes(10, 1), new double[10]));
        assertEquals(new ThirdsGrowth(0, 0, 0), ThirdsGrowth.of(new double[] {0, 1, 2}, new double[] {30, 20, 10}));
        assertEquals(new ThirdsGrowth(0, 0, 0), ThirdsGrowth.of(new double[] {0}, new double[] {3}));
        assertEquals(new ThirdsGrowth(0, 0, 0), ThirdsGrowth.of(new double[] {2, 2}, new double[] {3, 5}));
    }

    @Test
    void refusesWhatTheEstimatorsRefuse() {
        assertThrows(IllegalArgumentException.class, () -> ThirdsGrowth.of(new double[] {0, 1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ThirdsGrowth.of(new double[] {1, 0}, new double[] {1, 2}));
        assertThrows(
                IllegalArgumentException.class,
                () -> ThirdsGrowth.of(new double[] {0, 1}, new double[] {1, Double.NaN}));
    }
}
