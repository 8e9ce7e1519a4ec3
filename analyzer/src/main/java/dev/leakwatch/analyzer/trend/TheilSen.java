package dev.leakwatch.analyzer.trend;

/**
 * Theil-Sen line: the median of all pairwise slopes. Up to 29% of the points can be arbitrarily wrong before
 * the slope moves, which is why it, not least squares, measures growth of samples that are sometimes taken
 * just before a GC and sometimes just after.
 *
 * <p>O(n&sup2;) time and memory in the number of points: callers with thousands of samples per series should
 * downsample first.
 */
public final class TheilSen {

    /** Keeps {@code n(n-1)/2} slopes within one Java array; far beyond the ~300 points of a normal run. */
    private static final int MAX_POINTS = 46_000;

    private TheilSen() {}

    /**
     * Median of {@code (y[j] - y[i]) / (x[j] - x[i])} over pairs {@code i < j} with {@code x[j] != x[i]};
     * 0 when fewer than two distinct x values leave no pair to measure.
     *
     * @throws IllegalArgumentException if the arrays differ in length, hold a non-finite value, or exceed
     *     {@value #MAX_POINTS} points
     */
    public static double slope(double[] x, double[] y) {
        ArgumentChecks.requireSameLength(x, y);
        ArgumentChecks.requireFinite(x, "x");
        ArgumentChecks.requireFinite(y, "y");
        int n = x.length;
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException(
                    n + " points exceed the " + MAX_POINTS + " this O(n^2) estimator accepts; downsample first");
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = x[j] - x[i];
                if (dx != 0) {
                    slopes[count++] = (y[j] - y[i]) / dx;
                }
            }
        }
        return count == 0 ? 0.0 : Selection.median(slopes, count);
    }

    /**
     * Median of {@code y - slope * x}, the intercept that goes with a Theil-Sen slope (Sen, 1968); 0 for
     * empty input, matching {@link #slope}'s answer when there is nothing to fit.
     */
    public static double intercept(double[] x, double[] y, double slope) {
        ArgumentChecks.requireSameLength(x, y);
        ArgumentChecks.requireFinite(x, "x");
        ArgumentChecks.requireFinite(y, "y");
        if (x.length == 0) {
            return 0.0;
        }
        double[] residuals = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            residuals[i] = y[i] - slope * x[i];
        }
        return Selection.median(residuals, residuals.length);
    }
}
