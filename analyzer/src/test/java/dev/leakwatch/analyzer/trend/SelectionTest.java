package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void medianMatchesSortingOnRandomInputWithDuplicates() {
        Random random = new Random(7);
        for (int length = 1; length <= 200; length++) {
            double[] values = new double[length];
            for (int i = 0; i < length; i++) {
                // Few distinct values, so that runs equal to the pivot are exercised.
                values[i] = random.nextInt(length / 4 + 1);
            }
            assertEquals(sortedMedian(values), Selection.median(values.clone(), length), "length " + length);
        }
    }

    @Test
    void medianOnlyLooksAtThePrefix() {
        double[] values = {3, 1, 2, 1000, -1000};
        assertEquals(2.0, Selection.median(values, 3));
    }

    @Test
    void selectPartitionsAroundTheKthSmallestOnOrderedAndAdversarialShapes() {
        int n = 1001;
        double[][] shapes = {new double[n], new double[n], new double[n], new double[n]};
        for (int i = 0; i < n; i++) {
            shapes[0][i] = i; // ascending
            shapes[1][i] = n - i; // descending
            shapes[2][i] = 42; // all equal
            shapes[3][i] = Math.min(i, n - i); // organ pipe
        }
        for (double[] shape : shapes) {
            for (int k : new int[] {0, 1, n / 2, n - 2, n - 1}) {
                double[] values = shape.clone();
                Selection.select(values, n, k);
                double[] sorted = shape.clone();
                Arrays.sort(sorted);
                assertEquals(sorted[k], values[k]);
                for (int i = 0; i < n; i++) {
                    assertTrue(i < k ? values[i] <= values[k] : values[i] >= values[k], "index " + i);
                }
            }
        }
    }

    @Test
    void medianOfNothingIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Selection.median(new double[3], 0));
    }

    private static double sortedMedian(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
