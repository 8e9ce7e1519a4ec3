package dev.leakwatch.analyzer.trend;

import java.util.Arrays;

/**
 * Mann-Kendall test for a monotonic trend: counts rising minus falling pairs, so it needs no assumption about
 * the shape of growth or the distribution of the noise, only that samples are independent.
 *
 * <p>That assumption is the test's known blind spot here: a sawtooth (a cache that fills and is cleared) has
 * strongly dependent samples and its rising ramps alone make S significant. {@link GrowthVerdict} therefore
 * gates on {@link Result#tau()} rather than trusting the p-value alone.
 */
public final class MannKendall {

    /** Below three points there is at most one pair: no distribution to test against. */
    private static final int MIN_POINTS = 3;

    private MannKendall() {}

    /**
     * The test statistics for an increasing trend in {@code y}, taken in index order.
     *
     * @param n number of points
     * @param s sum over pairs {@code i < j} of {@code sign(y[j] - y[i])}
     * @param variance variance of S under no trend, with the tie correction (Kendall, 1975); 0 when not
     *     computed (fewer than 3 points)
     * @param z continuity-corrected standard score: {@code (S - 1) / sd} for {@code S > 0},
     *     {@code (S + 1) / sd} for {@code S < 0}, else 0
     * @param pValueIncreasing one-sided p-value of an increasing trend, {@code P(Z > z)}
     * @param tau Kendall's tau-a, {@code S / (n(n-1)/2)}. Tau-a, not tau-b, on purpose: tied pairs count
     *     against the trend, so a series that stops at exactly the same byte count reads as weaker growth.
     */
    public record Result(int n, long s, double variance, double z, double pValueIncreasing, double tau) {}

    /**
     * Runs the test. With fewer than 3 points, or all values equal, there is no evidence either way: S and z
     * are 0 and the p-value is 1 (an all-tied series cannot produce any S but 0, so {@code P(S >= 0) = 1}).
     *
     * @throws IllegalArgumentException if {@code y} holds a non-finite value
     */
    public static Result test(double[] y) {
        ArgumentChecks.requireFinite(y, "y");
        int n = y.length;
        if (n < MIN_POINTS) {
            return new Result(n, 0, 0.0, 0.0, 1.0, 0.0);
        }
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += y[j] > y[i] ? 1 : (y[j] < y[i] ? -1 : 0);
            }
        }
        double variance = (noTieTerm(n) - tieCorrection(y)) / 18.0;
        double pairs = n * (n - 1) / 2.0;
        if (variance <= 0) {
            return new Result(n, s, 0.0, 0.0, 1.0, s / pairs);
        }
        double sd = Math.sqrt(variance);
        double z = s > 0 ? (s - 1) / sd : (s < 0 ? (s + 1) / sd : 0.0);
        return new Result(n, s, variance, z, StandardNormal.upperTail(z), s / pairs);
    }

    private static double noTieTerm(long n) {
        return (double) n * (n - 1) * (2 * n + 5);
    }

    /** Sum over groups of equal values of {@code t(t-1)(2t+5)}, t being the group size. */
    private static double tieCorrection(double[] y) {
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double correction = 0;
        int groupStart = 0;
        for (int i = 1; i <= sorted.length; i++) {
            if (i == sorted.length || sorted[i] != sorted[groupStart]) {
                long t = i - groupStart;
                correction += (double) t * (t - 1) * (2 * t + 5);
                groupStart = i;
            }
        }
        return correction;
    }
}
