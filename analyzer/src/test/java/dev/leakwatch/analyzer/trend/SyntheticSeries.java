package dev.leakwatch.analyzer.trend;

import java.util.Random;
import java.util.function.IntToDoubleFunction;

/** Series shapes the verdict must tell apart; one sample per {@link #MINUTES_PER_SAMPLE} minutes. */
final class SyntheticSeries {

    /** Not 1, so that a per-sample slope passed off as per-minute shows up in the assertions. */
    static final double MINUTES_PER_SAMPLE = 2.0;

    /** Growth per sample of the leaking shapes. */
    static final double STEP = 100.0;

    final double[] minutes;
    final double[] values;

    private SyntheticSeries(int n, IntToDoubleFunction value) {
        minutes = new double[n];
        values = new double[n];
        for (int i = 0; i < n; i++) {
            minutes[i] = i * MINUTES_PER_SAMPLE;
            values[i] = value.applyAsDouble(i);
        }
    }

    TrendFit fit() {
        return TrendFitter.fit(minutes, values);
    }

    static SyntheticSeries linear(int n) {
        return new SyntheticSeries(n, i -> 1_000 + STEP * i);
    }

    /** A linear leak plus Gaussian noise whose standard deviation is a fraction of the total growth. */
    static SyntheticSeries noisyLinear(int n, double noiseOfTotalGrowth, long seed) {
        Random random = new Random(seed);
        double sd = noiseOfTotalGrowth * STEP * (n - 1);
        return new SyntheticSeries(n, i -> 1_000 + STEP * i + sd * random.nextGaussian());
    }

    /** Grows for the first half, then holds, with noise of 2% of the growth: a cache that warmed up. */
    static SyntheticSeries plateau(int n, long seed) {
        Random random = new Random(seed);
        int top = n / 2 - 1;
        double sd = 0.02 * STEP * top;
        return new SyntheticSeries(n, i -> 1_000 + STEP * Math.min(i, top) + sd * random.nextGaussian());
    }

    /** Fills linearly for {@code period} samples, then is cleared, repeatedly. */
    static SyntheticSeries sawtooth(int n, int period, long seed) {
        Random random = new Random(seed);
        return new SyntheticSeries(n, i -> 1_000 + STEP * (i % period) + 10 * random.nextGaussian());
    }

    /** One jump of {@code 10 * STEP} half way, flat with small noise on either side. */
    static SyntheticSeries step(int n, long seed) {
        Random random = new Random(seed);
        return new SyntheticSeries(n, i -> 1_000 + (i < n / 2 ? 0 : 10 * STEP) + 20 * random.nextGaussian());
    }

    static SyntheticSeries stationaryNoise(int n, long seed) {
        Random random = new Random(seed);
        return new SyntheticSeries(n, i -> 5_000 + 500 * random.nextGaussian());
    }

    /** A linear leak with small noise and two samples ten times the whole growth above the line. */
    static SyntheticSeries linearWithTwoOutliers(int n, int first, int second, long seed) {
        Random random = new Random(seed);
        double growth = STEP * (n - 1);
        double sd = 0.02 * growth;
        return new SyntheticSeries(
                n, i -> 1_000 + STEP * i + sd * random.nextGaussian() + (i == first || i == second ? 10 * growth : 0));
    }

    static SyntheticSeries constant(int n, double value) {
        return new SyntheticSeries(n, i -> value);
    }
}
