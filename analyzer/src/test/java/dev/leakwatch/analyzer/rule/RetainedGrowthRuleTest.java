package dev.leakwatch.analyzer.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.format.report.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule's own thresholds where no whole-analysis scenario pins them. */
class RetainedGrowthRuleTest {
    private static final double MIB = 1024 * 1024;

    /** Severity grades a suspect from its confidence and growth: high needs both, medium confidence alone. */
    @ParameterizedTest
    @CsvSource({
        "1.0, 1.0, HIGH",
        "0.8, 1.0, HIGH",
        "0.799, 1.0, MEDIUM",
        "1.0, 0.999, MEDIUM",
        "0.7, 100.0, MEDIUM",
        "0.699, 100.0, LOW",
        "0.5, 0.1, LOW"
    })
    void severityGradesBeginAtTheirThresholds(double confidence, double mibPerMinute, Severity expected) {
        assertEquals(expected, RetainedGrowthRule.severity(confidence, mibPerMinute * MIB));
    }
}
