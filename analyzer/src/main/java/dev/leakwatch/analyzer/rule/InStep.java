package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.series.SeriesTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How closely two series grow in step: the Pearson correlation of their values over the window, after each is smoothed
 * by a running median over an eighth of its points. Stateless apart from {@link Cache}.
 *
 * <p>Smoothing keeps what "in step" is about, growth that starts, speeds up and stops at the same times, and drops
 * what it is not: snapshot-to-snapshot noise (garbage counted by histograms of all objects, when a GC last ran).
 * Without it, a member whose bytes wander by a third of its growth correlated below 0.9 with its own leak, less than a
 * class that started growing a third of the window later does (0.96); smoothed, the member reaches 0.97
 * ({@code InStepTest}).
 *
 * <p>A class has no values before it first reached {@link SeriesTable#TRACKING_FLOOR_BYTES}: it held less than that,
 * nothing more is known. Compared over the points both have, a class that appeared halfway would look perfectly in
 * step with any leak over its second half. So where one series has no value, it is taken to have followed the other
 * as closely as the floor allows: the value its fit on the other predicts, clamped to [0, floor]. A small class that
 * grew in step from the start keeps its correlation; one that only appeared later shows as flat where it was absent.
 */
final class InStep {
    /** The running median spans this fraction of the points (rounded to an odd count): shapes of a quarter stay. */
    static final int SMOOTHING_DENOMINATOR = 8;
    /** The shortest running median: three points, so that one outlier never survives smoothing. */
    static final int MIN_SMOOTHING_POINTS = 3;

    private InStep() {}

    /** Correlations of classes' bytes, each class smoothed once: a class is compared with every group it may join. */
    static final class Cache {
        private final Map<String, double[]> smoothed = new HashMap<>();

        double correlation(ClassTrend a, ClassTrend b) {
            if (Arrays.equals(a.bytes().index(), b.bytes().index())) {
                return pearson(smoothedBytes(a), smoothedBytes(b), a.bytes().size());
            }
            return InStep.correlation(a.bytes(), b.bytes());
        }

        /** Correlation of a class's bytes with another series of the window, such as its group's total. */
        double correlation(ClassTrend member, AnalysisWindow.Series reference) {
            if (Arrays.equals(member.bytes().index(), reference.index())) {
                return pearson(smoothedBytes(member), smooth(reference.values()), reference.size());
            }
            return InStep.correlation(member.bytes(), reference);
        }

        private double[] smoothedBytes(ClassTrend trend) {
            return smoothed.computeIfAbsent(
                    trend.className(), name -> smooth(trend.bytes().values()));
        }
    }

    /** The correlation over every window point at least one of the two has. */
    static double correlation(AnalysisWindow.Series a, AnalysisWindow.Series b) {
        Map<Integer, Double> inA = byIndex(a);
        Map<Integer, Double> inB = byIndex(b);
        int shared = 0;
        for (int index : b.index()) {
            if (inA.containsKey(index)) {
                shared++;
            }
        }
        if (shared < MIN_SMOOTHING_POINTS) {
            return 0;
        }
        int[] union = union(a.index(), b.index());
        double[] x = filled(inA, b, inB, union);
        double[] y = filled(inB, a, inA, union);
        return pearson(smooth(x), smooth(y), union.length);
    }

    /** A running median centred on each point; towards the ends it narrows to stay centred, so a slope stays one. */
    static double[] smooth(double[] values) {
        int n = values.length;
        int halfSpan = Math.max(MIN_SMOOTHING_POINTS, n / SMOOTHING_DENOMINATOR) / 2;
        double[] smoothed = new double[n];
        double[] window = new double[2 * halfSpan + 1];
        for (int i = 0; i < n; i++) {
            int half = Math.min(halfSpan, Math.min(i, n - 1 - i));
            int length = 2 * half + 1;
            System.arraycopy(values, i - half, window, 0, length);
            Arrays.sort(window, 0, length);
            smoothed[i] = window[half];
        }
        return smoothed;
    }

    /** A series at each of {@code indexes}; where it has none, what {@code other} predicts, up to the floor. */
    private static double[] filled(
            Map<Integer, Double> own, AnalysisWindow.Series other, Map<Integer, Double> others, int[] indexes) {
        double[] fit = null;
        double[] values = new double[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            Double value = own.get(indexes[i]);
            if (value == null) {
                if (fit == null) {
                    fit = leastSquares(other, own);
                }
                double predicted = fit[0] + fit[1] * others.get(indexes[i]);
                value = Math.max(0, Math.min(SeriesTable.TRACKING_FLOOR_BYTES, predicted));
            }
            values[i] = value;
        }
        return values;
    }

    /** Intercept and slope of {@code y} on {@code x} over the points both have (at least three). */
    private static double[] leastSquares(AnalysisWindow.Series x, Map<Integer, Double> y) {
        double sumX = 0;
        double sumY = 0;
        int n = 0;
        for (int i = 0; i < x.size(); i++) {
            Double value = y.get(x.index()[i]);
            if (value != null) {
                sumX += x.values()[i];
                sumY += value;
                n++;
            }
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.size(); i++) {
            Double value = y.get(x.index()[i]);
            if (value != null) {
                sxy += (x.values()[i] - meanX) * (value - meanY);
                sxx += (x.values()[i] - meanX) * (x.values()[i] - meanX);
            }
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new double[] {meanY - slope * meanX, slope};
    }

    private static Map<Integer, Double> byIndex(AnalysisWindow.Series series) {
        Map<Integer, Double> values = new HashMap<>();
        for (int i = 0; i < series.size(); i++) {
            values.put(series.index()[i], series.values()[i]);
        }
        return values;
    }

    /** The window indexes of either series, ascending (each series' are). */
    private static int[] union(int[] a, int[] b) {
        int[] union = new int[a.length + b.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            int next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            if (i < a.length && a[i] == next) {
                i++;
            }
            if (j < b.length && b[j] == next) {
                j++;
            }
            union[n++] = next;
        }
        return Arrays.copyOf(union, n);
    }

    static double pearson(double[] x, double[] y, int n) {
        if (n < 3) {
            return 0;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
