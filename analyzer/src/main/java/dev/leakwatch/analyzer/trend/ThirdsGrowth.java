package dev.leakwatch.analyzer.trend;

/**
 * How an exact count grew in each third of a window's time span, each as a share of the average third's growth: a
 * count rising at a constant rate has shares of 1, 1, 1; one that rose once and then held has 3, 0, 0 or 0, 0, 3; one
 * that stopped rising has a last share of 0. All three are 0 when the count did not grow over the window.
 *
 * <p>For counts that move in steps, such as the classes a reload defines every minute, rather than for sampled sizes.
 * Judged by time, each third holds a step once the steps are at most a third of the span apart, however the snapshots
 * are spaced; the recent part of a {@link TrendFit} (the last third of the points) holds as few as four snapshots,
 * which can fall between two steps and read as flat ({@code ThirdsGrowthTest#aStaircaseGrowsInEveryThird}).
 *
 * @param first the first third's growth as a share of the average third's
 * @param middle the middle third's
 * @param last the last third's
 */
public record ThirdsGrowth(double first, double middle, double last) {

    /**
     * The shares of a count sampled at {@code minutes}, read between samples on the straight line that joins them.
     *
     * @throws IllegalArgumentException if the arrays differ in length, hold a non-finite value, or {@code minutes}
     *     is not ascending
     */
    public static ThirdsGrowth of(double[] minutes, double[] values) {
        ArgumentChecks.requireSameLength(minutes, values);
        ArgumentChecks.requireFinite(minutes, "minutes");
        ArgumentChecks.requireFinite(values, "values");
        ArgumentChecks.requireNonDecreasing(minutes, "minutes");
        int n = values.length;
        if (n < 2 || !(minutes[n - 1] > minutes[0]) || !(values[n - 1] > values[0])) {
            return new ThirdsGrowth(0, 0, 0);
        }
        double start = minutes[0];
        double span = minutes[n - 1] - start;
        double oneThird = valueAt(minutes, values, start + span / 3);
        double twoThirds = valueAt(minutes, values, start + 2 * span / 3);
        double average = (values[n - 1] - values[0]) / 3;
        return new ThirdsGrowth(
                (oneThird - values[0]) / average,
                (twoThirds - oneThird) / average,
                (values[n - 1] - twoThirds) / average);
    }

    /** The smallest of the three shares. */
    public double least() {
        return Math.min(first, Math.min(middle, last));
    }

    private static double valueAt(double[] minutes, double[] values, double minute) {
        int after = 1;
        while (after < minutes.length - 1 && minutes[after] < minute) {
            after++;
        }
        double from = minutes[after - 1];
        double to = minutes[after];
        if (!(to > from)) {
            return values[after];
        }
        double fraction = Math.max(0, Math.min(1, (minute - from) / (to - from)));
        return values[after - 1] + fraction * (values[after] - values[after - 1]);
    }
}
