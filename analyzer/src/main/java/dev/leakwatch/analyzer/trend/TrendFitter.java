package dev.leakwatch.analyzer.trend;

import java.util.Arrays;

/** Fits the overall and recent trend of one series. Stateless. */
public final class TrendFitter {

    /**
     * The recent part is the last third of the window: long enough to measure a slope, short enough that a
     * series which grew for two thirds of the run and then stopped shows a flat recent slope.
     */
    private static final int RECENT_FRACTION_DENOMINATOR = 3;

    /**
     * Fewest points the recent part may have: a strictly rising run of three reaches only a Mann-Kendall
     * p-value of 0.15, a run of four reaches 0.045.
     */
    static final int RECENT_MIN_POINTS = 4;

    private TrendFitter() {}

    /**
     * Fits the whole series, then the same over its recent part: the last third of the points (rounded up),
     * but at least the last {@code min(n, 4)}.
     *
     * @param minutes sample times in minutes, ascending (equal times are allowed and add no slope pairs)
     * @param values the sampled values, e.g. live bytes of one class
     * @throws IllegalArgumentException if the arrays differ in length, hold a non-finite value, or
     *     {@code minutes} is not ascending
     */
    public static TrendFit fit(double[] minutes, double[] values) {
        ArgumentChecks.requireSameLength(minutes, values);
        ArgumentChecks.requireFinite(minutes, "minutes");
        ArgumentChecks.requireFinite(values, "values");
        ArgumentChecks.requireNonDecreasing(minutes, "minutes");

        int n = values.length;
        double slope = TheilSen.slope(minutes, values);
        double intercept = TheilSen.intercept(minutes, values, slope);
        MannKendall.Result overall = MannKendall.test(values);

        int recentFrom = n - recentCount(n);
        double[] recentMinutes = Arrays.copyOfRange(minutes, recentFrom, n);
        double[] recentValues = Arrays.copyOfRange(values, recentFrom, n);
        double recentSlope = TheilSen.slope(recentMinutes, recentValues);
        double recentP = MannKendall.test(recentValues).pValueIncreasing();

        return new TrendFit(
                n, slope, intercept, overall.z(), overall.pValueIncreasing(), overall.tau(), recentSlope, recentP);
    }

    /** How many trailing points {@link #fit} treats as the recent part of an {@code n}-point series. */
    static int recentCount(int n) {
        int lastThird = (n + RECENT_FRACTION_DENOMINATOR - 1) / RECENT_FRACTION_DENOMINATOR;
        return Math.min(n, Math.max(RECENT_MIN_POINTS, lastThird));
    }
}
