package dev.leakwatch.analyzer.trend;

import java.util.Arrays;

/**
 * Median by selection on a primitive array: O(n) expected instead of a full sort, no boxing. Theil-Sen over
 * 300 points selects among ~45,000 pairwise slopes, where a sort would cost a log factor for nothing.
 */
final class Selection {

    private Selection() {}

    /**
     * Median of {@code values[0, length)}; the mean of the two middle values when {@code length} is even.
     * Reorders that prefix in place: callers pass a scratch buffer.
     */
    static double median(double[] values, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("median of no values");
        }
        int upperMiddle = length / 2;
        select(values, length, upperMiddle);
        if (length % 2 == 1) {
            return values[upperMiddle];
        }
        // select() left everything below upperMiddle <= values[upperMiddle], so the lower middle is their max.
        double lowerMiddle = values[0];
        for (int i = 1; i < upperMiddle; i++) {
            lowerMiddle = Math.max(lowerMiddle, values[i]);
        }
        return lowerMiddle + (values[upperMiddle] - lowerMiddle) / 2;
    }

    /**
     * Wirth's selection (Hoare partitioning around a median-of-three pivot). Afterwards {@code values[k]} holds
     * the k-th smallest, smaller-or-equal values before it, greater-or-equal after. Falls back to sorting the
     * remaining range after a logarithmic number of rounds, as introselect does, so an adversarial order
     * cannot make it quadratic.
     */
    static void select(double[] values, int length, int k) {
        int lo = 0;
        int hi = length - 1;
        int roundsLeft = 2 * (32 - Integer.numberOfLeadingZeros(length));
        while (lo < hi) {
            if (roundsLeft-- == 0) {
                Arrays.sort(values, lo, hi + 1);
                return;
            }
            double pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
            int i = lo;
            int j = hi;
            do {
                while (values[i] < pivot) {
                    i++;
                }
                while (pivot < values[j]) {
                    j--;
                }
                if (i <= j) {
                    double swap = values[i];
                    values[i] = values[j];
                    values[j] = swap;
                    i++;
                    j--;
                }
            } while (i <= j);
            if (j < k) {
                lo = i;
            }
            if (k < i) {
                hi = j;
            }
        }
    }

    private static double medianOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
