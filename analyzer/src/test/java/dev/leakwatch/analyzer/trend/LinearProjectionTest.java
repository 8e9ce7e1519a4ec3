package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LinearProjectionTest {

    @Test
    void remainingHeadroomDividedBySlope() {
        assertEquals(30.0, LinearProjection.minutesUntil(400, 20, 1_000));
    }

    @Test
    void neverWhenNotGrowing() {
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(400, 0, 1_000));
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(400, -5, 1_000));
    }

    @Test
    void neverWhenTheLimitIsAlreadyReached() {
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(1_000, 20, 1_000));
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(1_200, 20, 1_000));
    }

    @Test
    void neverWhenAnInputIsNaN() {
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(Double.NaN, 20, 1_000));
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(400, Double.NaN, 1_000));
        assertEquals(Double.POSITIVE_INFINITY, LinearProjection.minutesUntil(400, 20, Double.NaN));
    }
}
