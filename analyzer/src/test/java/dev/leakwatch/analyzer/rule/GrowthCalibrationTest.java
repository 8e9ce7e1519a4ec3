package dev.leakwatch.analyzer.rule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.trend.GrowthVerdict;
import dev.leakwatch.analyzer.trend.TrendFit;
import dev.leakwatch.analyzer.trend.TrendFitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calibration of a trend's confidence and verdict (issue 13, "trust a clean trend over few points"): synthetic
 * series of 6 to 30 points in the shapes a leak and its look-alikes take, each drawn {@value #DRAWS} times, judged as
 * {@link RetainedGrowthRule} judges a group's bytes, leaving out its floors in bytes per minute and relative to size. A
 * leak must be reported from the fewest points the evidence allows; a plateau, a sawtooth, a late step that then stays
 * flat and stationary noise never.
 *
 * <p>Writes the whole table to {@code target/growth-calibration.md}; {@code docs/detection.md} shows it and says how
 * to regenerate it.
 */
class GrowthCalibrationTest {
    static final int DRAWS = 500;
    static final int[] POINTS = {6, 8, 9, 12, 15, 20, 30};
    /** Snapshots 12 s apart, as a 1% budget spaced them in the recording issue 13 started from. */
    static final double MINUTES_PER_POINT = 0.2;
    /** Growth per point of the leaking shapes, and the size of the plateau's and the step's rise per point. */
    static final double STEP = 100;

    /** The shapes, each a function of the point count and a random source. */
    enum Shape {
        CLEAN_LINEAR("linear, no noise") {
            @Override
            double[] draw(int n, Random random) {
                return series(n, i -> 1_000 + STEP * i);
            }
        },
        NOISY_LINEAR("linear, noise 10% of the growth") {
            @Override
            double[] draw(int n, Random random) {
                double sd = 0.1 * STEP * (n - 1);
                return series(n, i -> 1_000 + STEP * i + sd * random.nextGaussian());
            }
        },
        VERY_NOISY_LINEAR("linear, noise 30% of the growth") {
            @Override
            double[] draw(int n, Random random) {
                double sd = 0.3 * STEP * (n - 1);
                return series(n, i -> 1_000 + STEP * i + sd * random.nextGaussian());
            }
        },
        /**
         * A leak whose class also fills a soft-referenced cache: one snapshot in six follows a GC that cleared it,
         * 30% of the growth gone at that point and back by the next. Noise 2% of the growth.
         */
        SOFT_REFERENCE_DIPS("linear with soft-reference dips") {
            @Override
            double[] draw(int n, Random random) {
                double growth = STEP * (n - 1);
                return series(
                        n,
                        i -> 1_000
                                + STEP * i
                                + 0.02 * growth * random.nextGaussian()
                                - (random.nextInt(6) == 0 ? 0.3 * growth : 0));
            }
        },
        /** Grows for the first half, then holds, noise 2% of the rise: a cache that warmed up. */
        PLATEAU("grows for half the window, then flat") {
            @Override
            double[] draw(int n, Random random) {
                int top = n / 2 - 1;
                double sd = 0.02 * STEP * top;
                return series(n, i -> 1_000 + STEP * Math.min(i, top) + sd * random.nextGaussian());
            }
        },
        /** Fills and is cleared at least three times in the window, the fewest cycles the tau gate rejects. */
        SAWTOOTH("sawtooth, 3 or more cycles") {
            @Override
            double[] draw(int n, Random random) {
                int period = Math.max(2, n / 3);
                return series(n, i -> 1_000 + STEP * (i % period) + 0.1 * STEP * random.nextGaussian());
            }
        },
        /** Flat, one jump of ten steps, then flat for the last 40% of the window; noise a fiftieth of the jump. */
        LATE_STEP("late step, then flat for the last 40%") {
            @Override
            double[] draw(int n, Random random) {
                int at = n - (int) Math.ceil(0.4 * n);
                return series(n, i -> 1_000 + (i < at ? 0 : 10 * STEP) + 0.2 * STEP * random.nextGaussian());
            }
        },
        NOISE("stationary noise") {
            @Override
            double[] draw(int n, Random random) {
                return series(n, i -> 5_000 + 5 * STEP * random.nextGaussian());
            }
        };

        final String label;

        Shape(String label) {
            this.label = label;
        }

        abstract double[] draw(int n, Random random);
    }

    /** Median confidence and the shares of draws reported as a suspect, or as a candidate only, for one cell. */
    record Cell(double medianConfidence, double suspectShare, double candidateShare) {
        String render(int points) {
            if (points < SharedThresholds.MIN_POINTS) {
                return String.format(Locale.ROOT, "%.2f, no verdict", medianConfidence);
            }
            return String.format(
                    Locale.ROOT,
                    "%.2f, %s suspect%s",
                    medianConfidence,
                    percent(suspectShare),
                    candidateShare >= 0.005 ? " (+" + percent(candidateShare) + " candidate)" : "");
        }

        private static String percent(double share) {
            return String.format(Locale.ROOT, "%.0f%%", share * 100);
        }
    }

    static Cell judge(Shape shape, int points) {
        double[] minutes = new double[points];
        for (int i = 0; i < points; i++) {
            minutes[i] = i * MINUTES_PER_POINT;
        }
        double[] confidences = new double[DRAWS];
        int suspects = 0;
        int candidates = 0;
        for (int draw = 0; draw < DRAWS; draw++) {
            TrendFit fit = TrendFitter.fit(minutes, shape.draw(points, new Random(draw)));
            double confidence = GrowthVerdict.confidence(fit);
            confidences[draw] = confidence;
            if (confidence >= SharedThresholds.REPORTED_CONFIDENCE && GrowthVerdict.stillGrowing(fit)) {
                suspects++;
            } else if (confidence >= RetainedGrowthRule.CANDIDATE_CONFIDENCE) {
                candidates++;
            }
        }
        Arrays.sort(confidences);
        double median = (confidences[(DRAWS - 1) / 2] + confidences[DRAWS / 2]) / 2;
        return new Cell(median, suspects / (double) DRAWS, candidates / (double) DRAWS);
    }

    /**
     * Each row: a shape at a point count, the least median confidence it must reach and the most it may, the least
     * share of draws reported as a suspect and the most. Leaks are held to what they reach; below
     * {@link SharedThresholds#MIN_POINTS} no rule judges, so only confidence is asserted there. The short clean and
     * noisy leaks (6 to 12 points) are what a discount for few points used to hold back: a clean 9-point rise scored
     * 0.45 and 8 points 0.36, so no such series was reported. A noisy leak's suspect share stays near half on short
     * windows: its newest four or five points must rise strictly ({@link GrowthVerdict#stillGrowing}).
     */
    @ParameterizedTest(name = "{0} over {1} points")
    @CsvSource({
        // shape,              points, median >=, median <=, suspects >=, suspects <=
        "CLEAN_LINEAR,        6,      0.65,      1,         0,           1",
        "CLEAN_LINEAR,        8,      0.99,      1,         1,           1",
        "CLEAN_LINEAR,        9,      0.99,      1,         1,           1",
        "CLEAN_LINEAR,        12,     0.99,      1,         1,           1",
        "CLEAN_LINEAR,        30,     0.99,      1,         1,           1",
        "NOISY_LINEAR,        6,      0.6,       1,         0,           1",
        "NOISY_LINEAR,        8,      0.9,       1,         0.45,        1",
        "NOISY_LINEAR,        9,      0.9,       1,         0.4,         1",
        "NOISY_LINEAR,        12,     0.9,       1,         0.3,         1",
        "NOISY_LINEAR,        15,     0.9,       1,         0.4,         1",
        "NOISY_LINEAR,        20,     0.9,       1,         0.7,         1",
        "NOISY_LINEAR,        30,     0.9,       1,         0.85,        1",
        "VERY_NOISY_LINEAR,   30,     0.8,       1,         0.25,        1",
        "SOFT_REFERENCE_DIPS, 9,      0.9,       1,         0.4,         1",
        "SOFT_REFERENCE_DIPS, 15,     0.9,       1,         0.4,         1",
        "SOFT_REFERENCE_DIPS, 30,     0.9,       1,         0.85,        1",
        "PLATEAU,             8,      0,         0.1,       0,           0",
        "PLATEAU,             9,      0,         0.1,       0,           0",
        "PLATEAU,             12,     0,         0.1,       0,           0",
        "PLATEAU,             15,     0,         0.1,       0,           0",
        "PLATEAU,             20,     0,         0.1,       0,           0",
        "PLATEAU,             30,     0,         0.1,       0,           0",
        "SAWTOOTH,            8,      0,         0.1,       0,           0",
        "SAWTOOTH,            9,      0,         0.1,       0,           0",
        "SAWTOOTH,            12,     0,         0.1,       0,           0",
        "SAWTOOTH,            15,     0,         0.1,       0,           0",
        "SAWTOOTH,            20,     0,         0.1,       0,           0",
        "SAWTOOTH,            30,     0,         0.1,       0,           0",
        "LATE_STEP,           8,      0,         0.1,       0,           0",
        "LATE_STEP,           9,      0,         0.1,       0,           0",
        "LATE_STEP,           12,     0,         0.1,       0,           0",
        "LATE_STEP,           15,     0,         0.1,       0,           0",
        "LATE_STEP,           20,     0,         0.1,       0,           0",
        "LATE_STEP,           30,     0,         0.1,       0,           0",
        "NOISE,               8,      0,         0.1,       0,           0",
        "NOISE,               9,      0,         0.1,       0,           0",
        "NOISE,               12,     0,         0.1,       0,           0",
        "NOISE,               15,     0,         0.1,       0,           0",
        "NOISE,               20,     0,         0.1,       0,           0",
        "NOISE,               30,     0,         0.1,       0,           0",
    })
    void theVerdictOnEachShapeAndLength(
            Shape shape,
            int points,
            double leastMedian,
            double mostMedian,
            double leastSuspectShare,
            double mostSuspectShare) {
        Cell cell = judge(shape, points);
        String what = shape.label + " over " + points + " points: " + cell.render(points);
        assertTrue(cell.medianConfidence() >= leastMedian && cell.medianConfidence() <= mostMedian, what);
        if (points >= SharedThresholds.MIN_POINTS) {
            assertTrue(cell.suspectShare() >= leastSuspectShare && cell.suspectShare() <= mostSuspectShare, what);
        }
    }

    /** The whole table, for docs/detection.md: one row per shape, one column per point count. */
    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder table = new StringBuilder("| shape |");
        for (int points : POINTS) {
            table.append(' ').append(points).append(" points |");
        }
        table.append("\n|---|");
        table.append("---|".repeat(POINTS.length));
        table.append('\n');
        for (Shape shape : Shape.values()) {
            table.append("| ").append(shape.label).append(" |");
            for (int points : POINTS) {
                table.append(' ').append(judge(shape, points).render(points)).append(" |");
            }
            table.append('\n');
        }
        Path file = Path.of("target", "growth-calibration.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table, StandardCharsets.UTF_8);
    }

    private static double[] series(int n, IntToDoubleFunction value) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = value.applyAsDouble(i);
        }
        return values;
    }
}
