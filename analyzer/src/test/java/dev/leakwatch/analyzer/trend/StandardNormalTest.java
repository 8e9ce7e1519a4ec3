package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandardNormalTest {

    /** Reference values: scipy.stats.norm.sf(z), scipy 1.17. */
    @ParameterizedTest
    @CsvSource({
        "0.0, 0.5",
        "0.5, 0.3085375387259869",
        "1.0, 0.15865525393145707",
        "1.96, 0.024997895148220435",
        "3.0, 0.0013498980316300933",
        "5.0, 2.866515718791933e-07",
        "7.5, 3.1908916729108844e-14",
        "8.0, 6.22096057427174e-16",
        "10.0, 7.61985302416047e-24",
        "20.0, 2.7536241186061556e-89",
    })
    void upperTailMatchesReferenceToRelativeOneInTenMillion(double z, double expected) {
        assertEquals(expected, StandardNormal.upperTail(z), expected * 1e-7);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.3085375387259869", "1.96, 0.024997895148220435", "5.0, 2.866515718791933e-07"})
    void negativeArgumentsGiveTheComplement(double z, double tailAtPlusZ) {
        assertEquals(1 - tailAtPlusZ, StandardNormal.upperTail(-z), 1e-15);
    }

    @ParameterizedTest
    @CsvSource({"38.0, 0.0", "-38.0, 1.0"})
    void farTailsSaturate(double z, double expected) {
        assertEquals(expected, StandardNormal.upperTail(z));
    }
}
