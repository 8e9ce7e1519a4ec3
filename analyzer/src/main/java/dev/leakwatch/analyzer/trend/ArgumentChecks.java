package dev.leakwatch.analyzer.trend;

/** Argument checks shared by the estimators, so a NaN fails at the door instead of corrupting a median. */
final class ArgumentChecks {

    private ArgumentChecks() {}

    static void requireSameLength(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
    }

    /**
     * Selection compares with {@code <}, which is false for every NaN, so one NaN would silently land
     * anywhere in the order and become the median.
     */
    static void requireFinite(double[] values, String name) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + values[i]);
            }
        }
    }

    static void requireNonDecreasing(double[] values, String name) {
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[i - 1]) {
                throw new IllegalArgumentException(name + " must be ascending, but " + name + "[" + i + "] = "
                        + values[i] + " < " + name + "[" + (i - 1) + "] = " + values[i - 1]);
            }
        }
    }
}
