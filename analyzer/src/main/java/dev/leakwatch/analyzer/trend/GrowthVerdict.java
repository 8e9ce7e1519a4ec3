package dev.leakwatch.analyzer.trend;

/**
 * Turns a {@link TrendFit} into a leak confidence and a "still growing" flag. Stateless.
 *
 * <p>{@code confidence = significance * monotonicity * continuation}, each factor in [0, 1] and non-decreasing in
 * its own input, so the product is too:
 * <ul>
 *   <li>significance = the Mann-Kendall p-value on a log scale, from {@value #P_NO_TREND} (0) to
 *       {@value #P_FULL_TREND} (1): is there an increasing trend at all;
 *   <li>monotonicity, the effect size = tau ramped from {@value #TAU_NO_TREND} (0) to {@value #TAU_FULL_TREND}
 *       (1): does most of the series move with the trend, or do a few ramps make the test significant (sawtooth);
 *   <li>continuation = recent slope / overall slope ramped from {@value #CONTINUATION_NONE} (0) to
 *       {@value #CONTINUATION_FULL} (1): has the growth stopped (warm-up, a filled cache, a one-off step).
 * </ul>
 * A series whose overall slope is not positive, or that has fewer than {@value #MIN_POINTS} points, has confidence
 * 0.
 *
 * <p>No factor counts the points: the p-value already weighs them. A clean rise over 9 points (tau 1.00, p =
 * 0.00013) is as sure as a noisy one over 30 with the same p-value, and a separate discount for few points would
 * mark it a 0.45 candidate while the report's own evidence calls it certain (issue 13). What protects short series
 * from chance is the significance itself: pure noise reaches p = 0.01, half of it, once in a hundred series, and
 * then still needs tau and continuation. {@code GrowthCalibrationTest} pins the resulting table (points by shape,
 * documented in {@code docs/detection.md}).
 *
 * <p>Known limit, measured in {@code GrowthVerdictTest#noisyLinearLeakUsuallyReachesHalf}: when noise is
 * about 30% of the total growth, the Theil-Sen slope of the last third has a standard error about as large as
 * the slope itself. In roughly a quarter of such series the last third looks flat, and nothing in a
 * {@code TrendFit} tells that apart from a genuine plateau, so those score below 0.5. Resolving it needs a
 * noise-aware input (e.g. a trend test on the recent residuals from the overall line), not another weighting.
 * The same noise limits {@link #stillGrowing} on short windows, whose recent part is four or five points.
 */
public final class GrowthVerdict {

    /**
     * One-sided p-value at and above which the series gives no sign of growth: a rise this likely by chance is no
     * evidence. Each tenfold drop below it adds half of the full significance, so p = 0.01 counts half.
     */
    static final double P_NO_TREND = 0.1;

    /**
     * P-value from which significance counts in full. A perfectly rising series reaches it from 8 points (p =
     * 0.0004), the fewest a rule judges ({@code SharedThresholds.MIN_POINTS}); 7 points reach 0.0013 (0.94 of
     * full), 6 points 0.0043 (0.68). Pure noise gets there once in a thousand series.
     */
    static final double P_FULL_TREND = 0.001;

    /**
     * Tau at and below which a significant Mann-Kendall result is not trusted. A sawtooth of k cycles scores
     * tau of about 1/k from its rising ramps alone, and because its samples are dependent the test calls that
     * significant (three cycles of ten points: tau 0.31, p 0.008); 0.3 rejects three cycles and more.
     */
    static final double TAU_NO_TREND = 0.3;

    /**
     * Tau from which monotonicity counts in full: three pairs in four rise. A linear leak with noise of 30% of
     * its total growth lands at tau 0.53 +/- 0.08 over 30 points; demanding more would mark it as doubtful.
     */
    static final double TAU_FULL_TREND = 0.5;

    /**
     * Recent-to-overall slope ratio at and below which growth has stopped. A plateau's recent Theil-Sen slope
     * is zero plus noise; with noise of 2% of the growth that ratio stays within +/- 0.1.
     */
    static final double CONTINUATION_NONE = 0.1;

    /**
     * Ratio from which growth counts as continuing in full. Theil-Sen over a third of a noisy window often
     * lands well below the true slope, so demanding the whole overall rate would fail real leaks about half
     * the time.
     */
    static final double CONTINUATION_FULL = 0.6;

    /**
     * Fewest points with any confidence: the recent part is at least {@link TrendFitter#RECENT_MIN_POINTS} long, so below
     * five it is the whole series and continuation cannot tell a plateau from growth.
     */
    static final int MIN_POINTS = 5;

    /** A recent slope at half the overall rate still counts as growing: a leak's rate varies with load. */
    static final double STILL_GROWING_MIN_RATIO = 0.5;

    /**
     * One-sided significance for the recent part's rise. The recent part can be as short as four points, whose
     * best possible p-value is 0.045; a fixed 10% lets such a run count only when it rises strictly, and
     * tolerates more disorder as the part grows (one inversion from five points, p = 0.043). It is looser than
     * a usual 5% because it asks whether growth that was already established continues, not whether there is
     * growth at all.
     */
    static final double RECENT_ALPHA = 0.10;

    /**
     * Share of the average third's growth from which a third of a count's window counts as growing in full
     * ({@link #countConfidence}). Steps at most a third of the span apart leave every third at least half its share
     * ({@code ThirdsGrowthTest#aStaircaseGrowsInEveryThird}); a single step leaves two thirds at none.
     */
    static final double THIRD_FULL_SHARE = 0.5;

    private GrowthVerdict() {}

    /** Confidence in [0, 1] that the series is growing steadily, as opposed to noise, a plateau or a cycle. */
    public static double confidence(TrendFit fit) {
        if (!(fit.slopePerMinute() > 0) || fit.points() < MIN_POINTS) {
            return 0.0;
        }
        double continuation =
                ramp(fit.recentSlopePerMinute() / fit.slopePerMinute(), CONTINUATION_NONE, CONTINUATION_FULL);
        return significance(fit) * monotonicity(fit) * continuation;
    }

    /**
     * Whether the recent part still rises: a positive recent slope of at least
     * {@value #STILL_GROWING_MIN_RATIO} times the overall slope, with a recent Mann-Kendall p-value of at most
     * {@value #RECENT_ALPHA}. False for a noisy series whose recent rise cannot be shown, which is not the
     * same as having stopped. It judges the recent part alone (a sawtooth caught on a rising ramp passes), so
     * read it together with {@link #confidence}.
     */
    public static boolean stillGrowing(TrendFit fit) {
        double recentSlope = fit.recentSlopePerMinute();
        return recentSlope > 0
                && recentSlope >= STILL_GROWING_MIN_RATIO * fit.slopePerMinute()
                && fit.recentPValueIncreasing() <= RECENT_ALPHA;
    }

    /**
     * Confidence in [0, 1] that an exact count (loaded classes) grows steadily: significance and monotonicity as in
     * {@link #confidence}, with continuation judged over the thirds of the window's time span instead of by the
     * recent slope, which a count that moves in steps defeats: the least third's share ramped from 0 to
     * {@value #THIRD_FULL_SHARE}. A single step, or a count that stopped, leaves a third without growth and has
     * confidence 0.
     */
    public static double countConfidence(TrendFit fit, ThirdsGrowth thirds) {
        if (!(fit.slopePerMinute() > 0) || fit.points() < MIN_POINTS) {
            return 0.0;
        }
        return significance(fit) * monotonicity(fit) * ramp(thirds.least(), 0, THIRD_FULL_SHARE);
    }

    /**
     * Whether a count still grows: its last third grew by at least {@value #STILL_GROWING_MIN_RATIO} of the average
     * third, as a recent slope must reach that share of the overall one in {@link #stillGrowing}.
     */
    public static boolean stillCounting(ThirdsGrowth thirds) {
        return thirds.last() >= STILL_GROWING_MIN_RATIO;
    }

    /** The p-value on a log scale: 0 at {@link #P_NO_TREND} and above, 1 at {@link #P_FULL_TREND} and below. */
    private static double significance(TrendFit fit) {
        return ramp(-Math.log10(fit.pValueIncreasing()), -Math.log10(P_NO_TREND), -Math.log10(P_FULL_TREND));
    }

    private static double monotonicity(TrendFit fit) {
        return ramp(fit.tau(), TAU_NO_TREND, TAU_FULL_TREND);
    }

    /** 0 at or below {@code zero}, 1 at or above {@code one}, linear between; NaN counts as no evidence. */
    private static double ramp(double value, double zero, double one) {
        if (!(value > zero)) {
            return 0.0;
        }
        return Math.min(1.0, (value - zero) / (one - zero));
    }
}
