package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TheilSenTest {

    /**
     * x = 1..5, y = 1, 2, 4, 3, 6. The ten pairwise slopes, sorted:
     * -1 (3,4), 1/2 (2,4), 2/3 (1,4), 1 (1,2), 1 (3,5), 5/4 (1,5), 4/3 (2,5), 3/2 (1,3), 2 (2,3), 3 (4,5).
     * Even count, so the median is the mean of the 5th and 6th: (1 + 5/4) / 2 = 1.125.
     * Residuals y - 1.125x: -0.125, -0.25, 0.625, -1.5, 0.375; their median, the intercept, is -0.125.
     */
    @Test
    void textbookExample() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {1, 2, 4, 3, 6};
        double slope = TheilSen.slope(x, y);
        assertEquals(1.125, slope, 1e-12);
        assertEquals(-0.125, TheilSen.intercept(x, y, slope), 1e-12);
    }

    /** Slopes 1 (1,2), 5/2 (1,3), 4 (2,3): an odd count, the middle one wins. */
    @Test
    void oddNumberOfSlopesTakesTheMiddleOne() {
        assertEquals(2.5, TheilSen.slope(new double[] {1, 2, 3}, new double[] {0, 1, 5}), 1e-12);
    }

    @Test
    void aWildPointDoesNotMoveTheLine() {
        double[] x = new double[10];
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            y[i] = 2 * i + 1;
        }
        y[6] = 1e9;
        double slope = TheilSen.slope(x, y);
        assertEquals(2.0, slope);
        assertEquals(1.0, TheilSen.intercept(x, y, slope));
    }

    /** The pair at x = 1 would divide by zero; the others give slopes 4 and 2. */
    @Test
    void pairsWithEqualXAreSkipped() {
        assertEquals(3.0, TheilSen.slope(new double[] {1, 1, 2}, new double[] {0, 2, 4}), 1e-12);
    }

    @Test
    void fewerThanTwoDistinctXGiveZero() {
        assertEquals(0.0, TheilSen.slope(new double[0], new double[0]));
        assertEquals(0.0, TheilSen.slope(new double[] {3}, new double[] {7}));
        assertEquals(0.0, TheilSen.slope(new double[] {3, 3, 3}, new double[] {1, 5, 9}));
        assertEquals(0.0, TheilSen.intercept(new double[0], new double[0], 1.0));
    }

    @Test
    void constantSeriesHasZeroSlopeAndItsValueAsIntercept() {
        double[] x = {0, 1, 2, 3};
        double[] y = {5, 5, 5, 5};
        assertEquals(0.0, TheilSen.slope(x, y));
        assertEquals(5.0, TheilSen.intercept(x, y, 0.0));
    }

    @Test
    void threeHundredPointsMatchABruteForceMedian() {
        Random random = new Random(11);
        int n = 300;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / 3; // repeated times: some pairs must be skipped
            y[i] = random.nextInt(50) + 0.5 * i;
        }
        double[] slopes = new double[n * n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[count++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        Arrays.sort(slopes, 0, count);
        double expected = count % 2 == 1 ? slopes[count / 2] : (slopes[count / 2 - 1] + slopes[count / 2]) / 2;
        assertEquals(expected, TheilSen.slope(x, y), 1e-12);
    }

    @Test
    void rejectsMismatchedOrNonFiniteInput() {
        assertThrows(IllegalArgumentException.class, () -> TheilSen.slope(new double[] {1, 2}, new double[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> TheilSen.slope(new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertThrows(
                IllegalArgumentException.class,
                () -> TheilSen.intercept(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}, 1));
    }
}
