package dev.leakwatch.analyzer.rule;

import java.math.BigDecimal;
import java.math.MathContext;

/** How the rules round what they report, the same for every rule so that the report's numbers read alike. */
final class Rounding {
    private Rounding() {}

    /** Three decimals, for rates, confidences and shares alike. */
    static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    /** Three significant digits: a p-value's later digits are noise of the normal approximation. */
    static double significant(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value;
        }
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }
}
