package dev.leakwatch.analyzer.trend;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MannKendallTest {

    /**
     * y = 1, 3, 2, 5, 4. Pairs (i < j), sign of y[j] - y[i]:
     * (1,3)+ (1,2)+ (1,5)+ (1,4)+ (3,2)- (3,5)+ (3,4)+ (2,5)+ (2,4)+ (5,4)-  so S = 8 - 2 = 6.
     * No ties: Var(S) = n(n-1)(2n+5)/18 = 5*4*15/18 = 16.667.
     * Z = (S - 1)/sqrt(Var) = 5/4.0825 = 1.2247; P(Z > 1.2247) = 0.110336 (scipy norm.sf).
     * tau-a = S / (n(n-1)/2) = 6/10.
     */
    @Test
    void handComputedExample() {
        MannKendall.Result result = MannKendall.test(new double[] {1, 3, 2, 5, 4});
        assertAll(
                () -> assertEquals(5, result.n()),
                () -> assertEquals(6, result.s()),
                () -> assertEquals(300.0 / 18, result.variance(), 1e-12),
                () -> assertEquals(5 / Math.sqrt(300.0 / 18), result.z(), 1e-12),
                () -> assertEquals(0.11033568095992347, result.pValueIncreasing(), 1e-9),
                () -> assertEquals(0.6, result.tau(), 1e-12));
    }

    /**
     * y = 1, 2, 2, 3. Signs: (1,2)+ (1,2)+ (1,3)+ (2,2)0 (2,3)+ (2,3)+  so S = 5.
     * One tie group of t = 2: Var(S) = (4*3*13 - 2*1*9)/18 = 138/18 = 7.667 instead of 8.667.
     * Z = 4/sqrt(7.667) = 1.4446; P(Z > 1.4446) = 0.074281. tau-a = 5/6: the tied pair counts against it.
     */
    @Test
    void tiesShrinkTheVariance() {
        MannKendall.Result result = MannKendall.test(new double[] {1, 2, 2, 3});
        assertAll(
                () -> assertEquals(5, result.s()),
                () -> assertEquals(138.0 / 18, result.variance(), 1e-12),
                () -> assertEquals(0.07428088744593432, result.pValueIncreasing(), 1e-9),
                () -> assertEquals(5.0 / 6, result.tau(), 1e-12));
    }

    @Test
    void constantSeriesIsNoEvidence() {
        MannKendall.Result result = MannKendall.test(new double[] {4, 4, 4, 4, 4, 4});
        assertEquals(new MannKendall.Result(6, 0, 0.0, 0.0, 1.0, 0.0), result);
    }

    @Test
    void fewerThanThreePointsIsNoEvidence() {
        assertEquals(new MannKendall.Result(0, 0, 0.0, 0.0, 1.0, 0.0), MannKendall.test(new double[0]));
        assertEquals(new MannKendall.Result(1, 0, 0.0, 0.0, 1.0, 0.0), MannKendall.test(new double[] {1}));
        assertEquals(new MannKendall.Result(2, 0, 0.0, 0.0, 1.0, 0.0), MannKendall.test(new double[] {1, 2}));
    }

    /** (2,4)+ (2,1)- (2,3)+ (4,1)- (4,3)- (1,3)+ : S = 0, so Z = 0 and the one-sided p is one half. */
    @Test
    void balancedPairsGiveZeroScore() {
        MannKendall.Result result = MannKendall.test(new double[] {2, 4, 1, 3});
        assertEquals(0, result.s());
        assertEquals(0.0, result.z());
        assertEquals(0.5, result.pValueIncreasing(), 1e-12);
    }

    @Test
    void strictlyIncreasingAndDecreasingSeriesAreMirrorImages() {
        double[] up = new double[10];
        double[] down = new double[10];
        for (int i = 0; i < 10; i++) {
            up[i] = i;
            down[i] = -i;
        }
        MannKendall.Result rising = MannKendall.test(up);
        MannKendall.Result falling = MannKendall.test(down);
        assertEquals(45, rising.s());
        assertEquals(1.0, rising.tau());
        assertTrue(rising.pValueIncreasing() < 1e-4, "p = " + rising.pValueIncreasing());
        assertEquals(-45, falling.s());
        assertEquals(-1.0, falling.tau());
        assertEquals(-rising.z(), falling.z(), 1e-12);
        assertEquals(1 - rising.pValueIncreasing(), falling.pValueIncreasing(), 1e-12);
    }

    @Test
    void rejectsNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> MannKendall.test(new double[] {1, Double.NaN, 3}));
    }
}
