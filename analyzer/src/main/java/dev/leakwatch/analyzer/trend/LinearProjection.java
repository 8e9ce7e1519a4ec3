package dev.leakwatch.analyzer.trend;

/** Straight-line extrapolation of a fitted slope, e.g. minutes until a class's growth exhausts the heap. */
public final class LinearProjection {

    private LinearProjection() {}

    /**
     * Minutes until {@code currentValue} reaches {@code limit} growing at {@code slopePerMinute}:
     * {@code (limit - currentValue) / slopePerMinute}. {@link Double#POSITIVE_INFINITY} when it never will
     * on this line: the slope is not positive, the limit is already reached, or an input is NaN.
     */
    public static double minutesUntil(double currentValue, double slopePerMinute, double limit) {
        // Negated comparisons so that NaN, for which every comparison is false, also projects to "never".
        if (!(slopePerMinute > 0) || !(limit > currentValue)) {
            return Double.POSITIVE_INFINITY;
        }
        return (limit - currentValue) / slopePerMinute;
    }
}
